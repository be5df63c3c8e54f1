// What the weekly tables of seed 004 are computed from (domain/weekly-report.ts), read as of a cut-off: the
// institutions and their inspections of the period, each case with its steps in the period (from its audit trail,
// which keeps when each happened; the case row holds only where it stands now), its fines and return as decided by the
// cut-off and its payments, and the clues by transferred batch. One statement per part, aggregated in SQL.
import {
  table1Action,
  TABLE1_CASE_EVENTS,
  type BatchFigures,
  type ByKind,
  type CaseFacts,
  type Census,
  type InstitutionKind,
  type LocalClueFigures,
  type PatientRefund,
  type PersonAction,
  type PersonRecovery,
  type Table1Action,
  type WeeklyReportInput,
} from '../../domain/weekly-report';
import type { Db } from '../db';
import { adoptedRuleNames } from './adopted-rules';
import { toFen, type FenColumn } from './sql';

/** The ledger's part of the weekly tables' input: everything it records, for [periodStart, cutOff]. */
export type WeeklyLedgerFigures = Pick<
  WeeklyReportInput,
  'census' | 'cases' | 'turnoverFen' | 'patientRefunds' | 'batches' | 'localClues' | 'rules' | 'persons' | 'personRecoveries'
>;

export interface WeeklyPeriod {
  /** ISO-8601 instants: the period is [periodStart, cutOff]. */
  periodStart: string;
  cutOff: string;
  /** The period's first local date, YYYY-MM-DD (a transferred batch's date is a local date). */
  firstDay: string;
}

export interface WeeklyReportLedger {
  /** What the ledger records of the period, as of its cut-off, all from one snapshot. */
  weeklyReportFigures(jurisdiction: string, period: WeeklyPeriod): Promise<WeeklyLedgerFigures>;
}

async function census(db: Db, jurisdiction: string, periodStart: string, cutOff: string): Promise<ByKind<Census>> {
  // Inspected: findings recorded for an inspection made in the period; on site: an inspection claimed as the
  // institution's on-site inspection of the year (onsite_inspections), which every campaign kind but the demo makes.
  const rows = await db.query<{ kind: InstitutionKind; total: number; inspected: number; on_site: number }>(
    `WITH inspected AS (
       SELECT insp.institution_id, bool_or(o.inspection_id IS NOT NULL) AS on_site
       FROM findings f
       JOIN inspections insp ON insp.id = f.inspection_id
       JOIN campaigns c ON c.id = insp.campaign_id AND c.jurisdiction = $1
       LEFT JOIN onsite_inspections o ON o.jurisdiction = $1 AND o.inspection_id = insp.id
       WHERE f.inspected_at >= $2 AND f.inspected_at <= $3
       GROUP BY insp.institution_id
     )
     SELECT i.kind, count(*)::int AS total, count(x.institution_id)::int AS inspected,
            count(*) FILTER (WHERE x.on_site)::int AS on_site
     FROM institutions i LEFT JOIN inspected x ON x.institution_id = i.id
     WHERE i.jurisdiction = $1 GROUP BY i.kind`,
    [jurisdiction, periodStart, cutOff],
  );
  const result: ByKind<Census> = { hospital: { total: 0, inspected: 0, onSite: 0 }, pharmacy: { total: 0, inspected: 0, onSite: 0 } };
  for (const r of rows) result[r.kind] = { total: r.total, inspected: r.inspected, onSite: r.on_site };
  return result;
}

interface CaseFactsRow {
  institution_id: string;
  kind: InstitutionKind;
  loss_fen: FenColumn;
  events: Array<{ action: string; agency: string | null; fine_fen: FenColumn | null }> | null;
  fine_fen: FenColumn;
  recovery_fen: FenColumn;
  paid_before_fen: FenColumn;
  paid_by_cut_off_fen: FenColumn;
}

async function caseFacts(db: Db, jurisdiction: string, periodStart: string, cutOff: string): Promise<CaseFacts[]> {
  // The cases of the jurisdiction's institutions opened by the cut-off; their audit entries through the subject index.
  const rows = await db.query<CaseFactsRow>(
    `WITH cs AS (
       SELECT c.id, c.institution_id, i.kind, c.loss_fen
       FROM cases c JOIN institutions i ON i.jurisdiction = c.jurisdiction AND i.id = c.institution_id
       WHERE c.jurisdiction = $1 AND c.opened_at <= $3
     ),
     steps AS (
       SELECT a.subject_id AS case_id, a.action, a.detail, a.at
       FROM cs JOIN audit_trail a ON a.subject_id = cs.id
       WHERE a.subject_type = 'case' AND a.at <= $3 AND a.action = ANY($4::text[])
     ),
     penalty AS (
       SELECT DISTINCT ON (case_id) case_id,
              COALESCE((detail->'assessment'->>'fineFen')::bigint, 0) AS fine_fen,
              COALESCE((detail->'assessment'->>'recoveryFen')::bigint, 0) AS recovery_fen
       FROM steps WHERE action = 'penalty-decided' ORDER BY case_id, at
     ),
     period AS (
       SELECT case_id, jsonb_agg(jsonb_build_object('action', action, 'agency', detail->>'agency',
                                                    'fine_fen', detail->'assessment'->>'fineFen') ORDER BY at) AS events
       FROM steps WHERE at >= $2 GROUP BY case_id
     ),
     paid AS (
       SELECT p.case_id, COALESCE(sum(p.amount_fen) FILTER (WHERE p.paid_at < $2), 0) AS before_fen, sum(p.amount_fen) AS by_cut_off_fen
       FROM cs JOIN case_payments p ON p.case_id = cs.id WHERE p.paid_at <= $3 GROUP BY p.case_id
     )
     SELECT cs.institution_id, cs.kind, cs.loss_fen, period.events,
            COALESCE(penalty.fine_fen, 0)::text AS fine_fen, COALESCE(penalty.recovery_fen, 0)::text AS recovery_fen,
            COALESCE(paid.before_fen, 0)::text AS paid_before_fen, COALESCE(paid.by_cut_off_fen, 0)::text AS paid_by_cut_off_fen
     FROM cs
     LEFT JOIN period ON period.case_id = cs.id
     LEFT JOIN penalty ON penalty.case_id = cs.id
     LEFT JOIN paid ON paid.case_id = cs.id
     WHERE period.case_id IS NOT NULL OR paid.by_cut_off_fen > paid.before_fen
     ORDER BY cs.id COLLATE "C"`,
    [jurisdiction, periodStart, cutOff, [...TABLE1_CASE_EVENTS]],
  );
  return rows.map((r) => ({
    institutionId: r.institution_id,
    kind: r.kind,
    actions: (r.events ?? [])
      .map((e) =>
        table1Action({
          action: e.action,
          ...(e.agency !== null && { agency: e.agency }),
          ...(e.fine_fen !== null && { fineFen: toFen(e.fine_fen, 'fineFen') }),
        }),
      )
      .filter((a): a is Table1Action => a !== undefined),
    lossFen: toFen(r.loss_fen, 'lossFen'),
    fineFen: toFen(r.fine_fen, 'fineFen'),
    recoveryFen: toFen(r.recovery_fen, 'recoveryFen'),
    paidBeforeFen: toFen(r.paid_before_fen, 'paidFen'),
    paidByCutOffFen: toFen(r.paid_by_cut_off_fen, 'paidFen'),
  }));
}

/**
 * 月营业额 by institution as of the cut-off: what the latest suspension or termination decision stated, else the plan's
 * figure. Institutions with neither are left out (the form then shows the cell blank).
 */
async function turnover(db: Db, jurisdiction: string, cutOff: string): Promise<Record<string, number>> {
  const rows = await db.query<{ id: string; fen: FenColumn }>(
    `WITH decided AS (
       SELECT DISTINCT ON (c.institution_id) c.institution_id AS id, (a.detail->>'monthlyTurnoverFen')::bigint AS fen
       FROM cases c JOIN audit_trail a ON a.subject_type = 'case' AND a.subject_id = c.id
       WHERE c.jurisdiction = $1 AND a.action IN ('suspended', 'terminated') AND a.at <= $2 AND a.detail ? 'monthlyTurnoverFen'
       ORDER BY c.institution_id, a.at DESC
     )
     SELECT id, fen::text AS fen FROM decided
     UNION ALL
     SELECT i.id, i.monthly_turnover_fen::text FROM institutions i
     WHERE i.jurisdiction = $1 AND i.monthly_turnover_fen IS NOT NULL AND NOT EXISTS (SELECT 1 FROM decided d WHERE d.id = i.id)`,
    [jurisdiction, cutOff],
  );
  return Object.fromEntries(rows.map((r) => [r.id, toFen(r.fen, 'monthlyTurnoverFen')]));
}

/** 为患者追回资金: the money recovered for patients on the jurisdiction's cases in the period. */
async function patientRefunds(db: Db, jurisdiction: string, periodStart: string, cutOff: string): Promise<PatientRefund[]> {
  const rows = await db.query<{ institution_id: string; kind: InstitutionKind; amount_fen: FenColumn }>(
    `SELECT c.institution_id, i.kind, r.amount_fen
     FROM case_patient_refunds r
     JOIN cases c ON c.id = r.case_id
     JOIN institutions i ON i.jurisdiction = c.jurisdiction AND i.id = c.institution_id
     WHERE c.jurisdiction = $1 AND r.refunded_at >= $2 AND r.refunded_at <= $3
     ORDER BY r.refunded_at, r.case_id, r.reference`,
    [jurisdiction, periodStart, cutOff],
  );
  return rows.map((r) => ({ institutionId: r.institution_id, kind: r.kind, amountFen: toFen(r.amount_fen, 'amountFen') }));
}

async function batches(db: Db, jurisdiction: string, firstDay: string, cutOff: string): Promise<BatchFigures[]> {
  // The batches of the period's year, and older ones while a clue of theirs is still being handled at the cut-off
  // (the seed's table lists December's batches beside January's).
  const rows = await db.query<{
    source: BatchFigures['source'];
    batch_no: string;
    batch_date: string;
    transferred: number;
    concluded: number;
    verified: number;
  }>(
    `SELECT b.source, b.batch_no, to_char(b.batch_date, 'YYYY-MM-DD') AS batch_date, b.clue_count AS transferred,
            count(c.id) FILTER (WHERE c.concluded_at <= $3)::int AS concluded,
            count(c.id) FILTER (WHERE c.concluded_at <= $3 AND c.outcome IN ('verified', 'partly-verified'))::int AS verified
     FROM clue_batches b
     LEFT JOIN clues c ON c.jurisdiction = b.jurisdiction AND c.source = b.source AND c.batch_no = b.batch_no
     WHERE b.jurisdiction = $1 AND b.received_at <= $3
     GROUP BY b.source, b.batch_no, b.batch_date, b.clue_count
     HAVING b.batch_date >= $2::date OR count(c.id) FILTER (WHERE c.concluded_at <= $3) < b.clue_count`,
    [jurisdiction, firstDay, cutOff],
  );
  return rows.map((r) => ({
    source: r.source,
    batchNo: r.batch_no,
    batchDate: r.batch_date,
    transferred: r.transferred,
    concluded: r.concluded,
    verified: r.verified,
  }));
}

async function localClues(db: Db, jurisdiction: string, periodStart: string, cutOff: string): Promise<LocalClueFigures> {
  const [row] = await db.query<{ received: number; concluded: number; verified: number }>(
    `SELECT count(*)::int AS received,
            count(*) FILTER (WHERE concluded_at <= $3)::int AS concluded,
            count(*) FILTER (WHERE concluded_at <= $3 AND outcome IN ('verified', 'partly-verified'))::int AS verified
     FROM clues WHERE jurisdiction = $1 AND source = 'local' AND received_at >= $2 AND received_at <= $3`,
    [jurisdiction, periodStart, cutOff],
  );
  return { received: row.received, concluded: row.concluded, verified: row.verified };
}

/**
 * Table 2: the actions against persons in the period (a person counted by the case number, never a name), and the
 * money recovered from them (追回骗取医保基金).
 */
async function persons(
  db: Db,
  jurisdiction: string,
  periodStart: string,
  cutOff: string,
): Promise<Pick<WeeklyLedgerFigures, 'persons' | 'personRecoveries'>> {
  const rows = await db.query<{ case_no: string; table2: PersonAction['action'] | null; amount_fen: FenColumn; notes: string[] }>(
    `SELECT c.case_no, a.table2, sum(a.amount_fen) FILTER (WHERE a.action = 'recover')::text AS amount_fen,
            array_agg(DISTINCT a.note COLLATE "C" ORDER BY a.note COLLATE "C") FILTER (WHERE a.table2 = 'other') AS notes
     FROM person_case_actions a JOIN person_cases c ON c.id = a.case_id
     WHERE c.jurisdiction = $1 AND a.at >= $2 AND a.at <= $3
     GROUP BY c.case_no, a.table2 ORDER BY c.case_no COLLATE "C", a.table2`,
    [jurisdiction, periodStart, cutOff],
  );
  const recovered = new Map<string, number>();
  for (const r of rows)
    if (r.amount_fen !== null) recovered.set(r.case_no, (recovered.get(r.case_no) ?? 0) + toFen(r.amount_fen, 'amountFen'));
  // 其他处理形式 says what was done ("如有请注明"): one entry per distinct note of the person's other actions.
  const actionsOf = (r: (typeof rows)[number]): PersonAction[] =>
    r.table2 === 'other'
      ? r.notes.map((note) => ({ personKey: r.case_no, action: 'other', note }))
      : r.table2
        ? [{ personKey: r.case_no, action: r.table2 }]
        : [];
  return {
    persons: rows.flatMap(actionsOf),
    personRecoveries: [...recovered].map(([personKey, amountFen]): PersonRecovery => ({ personKey, amountFen })),
  };
}

export function createWeeklyReportLedger(db: Db): WeeklyReportLedger {
  return {
    async weeklyReportFigures(jurisdiction, { periodStart, cutOff, firstDay }) {
      // One snapshot for all the parts (PostgreSQL gives each statement its own under READ COMMITTED), so the tables
      // agree with each other while the workers write on.
      return db.transaction(async (tx) => {
        await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
        // The case query's estimated cost (its aggregates are estimated at 200 rows each) sets PostgreSQL compiling it
        // with LLVM: 1.5 of its 2.6 s on a province-sized ledger (npm run bench). Plain execution is faster here.
        await tx.query('SET LOCAL jit = off');
        return {
          census: await census(tx, jurisdiction, periodStart, cutOff),
          cases: await caseFacts(tx, jurisdiction, periodStart, cutOff),
          turnoverFen: await turnover(tx, jurisdiction, cutOff),
          patientRefunds: await patientRefunds(tx, jurisdiction, periodStart, cutOff),
          batches: await batches(tx, jurisdiction, firstDay, cutOff),
          localClues: await localClues(tx, jurisdiction, periodStart, cutOff),
          rules: await adoptedRuleNames(tx, jurisdiction, periodStart, cutOff),
          ...(await persons(tx, jurisdiction, periodStart, cutOff)),
        };
      });
    },
  };
}
