// The year-end summary (年度总结, by 18 December, seed 003): figures from the ledger, mailed to leadership with the
// year's statistics table and typical cases (seed 003 §6: 总结、相关典型案例以及…统计表) as an XLSX attachment.
import { loadPlan } from '../config';
import { yearSummaryMessage, type YearFigures } from '../domain/coverage-messages';
import { formatYuan } from '../domain/inspection';
import type { SummaryLedger, TypicalCaseLedger, WeeklyReportLedger } from '../records/types';
import type { Notification } from './notifications';
import { XLSX_TYPE } from './weekly-report-files';
import { yearStatisticsFileName, yearStatisticsFromLedger, yearStatisticsXlsx } from './year-statistics';

export function createSummaryActivities(deps: {
  summary: SummaryLedger;
  statistics: WeeklyReportLedger & TypicalCaseLedger;
  planFile: string;
  send: (n: Notification) => Promise<unknown>;
}) {
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
        // On-site inspections made: not those covered by another inspection's visit (counted there).
        inspected: s.inspections - n('assigned') - n('overdue') - n('unreported') - n('covered'),
        withViolations: s.withViolations,
        lossFen: s.lossFen,
        // Rectifications still open inside inspections (before cases existed) and open cases.
        open: n('rectifying') + n('rectification-overdue') + n('unrectified') + s.cases.open,
        overdue: n('overdue') + n('unreported'),
        notificationsSent: s.notificationsSent,
        grades: s.grades,
        cases: { ...s.cases },
      };
      const { timeZone } = (await loadPlan(deps.planFile)).jurisdiction;
      const statistics = await yearStatisticsFromLedger(deps.statistics, {
        jurisdiction: { code: args.jurisdiction, name: args.jurisdictionName },
        year: args.year,
        timeZone,
        now: new Date(),
      });
      const message = yearSummaryMessage(args.jurisdictionName, figures, formatYuan);
      await deps.send({
        key: args.key,
        kind: 'year-summary',
        to: args.to,
        subject: message.subject,
        text: `${message.text}\n\n附件：${args.year}年打击欺诈骗保工作情况统计表及曝光典型案例 ${statistics.typicalCases.length} 件。`,
        attachments: [
          { filename: yearStatisticsFileName(statistics), content: await yearStatisticsXlsx(statistics), contentType: XLSX_TYPE },
        ],
      });
      return figures;
    },
  };
}
