// A period a rule gives someone to act, stated as the rule states it: in calendar days ("30日内") or in working days
// ("5个工作日内", counted on the official holiday calendar with its make-up workdays, domain/workdays.ts).
// `deadlineAfter` turns it into the deadline instant: the period's last day at the plan's end-of-day time.
//
// Pure and deterministic (no clock): callers pass the instant the period runs from (workflow time) and the holiday
// calendar working days count on (domain/workdays.ts `holidayCalendar`, from the plan years their input carries).
import { daysLaterAt } from './calendar';
import type { HolidayCalendar } from './workdays';

export type Period =
  { readonly days: number; readonly workingDays?: undefined } | { readonly workingDays: number; readonly days?: undefined };

function checkCount(n: unknown, what: string): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new RangeError(`${what} must be a positive integer, got ${String(n)}`);
}

/**
 * A period as a plan may state it: a bare number is calendar days (the form of the plans and recorded case histories
 * before working days could be given), else a period object.
 */
export type DaysOrPeriod = number | Period;

/** The period a plan figure states: a bare number `n` is `{ days: n }`. */
export function periodOf(value: DaysOrPeriod): Period {
  return typeof value === 'number' ? { days: value } : value;
}

/** The period `times` times as long, in the same unit: a run of `times` consecutive periods ends at its deadline. */
export function timesPeriod(period: Period, times: number): Period {
  return period.days !== undefined ? { days: times * period.days } : { workingDays: times * period.workingDays! };
}

/** Refuses anything but exactly one of `days` / `workingDays`, a positive integer. */
export function checkPeriod(period: Period): void {
  const p = period as { days?: unknown; workingDays?: unknown };
  if (typeof p !== 'object' || p === null)
    throw new RangeError(`a period must be { days: n } or { workingDays: n }, got ${String(period)}`);
  if ((p.days === undefined) === (p.workingDays === undefined)) {
    throw new RangeError(`a period must give exactly one of days, workingDays, got ${JSON.stringify(period)}`);
  }
  if (p.days !== undefined) checkCount(p.days, 'days');
  else checkCount(p.workingDays, 'workingDays');
}

/**
 * The deadline of `period` counted from `from`: the local date `n` calendar days (or the `n`-th working day on
 * `holidays`) after `from`'s local date in `timeZone`, at `endOfDay` ("HH:mm"). The day of `from` itself never counts.
 * A working-day period reaching a year the calendar does not cover throws a RangeError (never guessed, see
 * domain/workdays.ts).
 */
export function deadlineAfter(from: Date, period: Period, endOfDay: string, timeZone: string, holidays: HolidayCalendar): Date {
  checkPeriod(period);
  return period.days !== undefined
    ? daysLaterAt(from, period.days, endOfDay, timeZone)
    : holidays.addWorkingDays(from, period.workingDays!, timeZone, endOfDay);
}

/** The period as a Chinese text says it: "5个工作日", "30日". */
export function describePeriod(period: Period): string {
  checkPeriod(period);
  return period.days !== undefined ? `${period.days}日` : `${period.workingDays}个工作日`;
}

/** Calendar days at most in the period, for bounds that must never come before the real deadline. */
export function maxCalendarDays(period: Period): number {
  checkPeriod(period);
  if (period.days !== undefined) return period.days;
  // Working days: every 7 calendar days hold 5 of them except around a long official holiday; the longest run of days
  // off so far was the 2020 Spring Festival's 10 (extended), and a plan year may not exceed it (domain/workdays.ts
  // MAX_DAYS_OFF_IN_A_ROW), so 7·⌈n/5⌉ + 14 calendar days always hold n of them.
  return 7 * Math.ceil(period.workingDays! / 5) + 14;
}
