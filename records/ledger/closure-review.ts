// The March closure review (结案审查) of last year's open cases: the cases it finds, the closing deadline (结案期限) it
// sets each, and what it finds at its end. Inspections' rectifications from before cases existed count as cases here.
import type { ClosureFacts, ClosureOutstanding } from '../../domain/closure-review';
import type { Db } from '../db';
import { insertAudits, type AuditEntry } from './audit';
import { OPEN_CASE_STAGES } from './inspections';
import { iso, isoOrNull, json, toFen, type FenColumn, type Timestamp } from './sql';

/**
 * One of a year's open cases as the closure review sees it now: a case of the case workflow, or a rectification still
 * open in an inspection from before cases existed, with what the ledger knows about what keeps it open.
 */
export interface ClosureCase extends ClosureFacts {
  /** The case id (`case:{jurisdiction}:{caseNo}`) or the inspection id. */
  subjectId: string;
  /** 案件编号: the case's number; `{campaignId}.{institutionId}` for an inspection's rectification. */
  caseNo: string;
  institutionId: string;
  /** The institution's name from the ledger (its id when the ledger has no row). */
  institutionName: string;
  responsibleUnitId: string | null;
  /** Not closed or withdrawn (a case); still rectifying, overdue or unrectified (an inspection). */
  open: boolean;
}

/** A case's closing deadline (结案期限) set by a closure review, and what the review found at its end. */
export interface ClosureDeadlineRecord {
  /** The review's workflow id, `closure-review:{jurisdiction}:{year}`. */
  reviewId: string;
  jurisdiction: string;
  reviewYear: number;
  subjectType: 'case' | 'inspection';
  subjectId: string;
  caseNo: string;
  institutionId: string;
  /** ISO-8601 instants. */
  dueAt: string;
  setAt: string;
  /** Set once, at the end of the review. */
  result: 'closed' | 'open' | null;
  outstanding: ClosureOutstanding | null;
  reviewedAt: string | null;
}

export interface ClosureReviewLedger {
  /** The open cases of `year` for a closure review (case records and open rectifications of that year's inspections), by caseNo. */
  listClosureCandidates(jurisdiction: string, year: number): Promise<ClosureCase[]>;
  /**
   * Records closing deadlines and appends `audits`, in one transaction. A row already there (same review and subject)
   * is kept as it is (the first deadline wins), an audit key already there too. Returns the review's rows after it.
   */
  saveClosureDeadlines(rows: ClosureDeadlineRecord[], audits: AuditEntry[]): Promise<ClosureDeadlineRecord[]>;
  /** A review's cases with their deadlines and how they stand now, by caseNo. */
  listClosureCases(reviewId: string): Promise<Array<ClosureCase & { deadline: ClosureDeadlineRecord }>>;
  /**
   * Records the review's result per case (once: a row already reviewed keeps its result) and appends `audits`, in one
   * transaction.
   */
  saveClosureResults(
    reviewId: string,
    results: Array<{ subjectId: string; result: 'closed' | 'open'; outstanding: ClosureOutstanding; reviewedAt: string }>,
    audits: AuditEntry[],
  ): Promise<void>;
  /** A case's (or inspection's) closing deadlines over all reviews, by review year. */
  listClosureDeadlines(subjectId: string): Promise<ClosureDeadlineRecord[]>;
}

/**
 * Cases as the closure review sees them (ClosureCase): case records, and inspections whose rectification was open, with
 * what keeps them open. `open`: a year's open ones ($1 jurisdiction, $2 year of the cases, $3 the open inspection
 * stages). `review`: those of review $1 whatever they are now ($2 the open inspection stages).
 */
function closureStateSql(scope: 'open' | 'review'): string {
  const stages = scope === 'open' ? '$3' : '$2';
  const cases =
    scope === 'open'
      ? 'c.jurisdiction = $1 AND c.year = $2 AND c.open'
      : `c.id IN (SELECT subject_id FROM closure_deadlines WHERE review_id = $1 AND subject_type = 'case')`;
  const inspections =
    scope === 'open'
      ? 'k.jurisdiction = $1 AND k.year = $2 AND x.stage = ANY ($3::text[])'
      : `x.id IN (SELECT subject_id FROM closure_deadlines WHERE review_id = $1 AND subject_type = 'inspection')`;
  return `
  SELECT 'case'::text AS subject_type, c.id AS subject_id, c.case_no, c.institution_id, c.jurisdiction,
         c.open, c.stage, c.overdue, c.due_at AS step_due_at, c.loss_fen, c.fine_fen, c.paid_fen,
         (c.fine_fen > 0 OR EXISTS (SELECT 1 FROM audit_trail a WHERE a.subject_id = c.id AND a.action = 'penalty-decided')) AS penalty_decided,
         ARRAY(SELECT r.agency FROM case_referrals r WHERE r.case_id = c.id AND r.status <> 'acknowledged' ORDER BY r.agency COLLATE "C") AS unacknowledged
  FROM cases c WHERE ${cases}
  UNION ALL
  SELECT 'inspection'::text, x.id, x.campaign_id || '.' || x.institution_id, x.institution_id, k.jurisdiction,
         x.stage = ANY (${stages}::text[]), x.stage, x.stage IN ('rectification-overdue', 'unrectified'), x.rectification_due_at,
         0, 0, 0, false, ARRAY[]::text[]
  FROM inspections x JOIN campaigns k ON k.id = x.campaign_id WHERE ${inspections}`;
}

interface ClosureStateRow {
  subject_type: 'case' | 'inspection';
  subject_id: string;
  case_no: string;
  institution_id: string;
  institution_name: string | null;
  responsible_unit_id: string | null;
  open: boolean;
  stage: ClosureCase['stage'];
  overdue: boolean;
  step_due_at: Timestamp | null;
  loss_fen: FenColumn;
  fine_fen: FenColumn;
  paid_fen: FenColumn;
  penalty_decided: boolean;
  unacknowledged: ClosureCase['unacknowledgedReferrals'];
}
const toClosureCase = (r: ClosureStateRow): ClosureCase => ({
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  caseNo: r.case_no,
  institutionId: r.institution_id,
  institutionName: r.institution_name ?? r.institution_id,
  responsibleUnitId: r.responsible_unit_id,
  open: r.open,
  stage: r.stage,
  overdue: r.overdue,
  stepDueAt: isoOrNull(r.step_due_at),
  lossFen: toFen(r.loss_fen, `case ${r.subject_id} lossFen`),
  fineFen: toFen(r.fine_fen, `case ${r.subject_id} fineFen`),
  paidFen: toFen(r.paid_fen, `case ${r.subject_id} paidFen`),
  penaltyDecided: r.penalty_decided,
  unacknowledgedReferrals: r.unacknowledged,
});

interface ClosureDeadlineRow {
  review_id: string;
  jurisdiction: string;
  review_year: number;
  subject_type: 'case' | 'inspection';
  subject_id: string;
  case_no: string;
  institution_id: string;
  due_at: Timestamp;
  set_at: Timestamp;
  result: ClosureDeadlineRecord['result'];
  outstanding: ClosureDeadlineRecord['outstanding'];
  reviewed_at: Timestamp | null;
}
const toClosureDeadline = (r: ClosureDeadlineRow): ClosureDeadlineRecord => ({
  reviewId: r.review_id,
  jurisdiction: r.jurisdiction,
  reviewYear: r.review_year,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  caseNo: r.case_no,
  institutionId: r.institution_id,
  dueAt: iso(r.due_at),
  setAt: iso(r.set_at),
  result: r.result,
  outstanding: r.outstanding,
  reviewedAt: isoOrNull(r.reviewed_at),
});

export function createClosureReviewLedger(db: Db): ClosureReviewLedger {
  return {
    async listClosureCandidates(jurisdiction, year) {
      const rows = await db.query<ClosureStateRow>(
        `SELECT s.*, i.name AS institution_name, i.responsible_unit_id
         FROM (${closureStateSql('open')}) s
         LEFT JOIN institutions i ON i.jurisdiction = s.jurisdiction AND i.id = s.institution_id
         ORDER BY s.case_no COLLATE "C", s.subject_id COLLATE "C"`,
        [jurisdiction, year, OPEN_CASE_STAGES],
      );
      return rows.map(toClosureCase);
    },

    async saveClosureDeadlines(rows, audits) {
      if (rows.length === 0 && audits.length === 0) return [];
      const reviewIds = [...new Set(rows.map((r) => r.reviewId))];
      if (reviewIds.length > 1) throw new Error(`saveClosureDeadlines: rows of one review at a time, got ${reviewIds.join(', ')}`);
      return db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO closure_deadlines (review_id, jurisdiction, review_year, subject_type, subject_id, case_no, institution_id, due_at, set_at)
           SELECT d.review_id, d.jurisdiction, d.review_year, d.subject_type, d.subject_id, d.case_no, d.institution_id, d.due_at, d.set_at
           FROM jsonb_to_recordset(($1::text)::jsonb) AS d(review_id text, jurisdiction text, review_year integer, subject_type text,
                                                           subject_id text, case_no text, institution_id text, due_at timestamptz, set_at timestamptz)
           ON CONFLICT (review_id, subject_id) DO NOTHING`,
          [
            json(
              rows.map((r) => ({
                review_id: r.reviewId,
                jurisdiction: r.jurisdiction,
                review_year: r.reviewYear,
                subject_type: r.subjectType,
                subject_id: r.subjectId,
                case_no: r.caseNo,
                institution_id: r.institutionId,
                due_at: r.dueAt,
                set_at: r.setAt,
              })),
            ),
          ],
        );
        await insertAudits(tx, audits);
        if (reviewIds.length === 0) return [];
        const kept = await tx.query<ClosureDeadlineRow>(
          'SELECT * FROM closure_deadlines WHERE review_id = $1 ORDER BY case_no COLLATE "C", subject_id COLLATE "C"',
          [reviewIds[0]],
        );
        return kept.map(toClosureDeadline);
      });
    },

    async listClosureCases(reviewId) {
      const rows = await db.query<ClosureStateRow & { deadline: ClosureDeadlineRow }>(
        `SELECT s.*, i.name AS institution_name, i.responsible_unit_id, to_jsonb(d.*) AS deadline
         FROM closure_deadlines d
         JOIN (${closureStateSql('review')}) s ON s.subject_type = d.subject_type AND s.subject_id = d.subject_id
         LEFT JOIN institutions i ON i.jurisdiction = s.jurisdiction AND i.id = s.institution_id
         WHERE d.review_id = $1
         ORDER BY d.case_no COLLATE "C", d.subject_id COLLATE "C"`,
        [reviewId, OPEN_CASE_STAGES],
      );
      return rows.map((r) => ({ ...toClosureCase(r), deadline: toClosureDeadline(r.deadline) }));
    },

    async saveClosureResults(reviewId, results, audits) {
      await db.transaction(async (tx) => {
        if (results.length > 0) {
          await tx.query(
            `UPDATE closure_deadlines d SET result = r.result, outstanding = r.outstanding, reviewed_at = r.reviewed_at
             FROM jsonb_to_recordset(($2::text)::jsonb) AS r(subject_id text, result text, outstanding jsonb, reviewed_at timestamptz)
             WHERE d.review_id = $1 AND d.subject_id = r.subject_id AND d.result IS NULL`,
            [
              reviewId,
              json(
                results.map((r) => ({ subject_id: r.subjectId, result: r.result, outstanding: r.outstanding, reviewed_at: r.reviewedAt })),
              ),
            ],
          );
        }
        await insertAudits(tx, audits);
      });
    },

    async listClosureDeadlines(subjectId) {
      const rows = await db.query<ClosureDeadlineRow>(
        'SELECT * FROM closure_deadlines WHERE subject_id = $1 ORDER BY review_year, review_id COLLATE "C"',
        [subjectId],
      );
      return rows.map(toClosureDeadline);
    },
  };
}
