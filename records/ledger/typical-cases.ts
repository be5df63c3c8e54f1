// Typical cases published (曝光典型案例, domain/typical-case.ts): what the ledger knows of a case that its publication
// may say, and the publications, one per case, each with its audit entry in the same transaction.
import type { CaseStage, ReferralAgency } from '../../domain/case';
import type { TypicalCaseFacts } from '../../domain/typical-case';
import type { Db } from '../db';
import { LedgerConflictError } from '../errors';
import { insertAudit, type AuditEntry } from './audit';
import { iso, toFen, type FenColumn, type Timestamp } from './sql';

export interface TypicalCaseRecord {
  caseId: string;
  jurisdiction: string;
  year: number;
  campaignId: string | null;
  title: string;
  publication: string;
  approvedBy: string;
  approvedAt: string;
}

export interface TypicalCaseLedger {
  /** The case's facts for its publication; undefined when the ledger has no such case. */
  typicalCaseFacts(caseId: string): Promise<TypicalCaseFacts | undefined>;
  /**
   * Records the publication with `audit`, unless the case is published already: the same publication again returns
   * the recorded one; another text or approver for the same case is refused (LedgerConflictError).
   */
  publishTypicalCase(row: TypicalCaseRecord, audit: AuditEntry): Promise<TypicalCaseRecord>;
  /** The publications of a jurisdiction's year (the case's opening year), by approval time, case id. */
  listTypicalCases(jurisdiction: string, year: number): Promise<TypicalCaseRecord[]>;
}

interface FactsRow {
  id: string;
  case_no: string;
  year: number;
  campaign_id: string | null;
  stage: CaseStage;
  institution_id: string;
  name: string | null;
  kind: 'hospital' | 'pharmacy' | null;
  items: Array<{ category: string; article?: string }> | null;
  loss_fen: FenColumn;
  fine_fen: FenColumn;
  paid_fen: FenColumn;
  actions: string[] | null;
  referrals: ReferralAgency[] | null;
}

interface PublicationRow {
  case_id: string;
  jurisdiction: string;
  year: number;
  campaign_id: string | null;
  title: string;
  publication: string;
  approved_by: string;
  approved_at: Timestamp;
}

const toRecord = (r: PublicationRow): TypicalCaseRecord => ({
  caseId: r.case_id,
  jurisdiction: r.jurisdiction,
  year: r.year,
  campaignId: r.campaign_id,
  title: r.title,
  publication: r.publication,
  approvedBy: r.approved_by,
  approvedAt: iso(r.approved_at),
});

const sameContent = (a: TypicalCaseRecord, b: TypicalCaseRecord) =>
  a.title === b.title && a.publication === b.publication && a.approvedBy === b.approvedBy;

export function createTypicalCaseLedger(db: Db): TypicalCaseLedger {
  return {
    async typicalCaseFacts(caseId) {
      // Items: only category and article (descriptions are free text that may name a person): as the case's opening
      // entry recorded them, which a case opened from a clue has too.
      const rows = await db.query<FactsRow>(
        `SELECT c.id, c.case_no, c.year, c.campaign_id, c.stage, c.institution_id, i.name, i.kind, c.loss_fen, c.fine_fen,
                c.paid_fen,
                COALESCE(
                  (SELECT a.detail->'items' FROM audit_trail a
                    WHERE a.subject_type = 'case' AND a.subject_id = c.id AND a.action = 'case-opened'),
                  -- Cases opened before the opening entry carried its items: the findings of their inspection.
                  (SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object('category', e->>'category', 'article', e->>'article')))
                     FROM findings f, jsonb_array_elements(f.items) e WHERE f.inspection_id = c.inspection_id)) AS items,
                (SELECT array_agg(a.action ORDER BY a.at, a.key) FROM audit_trail a
                  WHERE a.subject_type = 'case' AND a.subject_id = c.id) AS actions,
                (SELECT array_agg(r.agency ORDER BY r.sent_at, r.agency) FROM case_referrals r WHERE r.case_id = c.id) AS referrals
           FROM cases c LEFT JOIN institutions i ON i.jurisdiction = c.jurisdiction AND i.id = c.institution_id
          WHERE c.id = $1`,
        [caseId],
      );
      const r = rows[0];
      if (!r) return undefined;
      return {
        caseId: r.id,
        caseNo: r.case_no,
        year: r.year,
        campaignId: r.campaign_id,
        stage: r.stage,
        institution: { id: r.institution_id, name: r.name ?? r.institution_id, kind: r.kind ?? 'hospital' },
        items: r.items ?? [],
        lossFen: toFen(r.loss_fen),
        fineFen: toFen(r.fine_fen),
        paidFen: toFen(r.paid_fen),
        actions: r.actions ?? [],
        referrals: r.referrals ?? [],
      };
    },

    async publishTypicalCase(row, audit) {
      return db.transaction(async (tx) => {
        const [inserted] = await tx.query<PublicationRow>(
          `INSERT INTO typical_cases (case_id, jurisdiction, year, campaign_id, title, publication, approved_by, approved_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (case_id) DO NOTHING RETURNING *`,
          [row.caseId, row.jurisdiction, row.year, row.campaignId, row.title, row.publication, row.approvedBy, row.approvedAt],
        );
        if (inserted) {
          await insertAudit(tx, audit);
          return toRecord(inserted);
        }
        const [existing] = await tx.query<PublicationRow>('SELECT * FROM typical_cases WHERE case_id = $1', [row.caseId]);
        const recorded = toRecord(existing!);
        if (!sameContent(recorded, row))
          throw new LedgerConflictError(
            `case ${row.caseId} was published already on ${recorded.approvedAt} (approved by ${recorded.approvedBy}) with another text`,
          );
        return recorded;
      });
    },

    async listTypicalCases(jurisdiction, year) {
      const rows = await db.query<PublicationRow>(
        'SELECT * FROM typical_cases WHERE jurisdiction = $1 AND year = $2 ORDER BY approved_at, case_id',
        [jurisdiction, year],
      );
      return rows.map(toRecord);
    },
  };
}
