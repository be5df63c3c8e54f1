// The year-end summary (年度总结, by 18 December, seed 003): figures from the ledger, mailed to leadership.
import { yearSummaryMessage, type YearFigures } from '../domain/coverage-messages';
import { formatYuan } from '../domain/inspection';
import type { SummaryLedger } from '../records/types';
import type { Notification } from './notifications';

export function createSummaryActivities(deps: { summary: SummaryLedger; send: (n: Notification) => Promise<unknown> }) {
  return {
    async sendYearSummary(args: {
      key: string;
      jurisdiction: string;
      jurisdictionName: string;
      year: number;
      to: Array<{ name: string; email: string }>;
    }): Promise<YearFigures> {
      const s = await deps.summary.yearSummary(args.jurisdiction, args.year);
      const n = (stage: keyof typeof s.byStage) => s.byStage[stage] ?? 0;
      const figures: YearFigures = {
        year: args.year,
        campaigns: s.campaigns,
        inspections: s.inspections,
        inspected: s.inspections - n('assigned') - n('overdue') - n('unreported'),
        withViolations: s.withViolations,
        lossFen: s.lossFen,
        // Rectifications still open inside inspections (before cases existed) and open cases.
        open: n('rectifying') + n('rectification-overdue') + n('unrectified') + s.cases.open,
        overdue: n('overdue') + n('unreported'),
        notificationsSent: s.notificationsSent,
        grades: s.grades,
        cases: { ...s.cases },
      };
      await deps.send({
        key: args.key,
        kind: 'year-summary',
        to: args.to,
        ...yearSummaryMessage(args.jurisdictionName, figures, formatYuan),
      });
      return figures;
    },
  };
}
