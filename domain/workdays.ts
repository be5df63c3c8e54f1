// Working days (工作日) on the official Chinese holiday calendar, with its make-up workdays (调休).
//
// A deadline stated in working days ("within 5 working days") counts the days the State Council's calendar makes
// working days: Monday to Friday unless a day of an official holiday, plus the weekend days the yearly notice declares
// working days (调休上班). Each year's calendar is fixed by the State Council General Office's notice
// 国务院办公厅关于XXXX年部分节假日安排的通知, published in November or December of the year before; it cannot be
// computed, so it comes from data: the `chinese-days` npm package (MIT), whose dist/chinese-days.json holds every
// year's holidays and make-up workdays from 2004 on, each year sourced from that notice (cited per year in the
// package's src/holidays/generate.ts: 2025 = 国办发明电〔2024〕12号, 2024-11-12; 2026 = notice of 2025-11-04).
// Only the JSON is imported (no package code): plain data that bundles into Temporal's workflow sandbox.
//
// A year the data does not cover is never guessed: every function here throws a RangeError rather than treat that
// year's holidays as working days. Inside a workflow that error fails the workflow task, which Temporal retries, so a
// deadline that reaches an uncovered year waits for the data update instead of being computed wrong.
//
// Yearly update (when the notice for next year is out, usually in November; before any working-day deadline can reach
// into that year):
//   1. `npm install --save chinese-days@latest`, then `npx tsx scripts/update-holidays.ts YEAR`: it says whether YEAR
//      is covered and prints its holidays and make-up workdays to check line by line against the notice on www.gov.cn;
//   2. add YEAR's notice to test/unit/workdays.test.ts (its holiday ranges and 上班 days), run the tests, deploy the
//      workers;
//   3. if the package has not shipped YEAR yet, copy the notice into domain/holidays/supplement.ts (it takes precedence
//      for that year) and remove it once the package has the year.
// Corrections to a year already covered change deadlines computed by running workflows on replay: ship them with a
// workflow patch (`patched()`) or only to new workflows.
//
// Pure and deterministic: no Node built-ins, no clock; luxon only for time-zone arithmetic.
import { DateTime } from 'luxon';
import calendarData from 'chinese-days/dist/chinese-days.json';
import { END_OF_DAY } from './calendar';
import { HOLIDAY_SUPPLEMENT } from './holidays/supplement';

interface HolidayCalendarData {
  /** Local date (YYYY-MM-DD) → "English name,中文名,id" for each day off of an official holiday. */
  holidays: Record<string, string>;
  /** Local date → holiday it belongs to, for each weekend day declared a working day (调休上班). */
  workdays: Record<string, string>;
}

const data: HolidayCalendarData = calendarData;
const supplementYears = new Set(Object.keys(HOLIDAY_SUPPLEMENT).map(Number));
const fromPackage = (dates: Record<string, string>) => Object.keys(dates).filter((date) => !supplementYears.has(Number(date.slice(0, 4))));
const fromSupplement = (pick: 'holidays' | 'workdays') => Object.values(HOLIDAY_SUPPLEMENT).flatMap((year) => year[pick]);
const HOLIDAYS: ReadonlySet<string> = new Set([...fromPackage(data.holidays), ...fromSupplement('holidays')]);
const MAKEUP_WORKDAYS: ReadonlySet<string> = new Set([...fromPackage(data.workdays), ...fromSupplement('workdays')]);
// Every notice declares at least New Year's Day off, so a year with a notice has holiday entries.
const COVERED_YEARS: readonly number[] = [...new Set([...HOLIDAYS].map((date) => Number(date.slice(0, 4))))].sort((a, b) => a - b);
const COVERED: ReadonlySet<number> = new Set(COVERED_YEARS);

const UPDATE_HINT =
  'update the holiday data once the notice is out: npm install --save chinese-days@latest (or domain/holidays/supplement.ts), see "Yearly update" at the top of domain/workdays.ts';

/** Whether the official holiday calendar (holidays and make-up workdays) of `year` is loaded. */
export function holidayCalendarCovers(year: number): boolean {
  return COVERED.has(year);
}

/** First and last year of the loaded official holiday calendar (every year between is covered). */
export function holidayCalendarYears(): { first: number; last: number } {
  return { first: COVERED_YEARS[0], last: COVERED_YEARS[COVERED_YEARS.length - 1] };
}

function requireCovered(year: number): void {
  if (COVERED.has(year)) return;
  const { first, last } = holidayCalendarYears();
  throw new RangeError(
    `no official holiday calendar for ${year} (国务院办公厅关于${year}年部分节假日安排的通知 not loaded; covered: ${first}-${last}): ` +
      `working days in ${year} cannot be counted. To fix, ${UPDATE_HINT}`,
  );
}

function parseLocalDate(localDate: string): DateTime {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate);
  const date = match
    ? DateTime.fromObject({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) }, { zone: 'UTC' })
    : undefined;
  if (!date?.isValid) throw new RangeError(`local date must be a real YYYY-MM-DD date, got "${localDate}"`);
  return date;
}

/** Working day test on a calendar date (a UTC-anchored DateTime standing for the local date). */
function isWorkingDate(date: DateTime): boolean {
  requireCovered(date.year);
  const iso = date.toFormat('yyyy-MM-dd');
  if (MAKEUP_WORKDAYS.has(iso)) return true;
  return date.weekday <= 5 && !HOLIDAYS.has(iso);
}

/**
 * Whether a local calendar date (YYYY-MM-DD) is a working day: Monday–Friday unless an official holiday, and the
 * weekend days that are official make-up workdays (调休). Throws a RangeError for a malformed date or a year
 * without holiday data.
 */
export function isWorkingDay(localDate: string): boolean {
  return isWorkingDate(parseLocalDate(localDate));
}

function localDateOf(instant: Date, timeZone: string): DateTime {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) throw new RangeError(`not a valid instant: ${String(instant)}`);
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  if (!local.isValid) throw new RangeError(`cannot place ${instant.toISOString()} in time zone "${timeZone}": ${local.invalidExplanation}`);
  return DateTime.fromObject({ year: local.year, month: local.month, day: local.day }, { zone: 'UTC' });
}

function parseTimeOfDay(hhmm: string): { hour: number; minute: number } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!match) throw new RangeError(`time of day must be HH:mm (00:00-23:59), got "${hhmm}"`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/**
 * The deadline "`days` working days after `from`": counting starts on the local day after `from`'s local date (that
 * day itself never counts, whatever the hour), and the deadline is the `days`-th working day at `timeOfDay` local
 * time. `days` must be a positive integer. Throws a RangeError (naming the year and the update procedure) when the
 * count reaches a year without holiday data.
 */
export function addWorkingDays(from: Date, days: number, timeZone: string, timeOfDay = END_OF_DAY): Date {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`working days must be a positive integer, got ${days}`);
  const time = parseTimeOfDay(timeOfDay);
  let date = localDateOf(from, timeZone);
  for (let counted = 0; counted < days;) {
    date = date.plus({ days: 1 });
    if (isWorkingDate(date)) counted++;
  }
  const deadline = DateTime.fromObject({ year: date.year, month: date.month, day: date.day, ...time }, { zone: timeZone });
  if (!deadline.isValid)
    throw new RangeError(`${date.toFormat('yyyy-MM-dd')} ${timeOfDay} is not a valid time in ${timeZone}: ${deadline.invalidExplanation}`);
  return deadline.toJSDate();
}

/**
 * The number of working days after `from`'s local date up to and including `to`'s local date: 0 when `to` is not
 * after `from` (or on the same local date). Throws a RangeError when the span reaches a year without holiday data.
 */
export function workingDaysBetween(from: Date, to: Date, timeZone: string): number {
  const start = localDateOf(from, timeZone);
  const end = localDateOf(to, timeZone);
  if (to.getTime() <= from.getTime()) return 0;
  let count = 0;
  for (let date = start.plus({ days: 1 }); date <= end; date = date.plus({ days: 1 })) {
    if (isWorkingDate(date)) count++;
  }
  return count;
}
