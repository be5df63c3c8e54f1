// The yearly calendar (DESIGN §3): when the cycle starts, and the dates of coverage, closure review, flying checks,
// year-end summary and weekly report, in the jurisdiction's time zone; and the official holiday arrangements
// (放假调休) of years the built-in data lacks, which working-day deadlines count (domain/workdays.ts).
import { z } from 'zod';
import { END_OF_DAY } from '../../domain/calendar';
import {
  builtInDifference,
  holidayArrangementProblems,
  type Difference,
  type HolidayArrangement,
  type HolidaySource,
} from '../../domain/workdays';
import { citation, integer, isMonthDay, monthDay, positiveInt, text, timeOfDay } from './fields';
import { field, isRow, type Report } from './unchecked';

/**
 * One year's official arrangement, copied from 国务院办公厅关于YYYY年部分节假日安排的通知 (the key is the year). The
 * dates are checked in `calendarProblems` below (domain/workdays.ts `holidayArrangementProblems`), with the year.
 */
const holidayYear = z.strictObject({
  /** The notice's title, number (国办发明电〔…〕…号) or address, so anyone can check the dates against it. */
  notice: citation,
  /** Days off (放假): "YYYY-MM-DD" or "YYYY-MM-DD/YYYY-MM-DD" (first/last day inclusive), as the notice lists them. */
  daysOff: z.array(z.string()).min(1),
  /** Weekend days declared working days (调休上班). */
  workdays: z.array(z.string()).optional(),
  /** The plan's dates are right where the `chinese-days` package's differ (a difference is refused otherwise). */
  overridesPackage: z.boolean().optional(),
  /** Why, with overridesPackage. */
  reason: text.optional(),
});

export const calendar = z.strictObject({
  /** When a deadline stated in days ends on its last day (整改期限、陈述申辩期 …): the local time of day. */
  endOfDay: timeOfDay.default(END_OF_DAY),
  /**
   * The cycle year starts on 1 January (DESIGN §3): the yearly Schedule starts `annual:{jurisdiction}:{year}` then, at
   * this local time, and each part waits for its own start date (coverage.start may be later). A start missed while
   * the server was down is still taken within `catchupWindowDays` (at most 364: a catch-up never reaches next year).
   */
  annualCycle: z
    .strictObject({ startTime: timeOfDay.default('00:05'), catchupWindowDays: integer.min(1).max(364).default(30) })
    .prefault({}),
  coverage: z.strictObject({
    start: monthDay,
    deadline: monthDay,
    deadlineTime: timeOfDay.default(END_OF_DAY),
    /** How often the campaign re-reads its progress from the ledger for the Web UI (at reminders.timeOfDay). */
    progressEveryDays: positiveInt.default(1),
  }),
  closureReview: z.strictObject({ start: monthDay, deadline: monthDay }),
  flyingChecks: z.strictObject({ start: monthDay, end: monthDay }),
  yearEndSummary: monthDay,
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  weeklyReportWeekday: integer.min(1).max(7),
  /**
   * The official holiday arrangement of a year, by year ("2027"): preferred over the built-in data of that year
   * (domain/workdays.ts). Left out (no default), so plans without it give the workflows the inputs they always did.
   */
  holidays: z.record(z.string(), holidayYear).optional(),
});

/** Periods lie within one calendar year, so a deadline before its start is a typo, not a period over New Year. */
export function calendarProblems(plan: unknown, report: Report): void {
  const cal = field(plan, 'calendar');
  for (const [period, endKey] of [
    ['coverage', 'deadline'],
    ['closureReview', 'deadline'],
    ['flyingChecks', 'end'],
  ]) {
    const start = field(field(cal, period), 'start');
    const end = field(field(cal, period), endKey);
    if (typeof start === 'string' && typeof end === 'string' && isMonthDay(start) && isMonthDay(end) && end < start) {
      report(['calendar', period, endKey], `${end} is before its start ${start}`);
    }
  }
  yearEndProblems(cal, report);
  holidayProblems(field(cal, 'holidays'), report);
}

/** The year-end summary gives the year's figures: sent while flying checks still run, it would leave theirs out. */
function yearEndProblems(cal: unknown, report: Report): void {
  const summary = field(cal, 'yearEndSummary');
  const flyingEnd = field(field(cal, 'flyingChecks'), 'end');
  if (typeof summary !== 'string' || typeof flyingEnd !== 'string' || !isMonthDay(summary) || !isMonthDay(flyingEnd)) return;
  if (summary <= flyingEnd)
    report(
      ['calendar', 'yearEndSummary'],
      `${summary} is not after calendar.flyingChecks.end ${flyingEnd}: the summary would leave out the flying checks still running`,
    );
}

const listDates = (dates: readonly string[]) => (dates.length > 0 ? dates.join(', ') : 'none');

/** The built-in data a plan year is compared with, as messages name it. */
export const builtInName = (source: HolidaySource) =>
  source === 'supplement' ? 'domain/holidays/supplement.ts' : 'the chinese-days package';

/** "days off only in the plan: …; only in the package: …" for the parts that differ. */
export function describeDifference(what: string, difference: Difference, source: HolidaySource): string[] {
  const { onlyInPlan, onlyBuiltIn } = difference;
  if (onlyInPlan.length === 0 && onlyBuiltIn.length === 0) return [];
  const other = source === 'supplement' ? 'the supplement' : 'the package';
  return [`${what} only in the plan: ${listDates(onlyInPlan)}; only in ${other}: ${listDates(onlyBuiltIn)}`];
}

/**
 * Each year of `calendar.holidays`: its dates (holidayArrangementProblems), `reason` with `overridesPackage`, and, where
 * the built-in data has the year too, the same dates: both transcribe the same notice, so a difference is a typo in
 * one of them, refused unless the plan says `overridesPackage: true` and why (then `plan check` warns, naming them).
 */
function holidayProblems(holidays: unknown, report: Report): void {
  if (!isRow(holidays)) return;
  for (const [key, year] of Object.entries(holidays)) {
    const at = ['calendar', 'holidays', key];
    if (!isRow(year)) continue;
    const list = (value: unknown) => (Array.isArray(value) ? (value as unknown[]) : []);
    // Without any day off, the schema's message says all there is to say (unless the key is wrong too).
    const daysOff = list(year.daysOff);
    const problems =
      daysOff.length > 0 || !/^\d{4}$/.test(key) ? holidayArrangementProblems(key, { daysOff, workdays: list(year.workdays) }) : [];
    for (const problem of problems) report([...at, ...problem.path], problem.message);
    if (year.overridesPackage === true && year.reason === undefined) {
      report([...at, 'reason'], 'required with overridesPackage: true: why the plan is right where the package differs');
    }
    if (year.overridesPackage !== true && year.reason !== undefined) report([...at, 'reason'], 'only with overridesPackage: true');
    const wellFormed =
      problems.length === 0 &&
      daysOff.length > 0 &&
      Array.isArray(year.daysOff) &&
      year.daysOff.every((d) => typeof d === 'string') &&
      (year.workdays === undefined || (Array.isArray(year.workdays) && year.workdays.every((d) => typeof d === 'string')));
    if (!wellFormed || year.overridesPackage === true) continue;
    const difference = builtInDifference(Number(key), year as unknown as HolidayArrangement);
    if (!difference) continue;
    const parts = [
      ...describeDifference('days off', difference.daysOff, difference.source),
      ...describeDifference('make-up workdays', difference.workdays, difference.source),
    ];
    if (parts.length === 0) continue;
    report(
      at,
      `differs from ${key} in ${builtInName(difference.source)}, which transcribes the same notice, so one of them has a typo: ${parts.join('; ')}. ` +
        'Check the notice; if the plan is right, set overridesPackage: true and give the reason',
    );
  }
}
