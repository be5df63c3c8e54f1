// Working days (工作日) on the official Chinese holiday calendar, with its make-up workdays (调休).
//
// A deadline stated in working days ("within 5 working days") counts the days the State Council's calendar makes
// working days: Monday to Friday unless a day of an official holiday, plus the weekend days the yearly notice declares
// working days (调休上班). Each year's calendar is fixed by the State Council General Office's notice
// 国务院办公厅关于YYYY年部分节假日安排的通知, published in November or December of the year before; it cannot be
// computed, so it comes from data, in this order of precedence:
//   1. the plan's `calendar.holidays.YYYY` (config/plan/calendar.ts): the bureau copies the notice into its plan the day
//      it is out, so deadlines can reach into the new year without waiting for a release of this project or of the
//      package. The plan check compares it with the package wherever both have the year: they transcribe the same
//      notice, so a difference is a typo in one of them, refused unless the plan says `overridesPackage` and why;
//   2. domain/holidays/supplement.ts, for a year the package is late with (normally empty);
//   3. the `chinese-days` npm package (MIT), whose dist/chinese-days.json holds every year's holidays and make-up
//      workdays from 2004 on, each year sourced from that notice (cited per year in the package's
//      src/holidays/generate.ts). Only the JSON is imported (no package code): plain data that bundles into Temporal's
//      workflow sandbox.
// A year's arrangement replaces the lower sources' data of that notice: the dates of its year, and those of late
// December of the year before that its New Year holiday names (2023's notice: 2022-12-31 off).
//
// The calendar is a value (HolidayCalendar): the built-in one (2 and 3) is BUILT_IN_HOLIDAYS; `holidayCalendar(years)`
// adds a plan's years. Workflows build it from the plan years their own input or plan snapshot carries (the case rules'
// `holidays`, the plan digest's `calendar.holidays`, both recorded in the history), never from the worker's current
// plan file, so a replay computes the same deadlines. A plan year added later reaches the workflows started (or whose plan was loaded) after it; workflows
// already running see only the built-in data and what their input carried.
//
// A year the data does not cover is never guessed: every count throws a RangeError rather than treat that year's
// holidays as working days. Inside a workflow that error fails the workflow task, which Temporal retries, so a
// deadline that reaches an uncovered year waits for the data instead of being computed wrong. The plan check and the
// worker warn ahead (config/plan/load.ts `holidayCalendarWarnings`).
//
// Yearly update (README "Holiday calendar"): add the notice to the plan (calendar.holidays.YYYY), run `jianguan plan
// check`, restart the workers. Later, when the package has the year: `npm install --save chinese-days@latest`, check
// `npx tsx scripts/update-holidays.ts YYYY` against the notice, add the year to test/unit/workdays.test.ts (NOTICES),
// and deploy; the plan entry may stay (it is checked against the package from then on). Until the package has it, a
// copy in domain/holidays/supplement.ts is what serves workflows that started before the plan entry.
// Corrections to a year already covered change deadlines computed by running workflows on replay: ship them with a
// workflow patch (`patched()`) or only to new workflows.
//
// Pure and deterministic: no Node built-ins, no clock; luxon only for date and time-zone arithmetic.
import { DateTime } from 'luxon';
import calendarData from 'chinese-days/dist/chinese-days.json';
import { END_OF_DAY } from './calendar';
import { HOLIDAY_SUPPLEMENT } from './holidays/supplement';

/** One year's official arrangement as a plan states it (`calendar.holidays.YYYY`), copied from the year's notice. */
export interface HolidayArrangement {
  /** The notice: 国务院办公厅关于YYYY年部分节假日安排的通知, its number (国办发明电〔…〕…号), date or address. */
  readonly notice: string;
  /**
   * The days off (放假), each a date "YYYY-MM-DD" or a range "YYYY-MM-DD/YYYY-MM-DD" (first and last day inclusive,
   * as the notice says "1月1日至3日"), weekend days inside a holiday included.
   */
  readonly daysOff: readonly string[];
  /** The weekend days the notice declares working days (调休上班), "YYYY-MM-DD". */
  readonly workdays?: readonly string[];
  /** Use this year although it differs from the package's (the plan check refuses a difference otherwise). */
  readonly overridesPackage?: boolean;
  /** Why the plan is right where it differs from the package (required with overridesPackage). */
  readonly reason?: string;
}

/** A plan's arrangements by year ("2027"). */
export type HolidayArrangements = Readonly<Record<string, HolidayArrangement>>;

/** A problem of an arrangement, at a path inside it ([] for the year key, ['daysOff', 2], …). */
export interface HolidayProblem {
  path: (string | number)[];
  message: string;
}

/** Where a year's data comes from. */
export type HolidaySource = 'plan' | 'supplement' | 'chinese-days';

/**
 * The longest run of days without a working day any notice has made (2020's Spring Festival, extended: 10 days,
 * weekends included). domain/period.ts `maxCalendarDays` relies on it, so a plan year with a longer run is refused.
 */
export const MAX_DAYS_OFF_IN_A_ROW = 10;

// The New Year holiday of year Y's notice may begin, and its make-up workdays fall, in the last days of December of
// Y-1 (2012: 2011-12-31 上班; 2023: 2022-12-31 off). No other holiday lies in late December, so those dates belong to
// the next year's notice.
const NEW_YEAR_WINDOW_FROM = 25;

/** The year whose notice settles a date: its own year, or the next one for 25-31 December. */
function noticeYearOf(date: string): number {
  const year = Number(date.slice(0, 4));
  return date.slice(5, 7) === '12' && Number(date.slice(8, 10)) >= NEW_YEAR_WINDOW_FROM ? year + 1 : year;
}

const WEEKDAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** A real date "YYYY-MM-DD" as a UTC-anchored DateTime standing for the local date; undefined otherwise. */
function dateOf(text: string): DateTime | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const date = DateTime.fromObject({ year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) }, { zone: 'UTC' });
  return date.isValid ? date : undefined;
}

const isoOf = (date: DateTime) => date.toFormat('yyyy-MM-dd');

/** The dates of a day-off entry: a date, or a range "first/last" (inclusive). Assumes it passed the checks below. */
function expandEntry(entry: string): string[] {
  const [first, last = first] = entry.split('/');
  const dates: string[] = [];
  for (let d = dateOf(first!)!; d <= dateOf(last)!; d = d.plus({ days: 1 })) dates.push(isoOf(d));
  return dates;
}

/**
 * Every problem of one year's arrangement: the year key, each entry of `daysOff` and `workdays` (format, real dates,
 * ranges in order and inside the year, no range of weekend days only, no day twice, no day both off and a make-up
 * workday, make-up workdays on weekends), and the year as a whole (New Year's Day off; not only weekend days off; days
 * of late December before only in the New Year holiday; no run without a working day longer than any notice made).
 * These fit every year of the package's data (test/unit/holidays.test.ts). A single weekend date is allowed: notices
 * name such days (the package has 2015's Mid-Autumn as Sunday 9/27 alone). Entries that are not strings are skipped:
 * the caller's schema reports them.
 */
export function holidayArrangementProblems(
  yearKey: string,
  arrangement: { readonly daysOff: readonly unknown[]; readonly workdays?: readonly unknown[] },
): HolidayProblem[] {
  if (!/^\d{4}$/.test(yearKey)) return [{ path: [], message: `expected a year of four digits, got "${yearKey}"` }];
  const year = Number(yearKey);
  const problems: HolidayProblem[] = [];
  const report = (path: (string | number)[], message: string) => problems.push({ path, message });
  const outside = (date: string) =>
    `${date} is outside ${year}: the notice for ${year} names days of ${year} up to 24 December (the days after belong to the next New Year holiday), and days of late December ${year - 1} only for its own New Year holiday`;

  // Days off: date → the index of the entry that gives it.
  const off = new Map<string, number>();
  const dayOffProblem = (entry: string, i: number): string | undefined => {
    const parts = entry.split('/');
    const dates = parts.map(dateOf);
    if (parts.length > 2 || dates.some((d) => d === undefined)) {
      return `expected a real date "YYYY-MM-DD" or a range of them "YYYY-MM-DD/YYYY-MM-DD", got "${entry}"`;
    }
    const first = dates[0]!;
    const last = dates[dates.length - 1]!;
    if (last < first) return `the range ends (${isoOf(last)}) before it starts (${isoOf(first)})`;
    for (const d of [first, last]) if (noticeYearOf(isoOf(d)) !== year) return outside(isoOf(d));
    const days = expandEntry(entry);
    if (days.length > 1 && days.every((date) => dateOf(date)!.weekday >= 6)) {
      return `${entry} holds weekend days only, which are off anyway: a notice's range of days off always includes a weekday (typo?)`;
    }
    for (const date of days) {
      const seen = off.get(date);
      if (seen !== undefined) return `${date} is already a day off in daysOff[${seen}]`;
      off.set(date, i);
    }
    return undefined;
  };
  for (const [i, entry] of arrangement.daysOff.entries()) {
    const problem = typeof entry === 'string' ? dayOffProblem(entry, i) : undefined;
    if (problem) report(['daysOff', i], problem);
  }

  const on = new Map<string, number>();
  const workdayProblem = (entry: string, i: number): string | undefined => {
    const date = dateOf(entry);
    if (!date) return `expected a real date "YYYY-MM-DD", got "${entry}"`;
    if (noticeYearOf(entry) !== year) return outside(entry);
    if (date.weekday <= 5) return `${entry} is a ${WEEKDAY_NAMES[date.weekday]}: a make-up workday (调休上班) is a Saturday or Sunday`;
    const seen = on.get(entry);
    if (seen !== undefined) return `${entry} is already listed in workdays[${seen}]`;
    const offAt = off.get(entry);
    if (offAt !== undefined) return `${entry} is also a day off (daysOff[${offAt}]): a day is either off or a make-up workday`;
    on.set(entry, i);
    return undefined;
  };
  for (const [i, entry] of (arrangement.workdays ?? []).entries()) {
    const problem = typeof entry === 'string' ? workdayProblem(entry, i) : undefined;
    if (problem) report(['workdays', i], problem);
  }

  if (!off.has(`${year}-01-01`) && !problems.some((p) => p.path[0] === 'daysOff')) {
    report(['daysOff'], `misses New Year's Day (元旦) ${year}-01-01, a statutory holiday every year`);
  }
  if (problems.length > 0) return problems;

  // Runs without a working day: days off and weekends, less make-up workdays.
  const resting = (d: DateTime) => !on.has(isoOf(d)) && (off.has(isoOf(d)) || d.weekday >= 6);
  const newYear = DateTime.utc(year, 1, 1);
  const days = [...off.keys()].sort();
  if (!days.some((date) => dateOf(date)!.weekday <= 5)) {
    report(['daysOff'], 'holds weekend days only, which are off anyway: a notice always gives weekdays off');
  }
  for (const date of days.filter((d) => d < `${year}-01-01`)) {
    let d = dateOf(date)!;
    while (d < newYear && resting(d)) d = d.plus({ days: 1 });
    if (d < newYear) {
      report(
        ['daysOff', off.get(date)!],
        `${date} is in December ${year - 1}: a notice names such days only for the New Year holiday running into ${year}-01-01`,
      );
    }
  }
  const reported = new Set<string>();
  for (const date of days) {
    if (reported.has(date)) continue;
    let from = dateOf(date)!;
    let to = from;
    while (resting(from.minus({ days: 1 }))) from = from.minus({ days: 1 });
    while (resting(to.plus({ days: 1 }))) to = to.plus({ days: 1 });
    for (let d = from; d <= to; d = d.plus({ days: 1 })) reported.add(isoOf(d));
    const length = to.diff(from, 'days').days + 1;
    if (length > MAX_DAYS_OFF_IN_A_ROW) {
      report(
        ['daysOff', off.get(date)!],
        `${isoOf(from)} to ${isoOf(to)} are ${length} days in a row without a working day (weekends included): more than any notice made (at most ${MAX_DAYS_OFF_IN_A_ROW}), a typo?`,
      );
    }
  }
  return problems;
}

/** The dates a year's notice settles (the year, and late December before it) in a set of dates. */
const ofNotice = (dates: Iterable<string>, year: number) => [...dates].filter((date) => noticeYearOf(date) === year).sort();

/**
 * The official holiday calendar: which dates are days off and make-up workdays, and which years it covers. Build it
 * with `holidayCalendar(planYears)`; BUILT_IN_HOLIDAYS is the package's data with the supplement.
 */
export class HolidayCalendar {
  private readonly covered: ReadonlySet<number>;

  private constructor(
    private readonly off: ReadonlySet<string>,
    private readonly on: ReadonlySet<string>,
    private readonly sources: ReadonlyMap<number, HolidaySource>,
  ) {
    this.covered = new Set(sources.keys());
  }

  /** The package's data, with the years of domain/holidays/supplement.ts in place of the package's. */
  static builtIn(): HolidayCalendar {
    const sources = new Map<number, HolidaySource>();
    // Every notice declares at least New Year's Day off, so a year with a notice has holiday entries.
    for (const date of Object.keys(calendarData.holidays)) sources.set(noticeYearOf(date), 'chinese-days');
    const packaged = new HolidayCalendar(new Set(Object.keys(calendarData.holidays)), new Set(Object.keys(calendarData.workdays)), sources);
    return Object.entries(HOLIDAY_SUPPLEMENT).reduce<HolidayCalendar>(
      (calendar, [year, arrangement]) => calendar.with(Number(year), arrangement.holidays, arrangement.workdays, 'supplement'),
      packaged,
    );
  }

  /** This calendar with `year`'s notice replaced by the given days off and make-up workdays. */
  private with(year: number, off: readonly string[], on: readonly string[], source: HolidaySource): HolidayCalendar {
    const keep = (date: string) => noticeYearOf(date) !== year;
    return new HolidayCalendar(
      new Set([...[...this.off].filter(keep), ...off]),
      new Set([...[...this.on].filter(keep), ...on]),
      new Map([...this.sources, [year, source]]),
    );
  }

  /** This calendar with the plan's years in place of its own. Throws a RangeError naming every problem of a bad year. */
  withPlanYears(years: HolidayArrangements): HolidayCalendar {
    const problems = Object.entries(years).flatMap(([key, arrangement]) =>
      holidayArrangementProblems(key, arrangement).map(
        (p) =>
          `${p.path.reduce<string>((at, k) => (typeof k === 'number' ? `${at}[${k}]` : `${at}.${k}`), `calendar.holidays.${key}`)}: ${p.message}`,
      ),
    );
    if (problems.length > 0) throw new RangeError(problems.join('; '));
    return Object.entries(years).reduce<HolidayCalendar>(
      (calendar, [key, arrangement]) =>
        calendar.with(Number(key), arrangement.daysOff.flatMap(expandEntry), arrangement.workdays ?? [], 'plan'),
      this,
    );
  }

  /** Whether the calendar (holidays and make-up workdays) of `year` is known. */
  covers(year: number): boolean {
    return this.covered.has(year);
  }

  /** The years covered, in order. */
  years(): number[] {
    return [...this.covered].sort((a, b) => a - b);
  }

  /** Where `year`'s data comes from; undefined for a year not covered. */
  sourceOf(year: number): HolidaySource | undefined {
    return this.sources.get(year);
  }

  /** The years covered, as "2004-2026, 2031". */
  describeYears(): string {
    const runs: [number, number][] = [];
    for (const year of this.years()) {
      const run = runs[runs.length - 1];
      if (run && run[1] === year - 1) run[1] = year;
      else runs.push([year, year]);
    }
    return runs.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`)).join(', ');
  }

  /** The days off and make-up workdays of `year`'s notice: its dates, and those of late December before it. */
  noticeDates(year: number): { daysOff: string[]; workdays: string[] } {
    return { daysOff: ofNotice(this.off, year), workdays: ofNotice(this.on, year) };
  }

  private requireCovered(year: number): void {
    if (this.covered.has(year)) return;
    throw new RangeError(
      `no official holiday calendar for ${year} (国务院办公厅关于${year}年部分节假日安排的通知 not loaded; covered: ${this.describeYears()}): ` +
        `working days in ${year} cannot be counted. To fix, ${UPDATE_HINT(year)}`,
    );
  }

  /** Working day test on a calendar date (a UTC-anchored DateTime standing for the local date). */
  private isWorkingDate(date: DateTime): boolean {
    this.requireCovered(date.year);
    const iso = isoOf(date);
    if (this.on.has(iso)) return true;
    return date.weekday <= 5 && !this.off.has(iso);
  }

  /**
   * Whether a local calendar date (YYYY-MM-DD) is a working day: Monday–Friday unless an official holiday, and the
   * weekend days that are official make-up workdays (调休). Throws a RangeError for a malformed date or a year
   * without holiday data.
   */
  isWorkingDay(localDate: string): boolean {
    const date = dateOf(localDate);
    if (!date) throw new RangeError(`local date must be a real YYYY-MM-DD date, got "${localDate}"`);
    return this.isWorkingDate(date);
  }

  /**
   * The deadline "`days` working days after `from`": counting starts on the local day after `from`'s local date (that
   * day itself never counts, whatever the hour), and the deadline is the `days`-th working day at `timeOfDay` local
   * time. `days` must be a positive integer. Throws a RangeError (naming the year and the update procedure) when the
   * count reaches a year without holiday data.
   */
  addWorkingDays(from: Date, days: number, timeZone: string, timeOfDay = END_OF_DAY): Date {
    if (!Number.isInteger(days) || days < 1) throw new RangeError(`working days must be a positive integer, got ${days}`);
    const time = parseTimeOfDay(timeOfDay);
    let date = localDateOf(from, timeZone);
    for (let counted = 0; counted < days;) {
      date = date.plus({ days: 1 });
      if (this.isWorkingDate(date)) counted++;
    }
    const deadline = DateTime.fromObject({ year: date.year, month: date.month, day: date.day, ...time }, { zone: timeZone });
    if (!deadline.isValid)
      throw new RangeError(`${isoOf(date)} ${timeOfDay} is not a valid time in ${timeZone}: ${deadline.invalidExplanation}`);
    return deadline.toJSDate();
  }

  /**
   * The number of working days after `from`'s local date up to and including `to`'s local date: 0 when `to` is not
   * after `from` (or on the same local date). Throws a RangeError when the span reaches a year without holiday data.
   */
  workingDaysBetween(from: Date, to: Date, timeZone: string): number {
    const start = localDateOf(from, timeZone);
    const end = localDateOf(to, timeZone);
    if (to.getTime() <= from.getTime()) return 0;
    let count = 0;
    for (let date = start.plus({ days: 1 }); date <= end; date = date.plus({ days: 1 })) {
      if (this.isWorkingDate(date)) count++;
    }
    return count;
  }
}

const UPDATE_HINT = (year: number) =>
  `add the notice to the plan as calendar.holidays.${year} (workflows started after the workers restart with it count it), ` +
  'or update the built-in data once the notice is out: npm install --save chinese-days@latest (or domain/holidays/supplement.ts), ' +
  'see "Yearly update" at the top of domain/workdays.ts';

/** The package's data with the supplement: what every calendar starts from. */
export const BUILT_IN_HOLIDAYS: HolidayCalendar = HolidayCalendar.builtIn();

// One calendar per plan-years object: a workflow passes the same object (its input's) for each deadline it computes.
const withPlanYears = new WeakMap<HolidayArrangements, HolidayCalendar>();

/**
 * The calendar of the built-in data with the plan's years (`calendar.holidays`) in place of its own; the built-in
 * calendar itself when there are none. Throws a RangeError naming every problem of a bad year.
 */
export function holidayCalendar(planYears?: HolidayArrangements): HolidayCalendar {
  if (planYears === undefined || Object.keys(planYears).length === 0) return BUILT_IN_HOLIDAYS;
  let calendar = withPlanYears.get(planYears);
  if (!calendar) {
    calendar = BUILT_IN_HOLIDAYS.withPlanYears(planYears);
    withPlanYears.set(planYears, calendar);
  }
  return calendar;
}

/**
 * Where a plan year differs from the built-in data of the same notice, or undefined when the built-in data lacks the
 * year. Both are transcriptions of the same notice, so any difference is a typo in one of them. Assumes the year has
 * no problems (holidayArrangementProblems).
 */
export function builtInDifference(
  year: number,
  arrangement: HolidayArrangement,
): { source: HolidaySource; daysOff: Difference; workdays: Difference } | undefined {
  const source = BUILT_IN_HOLIDAYS.sourceOf(year);
  if (source === undefined) return undefined;
  const builtIn = BUILT_IN_HOLIDAYS.noticeDates(year);
  return {
    source,
    daysOff: difference(arrangement.daysOff.flatMap(expandEntry), builtIn.daysOff),
    workdays: difference(arrangement.workdays ?? [], builtIn.workdays),
  };
}

export interface Difference {
  onlyInPlan: string[];
  onlyBuiltIn: string[];
}

function difference(plan: readonly string[], builtIn: readonly string[]): Difference {
  return {
    onlyInPlan: plan.filter((date) => !builtIn.includes(date)).sort(),
    onlyBuiltIn: builtIn.filter((date) => !plan.includes(date)).sort(),
  };
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

// The built-in calendar as plain functions, for scripts and tests of the built-in data. Deadlines of the workflows
// count on the calendar of their plan (`holidayCalendar(planYears)`, domain/period.ts `deadlineAfter`).

/** Whether the built-in calendar covers `year`. */
export function holidayCalendarCovers(year: number): boolean {
  return BUILT_IN_HOLIDAYS.covers(year);
}

/** First and last year of the built-in calendar (every year between is covered). */
export function holidayCalendarYears(): { first: number; last: number } {
  const years = BUILT_IN_HOLIDAYS.years();
  return { first: years[0]!, last: years[years.length - 1]! };
}

/** `BUILT_IN_HOLIDAYS.isWorkingDay`. */
export function isWorkingDay(localDate: string): boolean {
  return BUILT_IN_HOLIDAYS.isWorkingDay(localDate);
}

/** `BUILT_IN_HOLIDAYS.addWorkingDays`. */
export function addWorkingDays(from: Date, days: number, timeZone: string, timeOfDay = END_OF_DAY): Date {
  return BUILT_IN_HOLIDAYS.addWorkingDays(from, days, timeZone, timeOfDay);
}

/** `BUILT_IN_HOLIDAYS.workingDaysBetween`. */
export function workingDaysBetween(from: Date, to: Date, timeZone: string): number {
  return BUILT_IN_HOLIDAYS.workingDaysBetween(from, to, timeZone);
}
