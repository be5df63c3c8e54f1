// Official holiday arrangements the `chinese-days` package does not have yet (see "Yearly update" at the top of
// domain/workdays.ts). Normally empty: a bureau puts a new year's notice into its plan (calendar.holidays), which
// reaches the workflows started after it. This is for the workflows already running then, which count only on the plan
// years their input carried: when one of their working-day deadlines may reach into the year before the package ships
// it. Copy the notice exactly; a year listed here replaces the package's data for that year entirely. Remove the entry
// once the package has the year (the tests compare them).
// Pure data: no imports, it bundles into the workflow sandbox.

export interface YearArrangement {
  /** The notice: 国务院办公厅关于YYYY年部分节假日安排的通知, its number (国办发明电〔…〕…号) or date, and its www.gov.cn address. */
  source: string;
  /** Every day off (放假) of the year's official holidays, YYYY-MM-DD, weekends inside a holiday included. */
  holidays: readonly string[];
  /** Every weekend day the notice declares a working day (调休上班), YYYY-MM-DD. */
  workdays: readonly string[];
}

export const HOLIDAY_SUPPLEMENT: Readonly<Record<number, YearArrangement>> = {
  // Example shape (2026, as in 国务院办公厅关于2026年部分节假日安排的通知 of 2025-11-04; the package has it already):
  // 2026: {
  //   source: '国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04), https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm',
  //   holidays: ['2026-01-01', '2026-01-02', '2026-01-03', '2026-02-15', /* … every day off … */ '2026-10-07'],
  //   workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  // },
};
