// The year's statistics table and typical cases list (domain/year-statistics.ts) from the ledger, as of the year's end
// or of now while the year runs: `jianguan report year` and the year-end summary make them with the same code.
import { yearStart } from '../domain/calendar';
import { yearStatisticsForms, type YearStatisticsInput } from '../domain/year-statistics';
import type { TypicalCaseLedger, WeeklyReportLedger } from '../records/types';
import { ledgerTables } from './weekly-report';
import { formsXlsx } from './weekly-report-files';

export interface YearStatisticsRequest {
  jurisdiction: { code: string; name: string };
  year: number;
  timeZone: string;
  /** The figures are as of the year's end, or of `now` when that is earlier. */
  now: Date;
}

/** The year's figures from the ledger (none yet for a year that has not begun). */
export async function yearStatisticsFromLedger(
  ledger: WeeklyReportLedger & TypicalCaseLedger,
  request: YearStatisticsRequest,
): Promise<YearStatisticsInput> {
  const { jurisdiction, year, timeZone, now } = request;
  const start = yearStart(year, timeZone);
  const end = yearStart(year + 1, timeZone);
  const cutOff = now < start ? start : now < end ? now : end;
  const { tables, figures } = await ledgerTables(ledger, {
    jurisdiction,
    label: `${year}年`,
    timeZone,
    periodStart: start,
    cutOff,
  });
  const typicalCases = await ledger.listTypicalCases(jurisdiction.code, year);
  return { year, tables, cases: figures.cases, typicalCases };
}

/** The statistics and the typical cases as one XLSX workbook (two sheets). */
export const yearStatisticsXlsx = (input: YearStatisticsInput): Promise<Buffer> =>
  formsXlsx(yearStatisticsForms(input), new Date(input.tables.cutOff));

/** "清溪区2027年打击欺诈骗保工作情况统计表.xlsx". */
export const yearStatisticsFileName = (input: YearStatisticsInput): string =>
  `${input.tables.jurisdiction.name}${input.year}年打击欺诈骗保工作情况统计表.xlsx`;
