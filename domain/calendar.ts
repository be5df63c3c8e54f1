// Calendar arithmetic in a jurisdiction's time zone. Deadlines are instants; people think in local dates and
// times of day ("by 31 July 23:59", "remind at 09:00, 7 days before"), so every conversion goes through the zone.
// Pure and deterministic: it never reads the clock; callers pass `now` (workflow time) where needed.
import { DateTime, type WeekdayNumbers } from 'luxon';

export interface ZonedSettings {
  timeZone: string;
}

function zoned(instant: Date, timeZone: string): DateTime {
  const local = DateTime.fromJSDate(instant, { zone: timeZone });
  if (!local.isValid) throw new RangeError(`cannot place ${instant.toISOString()} in time zone "${timeZone}": ${local.invalidExplanation}`);
  return local;
}

function parseTimeOfDay(hhmm: string): { hour: number; minute: number } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!match) throw new RangeError(`time of day must be HH:mm (00:00-23:59), got "${hhmm}"`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** The default end of a day for deadlines (the plan's `endOfDay`, `coverage.deadlineTime`, working-day deadlines). */
export const END_OF_DAY = '23:59';

/** The start of `year` (1 January 00:00) in `timeZone`: when a points year begins, and the previous one ends. */
export function yearStart(year: number, timeZone: string): Date {
  return localInstant(year, '01-01', '00:00', timeZone);
}

/** The instant of a month-day ("MM-DD") and time of day ("HH:mm") of `year` in `timeZone`. */
export function localInstant(year: number, monthDay: string, timeOfDay: string, timeZone: string): Date {
  const match = /^(\d{2})-(\d{2})$/.exec(monthDay);
  if (!match) throw new RangeError(`month-day must be MM-DD, got "${monthDay}"`);
  const local = DateTime.fromObject(
    { year, month: Number(match[1]), day: Number(match[2]), ...parseTimeOfDay(timeOfDay) },
    { zone: timeZone },
  );
  if (!local.isValid) throw new RangeError(`${year}-${monthDay} ${timeOfDay} is not a valid date in ${timeZone}`);
  return local.toJSDate();
}

/** The local calendar date `days` after `instant`'s local date, at `timeOfDay` (e.g. an end-of-day deadline). */
export function daysLaterAt(instant: Date, days: number, timeOfDay: string, timeZone: string): Date {
  return zoned(instant, timeZone)
    .plus({ days })
    .set({ ...parseTimeOfDay(timeOfDay), second: 0, millisecond: 0 })
    .toJSDate();
}

export interface Reminder {
  offsetDays: number;
  at: Date;
}

/**
 * Reminder instants before a deadline: for each offset, the local date `offset` days before the deadline's local
 * date, at the configured time of day. Reminders already in the past (before `now`) or not before the deadline are
 * dropped; the result is in chronological order.
 */
export function reminderSchedule(
  deadline: Date,
  offsetsDays: readonly number[],
  timeOfDay: string,
  timeZone: string,
  now: Date,
): Reminder[] {
  return [...new Set(offsetsDays)]
    .map((offsetDays) => ({ offsetDays, at: daysLaterAt(deadline, -offsetDays, timeOfDay, timeZone) }))
    .filter(({ at }) => at.getTime() > now.getTime() && at.getTime() < deadline.getTime())
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** "2027-07-31 23:59" in the jurisdiction's zone, for Chinese notification texts and summaries. */
export function formatLocal(instant: Date, timeZone: string): string {
  return zoned(instant, timeZone).toFormat('yyyy-MM-dd HH:mm');
}

/** "2027-07-31" in the jurisdiction's zone. */
export function formatLocalDate(instant: Date, timeZone: string): string {
  return zoned(instant, timeZone).toFormat('yyyy-MM-dd');
}

/** The calendar year of `instant` in the jurisdiction's zone. */
export function localYear(instant: Date, timeZone: string): number {
  return zoned(instant, timeZone).year;
}

/** The same local date and time `months` later in `timeZone`; a month end stays a month end (31 Aug + 6 → 28/29 Feb). */
export function monthsLater(instant: Date, months: number, timeZone: string): Date {
  return zoned(instant, timeZone).plus({ months }).toJSDate();
}

/** An ISO week, "2027-W14" (weeks start on Monday; week 1 holds the year's first Thursday). */
export const ISO_WEEK_PATTERN = /^(\d{4})-W(\d{2})$/;

/** The ISO week of `instant` in `timeZone`, "2027-W14". */
export function isoWeekOf(instant: Date, timeZone: string): string {
  return zoned(instant, timeZone).toFormat("kkkk-'W'WW");
}

/**
 * The instant of ISO weekday `weekday` (1 = Monday … 7 = Sunday) at `timeOfDay` in ISO week `week` ("2027-W14") in
 * `timeZone`. A week number the year does not have (W53 of a 52-week year) is refused.
 */
export function isoWeekInstant(week: string, weekday: number, timeOfDay: string, timeZone: string): Date {
  if (!Number.isInteger(weekday) || weekday < 1 || weekday > 7) throw new RangeError(`weekday must be 1-7, got ${weekday}`);
  const match = ISO_WEEK_PATTERN.exec(week);
  if (!match) throw new RangeError(`week must be YYYY-Www (e.g. 2027-W14), got "${week}"`);
  const local = DateTime.fromObject(
    { weekYear: Number(match[1]), weekNumber: Number(match[2]), weekday: weekday as WeekdayNumbers, ...parseTimeOfDay(timeOfDay) },
    { zone: timeZone },
  );
  if (!local.isValid || local.toFormat("kkkk-'W'WW") !== week) throw new RangeError(`${week} is not a week of its year`);
  return local.toJSDate();
}
