// The yearly calendar (DESIGN §3): when the cycle starts, and the dates of coverage, closure review, flying checks,
// year-end summary and weekly report, in the jurisdiction's time zone.
import { z } from 'zod';
import { END_OF_DAY } from '../../domain/calendar';
import { integer, isMonthDay, monthDay, positiveInt, timeOfDay } from './fields';
import { field, type Report } from './unchecked';

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
}
