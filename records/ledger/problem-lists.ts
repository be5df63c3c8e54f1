// The responsible tasks' weekly 问题台账 (seed 002 附件1; migration 0016): each unit's rows of a week and each week as
// closed at its deadline. A submission and a week's close of the same week are serialised (one advisory lock a week):
// after the close nothing more is taken, so what went to the lead office is what the ledger keeps. Every write comes
// with its audit entry in one transaction.
import type { ProblemListOutcome, ProblemRow } from '../../domain/problem-list';
import type { Db } from '../db';
import { insertAudit } from './audit';
import { advisoryXactLock, iso, json, type Timestamp } from './sql';

export interface ProblemListRecord {
  campaignId: string;
  week: string;
  unitId: string;
  submittedAt: string;
  revision: number;
  rows: ProblemRow[];
}

export interface ProblemListWeek {
  campaignId: string;
  week: string;
  deadline: string;
  unitsDue: string[];
  missing: string[];
  closedAt: string;
}

export interface ProblemListLedger {
  /** Records a unit's rows of a week (see ProblemListOutcome); returns the outcome and the revision now recorded. */
  recordProblemList(s: Omit<ProblemListRecord, 'revision'>): Promise<{ outcome: ProblemListOutcome; revision: number }>;
  /** The week's submissions, by unit id. */
  listProblemLists(campaignId: string, week: string): Promise<ProblemListRecord[]>;
  /**
   * Closes the week: the units due and, of them, those without a submission. The first close stays (a retry gets it
   * back). Returns the week as recorded.
   */
  closeProblemListWeek(w: Omit<ProblemListWeek, 'missing'>): Promise<ProblemListWeek>;
  getProblemListWeek(campaignId: string, week: string): Promise<ProblemListWeek | undefined>;
}

interface SubmissionRow {
  campaign_id: string;
  week: string;
  unit_id: string;
  submitted_at: Timestamp;
  revision: number;
  entries: ProblemRow[];
}

const toRecord = (r: SubmissionRow): ProblemListRecord => ({
  campaignId: r.campaign_id,
  week: r.week,
  unitId: r.unit_id,
  submittedAt: iso(r.submitted_at),
  revision: r.revision,
  rows: r.entries,
});

interface WeekRow {
  campaign_id: string;
  week: string;
  deadline: Timestamp;
  units_due: string[];
  missing: string[];
  closed_at: Timestamp;
}

const toWeek = (r: WeekRow): ProblemListWeek => ({
  campaignId: r.campaign_id,
  week: r.week,
  deadline: iso(r.deadline),
  unitsDue: r.units_due,
  missing: r.missing,
  closedAt: iso(r.closed_at),
});

async function readWeek(db: Db, campaignId: string, week: string): Promise<ProblemListWeek | undefined> {
  const [row] = await db.query<WeekRow>('SELECT * FROM problem_list_weeks WHERE campaign_id = $1 AND week = $2', [campaignId, week]);
  return row && toWeek(row);
}

const subject = (campaignId: string, week: string) => `${campaignId}:${week}`;

export function createProblemListLedger(db: Db): ProblemListLedger {
  return {
    recordProblemList: (s) =>
      db.transaction(async (tx) => {
        await advisoryXactLock(tx, ['problem-list', s.campaignId, s.week]);
        if (await readWeek(tx, s.campaignId, s.week)) return { outcome: 'closed' as const, revision: 0 };
        const [held] = await tx.query<{ revision: number; same: boolean }>(
          `SELECT revision, entries = ($4::text)::jsonb AS same FROM problem_lists
           WHERE campaign_id = $1 AND week = $2 AND unit_id = $3`,
          [s.campaignId, s.week, s.unitId, json(s.rows)],
        );
        if (held?.same) return { outcome: 'unchanged' as const, revision: held.revision };
        const revision = (held?.revision ?? 0) + 1;
        await tx.query(
          `INSERT INTO problem_lists (campaign_id, week, unit_id, submitted_at, revision, entries)
           VALUES ($1, $2, $3, $4, $5, ($6::text)::jsonb)
           ON CONFLICT (campaign_id, week, unit_id)
           DO UPDATE SET submitted_at = EXCLUDED.submitted_at, revision = EXCLUDED.revision, entries = EXCLUDED.entries`,
          [s.campaignId, s.week, s.unitId, s.submittedAt, revision, json(s.rows)],
        );
        await insertAudit(tx, {
          key: `problem-list:${s.campaignId}:${s.week}:${s.unitId}:${revision}`,
          actor: s.unitId,
          action: held ? 'problem-list-replaced' : 'problem-list-submitted',
          subjectType: 'problem-list',
          subjectId: subject(s.campaignId, s.week),
          reason: held ? 'a different 台账 before the deadline replaces the earlier one' : 'weekly 问题台账',
          detail: { unitId: s.unitId, revision, rows: s.rows.length },
          at: s.submittedAt,
        });
        return { outcome: held ? ('replaced' as const) : ('recorded' as const), revision };
      }),

    async listProblemLists(campaignId, week) {
      const rows = await db.query<SubmissionRow>(
        'SELECT * FROM problem_lists WHERE campaign_id = $1 AND week = $2 ORDER BY unit_id COLLATE "C"',
        [campaignId, week],
      );
      return rows.map(toRecord);
    },

    closeProblemListWeek: (w) =>
      db.transaction(async (tx) => {
        await advisoryXactLock(tx, ['problem-list', w.campaignId, w.week]);
        const inserted = await tx.query(
          `INSERT INTO problem_list_weeks (campaign_id, week, deadline, units_due, missing, closed_at)
           SELECT $1, $2, $3, $4::text[], ARRAY(
             SELECT u FROM unnest($4::text[]) WITH ORDINALITY AS d(u, n)
             WHERE NOT EXISTS (SELECT 1 FROM problem_lists p WHERE p.campaign_id = $1 AND p.week = $2 AND p.unit_id = d.u)
             ORDER BY n), $5
           ON CONFLICT DO NOTHING RETURNING campaign_id`,
          [w.campaignId, w.week, w.deadline, w.unitsDue, w.closedAt],
        );
        const week = (await readWeek(tx, w.campaignId, w.week))!;
        if (inserted.length > 0)
          await insertAudit(tx, {
            key: `problem-list-week:${w.campaignId}:${w.week}`,
            actor: 'system',
            action: 'problem-list-week-closed',
            subjectType: 'problem-list',
            subjectId: subject(w.campaignId, w.week),
            reason: "the week's deadline: its 台账 to the lead office, the missing units to their leaders",
            detail: { unitsDue: week.unitsDue, missing: week.missing },
            at: w.closedAt,
          });
        return week;
      }),

    getProblemListWeek: (campaignId, week) => readWeek(db, campaignId, week),
  };
}
