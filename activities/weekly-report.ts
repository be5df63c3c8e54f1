// The weekly tables (周报表, seed 004): the ledger's figures as of the week's cut-off into the three tables, and the
// tables to their recipients as XLSX and CSV attachments, once per week (the notice's key). `jianguan report weekly`
// makes the same tables with weeklyTablesFromLedger.
import { formatLocalDate } from '../domain/calendar';
import { weeklyReportMessage } from '../domain/weekly-report-forms';
import { weeklyPeriod, weeklyTables, type WeeklyTables } from '../domain/weekly-report';
import type { ClueLedger, WeeklyLedgerFigures, WeeklyReportLedger } from '../records/types';
import { officialDocumentsDocx, DOCX_TYPE } from './documents';
import { documentOfText } from '../domain/documents';
import type { Notification } from './notifications';
import { CSV_TYPE, weeklyReportCsv, weeklyReportFileName, weeklyReportXlsx, XLSX_TYPE } from './weekly-report-files';

export interface WeeklyTablesRequest {
  jurisdiction: { code: string; name: string };
  week: string;
  timeZone: string;
  /** The plan's `calendar.weeklyReportWeekday` and `weeklyReport.time`. */
  weekday: number;
  time: string;
}

/** The running totals of [periodStart, cutOff] from the ledger, as tables (and the cases they were counted from). */
export async function ledgerTables(
  ledger: WeeklyReportLedger,
  request: { jurisdiction: { code: string; name: string }; label: string; timeZone: string; periodStart: Date; cutOff: Date },
): Promise<{ tables: WeeklyTables; figures: WeeklyLedgerFigures }> {
  const { periodStart, cutOff, timeZone } = request;
  const figures = await ledger.weeklyReportFigures(request.jurisdiction.code, {
    periodStart: periodStart.toISOString(),
    cutOff: cutOff.toISOString(),
    firstDay: formatLocalDate(periodStart, timeZone),
  });
  const tables = weeklyTables({
    jurisdiction: request.jurisdiction,
    week: request.label,
    timeZone,
    periodStart: periodStart.toISOString(),
    cutOff: cutOff.toISOString(),
    ...figures,
  });
  return { tables, figures };
}

/** The tables of a week from the ledger, as of the week's cut-off. */
export async function weeklyTablesFromLedger(ledger: WeeklyReportLedger, request: WeeklyTablesRequest): Promise<WeeklyTables> {
  const { periodStart, cutOff } = weeklyPeriod(request.week, request.weekday, request.time, request.timeZone);
  const { jurisdiction, week: label, timeZone } = request;
  return (await ledgerTables(ledger, { jurisdiction, label, timeZone, periodStart, cutOff })).tables;
}

/** The week the reports upward cover: the seven days to the cut-off. */
const WEEK_MS = 7 * 86_400_000;

export function createWeeklyReportActivities(deps: {
  weekly: WeeklyReportLedger;
  clues: ClueLedger;
  send: (n: Notification) => Promise<unknown>;
}) {
  return {
    weeklyReportTables: (request: WeeklyTablesRequest): Promise<WeeklyTables> => weeklyTablesFromLedger(deps.weekly, request),

    /**
     * Mails the tables with both files attached, and the processing reports of the transferred clues decided in the
     * week as one Word document (逐案形成处理报告，连同周报表每周三报送); a retry sends nothing twice (the notice's key).
     */
    async sendWeeklyReport(args: { key: string; tables: WeeklyTables; to: Array<{ name: string; email: string }> }): Promise<void> {
      const { tables } = args;
      const reports = await deps.clues.listTransferredReports(
        tables.jurisdiction.code,
        new Date(Date.parse(tables.cutOff) - WEEK_MS).toISOString(),
        tables.cutOff,
      );
      const message = weeklyReportMessage(tables);
      await deps.send({
        key: args.key,
        kind: 'weekly-report',
        to: args.to,
        subject: message.subject,
        text: reports.length ? `${message.text}\n\n附：本周办结的国家局、省局转办线索处理报告 ${reports.length} 份。` : message.text,
        attachments: [
          { filename: weeklyReportFileName(tables, 'xlsx'), content: await weeklyReportXlsx(tables), contentType: XLSX_TYPE },
          { filename: weeklyReportFileName(tables, 'csv'), content: weeklyReportCsv(tables), contentType: CSV_TYPE },
          ...(reports.length
            ? [
                {
                  filename: `举报线索处理报告-${tables.week}.docx`,
                  content: await officialDocumentsDocx(reports.map((r) => documentOfText(r.report!))),
                  contentType: DOCX_TYPE,
                },
              ]
            : []),
        ],
      });
    },
  };
}
