// The weekly tables (周报表, seed 004): the ledger's figures as of the week's cut-off into the three tables, and the
// tables to their recipients as XLSX and CSV attachments, once per week (the notice's key). `jianguan report weekly`
// makes the same tables with weeklyTablesFromLedger.
import { formatLocalDate } from '../domain/calendar';
import { weeklyReportMessage } from '../domain/weekly-report-forms';
import { weeklyPeriod, weeklyTables, type WeeklyTables } from '../domain/weekly-report';
import type { WeeklyReportLedger } from '../records/types';
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

/** The tables of a week from the ledger, as of the week's cut-off. */
export async function weeklyTablesFromLedger(ledger: WeeklyReportLedger, request: WeeklyTablesRequest): Promise<WeeklyTables> {
  const { periodStart, cutOff } = weeklyPeriod(request.week, request.weekday, request.time, request.timeZone);
  const figures = await ledger.weeklyReportFigures(request.jurisdiction.code, {
    periodStart: periodStart.toISOString(),
    cutOff: cutOff.toISOString(),
    firstDay: formatLocalDate(periodStart, request.timeZone),
  });
  return weeklyTables({
    jurisdiction: request.jurisdiction,
    week: request.week,
    timeZone: request.timeZone,
    periodStart: periodStart.toISOString(),
    cutOff: cutOff.toISOString(),
    ...figures,
    // Recorded nowhere yet (issue 13 items 1 and 2): the forms show 月营业额 blank and these as none.
    turnoverFen: {},
    patientRefunds: [],
    persons: [],
    personRecoveries: [],
    rules: [],
  });
}

export function createWeeklyReportActivities(deps: { weekly: WeeklyReportLedger; send: (n: Notification) => Promise<unknown> }) {
  return {
    weeklyReportTables: (request: WeeklyTablesRequest): Promise<WeeklyTables> => weeklyTablesFromLedger(deps.weekly, request),

    /** Mails the tables with both files attached; a retry sends nothing twice (the notice's key). */
    async sendWeeklyReport(args: { key: string; tables: WeeklyTables; to: Array<{ name: string; email: string }> }): Promise<void> {
      const { tables } = args;
      await deps.send({
        key: args.key,
        kind: 'weekly-report',
        to: args.to,
        ...weeklyReportMessage(tables),
        attachments: [
          { filename: weeklyReportFileName(tables, 'xlsx'), content: await weeklyReportXlsx(tables), contentType: XLSX_TYPE },
          { filename: weeklyReportFileName(tables, 'csv'), content: weeklyReportCsv(tables), contentType: CSV_TYPE },
        ],
      });
    },
  };
}
