// The figures of the year-end summary (年度总结), read from every area of the ledger in one statement.
import type { CaseFigures } from '../../domain/coverage-messages';
import type { InspectionStage } from '../../domain/inspection';
import type { Db } from '../db';
import type { CreditGrade } from './institutions';
import { toFen } from './sql';

export interface YearSummary {
  jurisdiction: string;
  year: number;
  campaigns: number;
  inspections: number;
  byStage: Partial<Record<InspectionStage, number>>;
  withViolations: number;
  lossFen: number;
  notificationsSent: number;
  grades: Partial<Record<CreditGrade, number>>;
  /** The cases opened in the year (whatever their stage now), and what they amount to. */
  cases: CaseFigures;
}

export interface SummaryLedger {
  /** Figures for the year-end summary, from the ledger. */
  yearSummary(jurisdiction: string, year: number): Promise<YearSummary>;
}

export function createSummaryLedger(db: Db): SummaryLedger {
  return {
    async yearSummary(jurisdiction, year) {
      // One statement: every figure from the same snapshot.
      const [row] = await db.query<{
        campaigns: number;
        inspections: number;
        by_stage: Partial<Record<InspectionStage, number>>;
        with_violations: number;
        loss_fen: string;
        notifications_sent: number;
        grades: Partial<Record<CreditGrade, number>>;
        cases_opened: number;
        cases_open: number;
        cases_closed: number;
        cases_withdrawn: number;
        cases_loss_fen: string;
        cases_fine_fen: string;
        cases_paid_fen: string;
        case_referrals: number;
      }>(
        `WITH camp AS (SELECT id FROM campaigns WHERE jurisdiction = $1 AND year = $2),
              cs AS (SELECT id, stage, open, loss_fen, fine_fen, paid_fen FROM cases WHERE jurisdiction = $1 AND year = $2),
              insp AS (SELECT i.id, i.stage FROM inspections i JOIN camp ON camp.id = i.campaign_id),
              viol AS (SELECT f.items FROM findings f JOIN insp ON insp.id = f.inspection_id WHERE f.violation)
         SELECT
           (SELECT count(*)::int FROM camp) AS campaigns,
           (SELECT count(*)::int FROM insp) AS inspections,
           (SELECT COALESCE(jsonb_object_agg(stage, n), '{}'::jsonb)
              FROM (SELECT stage, count(*)::int AS n FROM insp GROUP BY stage) s) AS by_stage,
           (SELECT count(*)::int FROM viol) AS with_violations,
           (SELECT COALESCE(sum((item->>'amountFen')::numeric), 0)::text
              FROM viol CROSS JOIN LATERAL jsonb_array_elements(viol.items) AS item) AS loss_fen,
           (SELECT count(*)::int FROM notifications n
              WHERE n.status = 'sent' AND EXISTS (SELECT 1 FROM camp WHERE starts_with(n.key, 'inspection:' || camp.id || ':'))
           ) AS notifications_sent,
           (SELECT COALESCE(jsonb_object_agg(grade, n), '{}'::jsonb)
              FROM (SELECT grade, count(*)::int AS n FROM credit_grades WHERE jurisdiction = $1 AND year = $2 GROUP BY grade) g
           ) AS grades,
           (SELECT count(*)::int FROM cs) AS cases_opened,
           (SELECT count(*)::int FROM cs WHERE open) AS cases_open,
           (SELECT count(*)::int FROM cs WHERE stage = 'closed') AS cases_closed,
           (SELECT count(*)::int FROM cs WHERE stage = 'withdrawn') AS cases_withdrawn,
           (SELECT COALESCE(sum(loss_fen), 0)::text FROM cs) AS cases_loss_fen,
           (SELECT COALESCE(sum(fine_fen), 0)::text FROM cs) AS cases_fine_fen,
           (SELECT COALESCE(sum(paid_fen), 0)::text FROM cs) AS cases_paid_fen,
           (SELECT count(*)::int FROM case_referrals r JOIN cs ON cs.id = r.case_id) AS case_referrals`,
        [jurisdiction, year],
      );
      const summary: YearSummary = {
        jurisdiction,
        year,
        campaigns: row.campaigns,
        inspections: row.inspections,
        byStage: row.by_stage,
        withViolations: row.with_violations,
        lossFen: Number(row.loss_fen),
        notificationsSent: row.notifications_sent,
        grades: row.grades,
        cases: {
          opened: row.cases_opened,
          open: row.cases_open,
          closed: row.cases_closed,
          withdrawn: row.cases_withdrawn,
          lossFen: toFen(row.cases_loss_fen, 'cases lossFen'),
          fineFen: toFen(row.cases_fine_fen, 'cases fineFen'),
          paidFen: toFen(row.cases_paid_fen, 'cases paidFen'),
          referrals: row.case_referrals,
        },
      };
      return summary;
    },
  };
}
