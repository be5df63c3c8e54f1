// Reminders go out "n days before the deadline" (domain/calendar.ts reminderSchedule), and one that would come before
// its period has even started is dropped there without a word. An offset longer than its period is therefore a plan
// error: the bureau believes a reminder will be sent that never can be.
import { DateTime } from 'luxon';
import { maxCalendarDays, periodOf, type DaysOrPeriod } from '../../domain/period';
import { isMonthDay } from './fields';
import { field, isCount, isRow, type Path, type Report } from './unchecked';

/** A period of the plan that reminders count back from, with the calendar days it lasts at most. */
interface RemindedPeriod {
  /** Where the period is set, as messages name it, e.g. `calendar.coverage` or `cases.paymentPeriodDays`. */
  name: string;
  longestDays: number;
}

/** Days from `start` to `end` ("MM-DD", same year) in a year without 29 February: the shortest the period is. */
function monthDaySpan(start: unknown, end: unknown): number | undefined {
  if (typeof start !== 'string' || typeof end !== 'string' || !isMonthDay(start) || !isMonthDay(end) || end < start) return undefined;
  return DateTime.fromISO(`2027-${end}`).diff(DateTime.fromISO(`2027-${start}`), 'days').days;
}

const isPeriod = (value: unknown): value is DaysOrPeriod =>
  isCount(value) || (isRow(value) && isCount(value.days) !== isCount(value.workingDays) && Object.keys(value).length === 1);

/** A day-count or period field of the plan, as a reminded period; undefined when malformed (its own message says so). */
function periodField(plan: unknown, section: string, key: string): RemindedPeriod | undefined {
  const value = field(field(plan, section), key);
  return isPeriod(value) ? { name: `${section}.${key}`, longestDays: maxCalendarDays(periodOf(value)) } : undefined;
}

/** A calendar period of the plan (`calendar.coverage`: start → deadline); undefined when malformed. */
function calendarPeriod(plan: unknown, period: string, endKey: string): RemindedPeriod | undefined {
  const dates = field(field(plan, 'calendar'), period);
  const span = monthDaySpan(field(dates, 'start'), field(dates, endKey));
  return span === undefined
    ? undefined
    : { name: `calendar.${period} (${String(field(dates, 'start'))} to ${String(field(dates, endKey))})`, longestDays: span };
}

/** Each offset at `path` longer than one of `periods`, reported at the offset with the period it cannot fit. */
function checkOffsets(report: Report, path: Path, offsets: unknown, periods: (RemindedPeriod | undefined)[]): void {
  if (!Array.isArray(offsets)) return;
  offsets.forEach((offset, i) => {
    if (!isCount(offset)) return;
    for (const period of periods) {
      if (period && offset > period.longestDays)
        report(
          [...path, i],
          `${offset} days before the deadline is before ${period.name} starts (it lasts at most ${period.longestDays} days): ` +
            'the reminder would never be sent; shorten the offset or lengthen the period',
        );
    }
  });
}

/** Every reminder offset of the plan against each period it is counted back from. */
export function reminderOffsetProblems(plan: unknown, report: Report): void {
  checkOffsets(report, ['reminders', 'offsetsDays'], field(field(plan, 'reminders'), 'offsetsDays'), [
    calendarPeriod(plan, 'coverage', 'deadline'),
    calendarPeriod(plan, 'closureReview', 'deadline'),
    periodField(plan, 'inspection', 'findingsPeriodDays'),
  ]);
  checkOffsets(report, ['rectification', 'reminderOffsetsDays'], field(field(plan, 'rectification'), 'reminderOffsetsDays'), [
    periodField(plan, 'rectification', 'periodDays'),
  ]);
  checkOffsets(report, ['cases', 'reminderOffsetsDays'], field(field(plan, 'cases'), 'reminderOffsetsDays'), [
    periodField(plan, 'cases', 'decisionPeriodDays'),
    periodField(plan, 'cases', 'interviewPeriodDays'),
    periodField(plan, 'cases', 'paymentPeriodDays'),
    periodField(plan, 'cases', 'referralAckDays'),
  ]);
  checkOffsets(report, ['clues', 'reminderOffsetsDays'], field(field(plan, 'clues'), 'reminderOffsetsDays'), [
    periodField(plan, 'clues', 'acceptance'),
    periodField(plan, 'clues', 'handling'),
  ]);
}
