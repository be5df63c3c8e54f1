// Calendar arithmetic in a jurisdiction's zone (domain/calendar.ts): deadlines are instants, people think in local
// dates and times of day. Every expectation is an exact UTC instant, so a zone mistake cannot pass unnoticed.
import { describe, expect, it } from 'vitest';
import { daysLaterAt, formatLocal, formatLocalDate, localInstant, localYear, reminderSchedule } from '../../domain/calendar';

const SHANGHAI = 'Asia/Shanghai';
const BERLIN = 'Europe/Berlin';

const iso = (d: Date) => d.toISOString();

describe('localInstant', () => {
  it('turns a local month-day and time into the instant in Asia/Shanghai (+08:00, no DST)', () => {
    expect(iso(localInstant(2026, '07-31', '23:59', SHANGHAI))).toBe('2026-07-31T15:59:00.000Z');
    expect(iso(localInstant(2027, '01-01', '00:00', SHANGHAI))).toBe('2026-12-31T16:00:00.000Z');
    expect(iso(localInstant(2027, '03-31', '09:00', SHANGHAI))).toBe('2027-03-31T01:00:00.000Z');
  });

  it('uses the offset in force on that date in zones with daylight saving time', () => {
    // Berlin: CET (+01:00) in winter, CEST (+02:00) in summer.
    expect(iso(localInstant(2027, '01-15', '09:00', BERLIN))).toBe('2027-01-15T08:00:00.000Z');
    expect(iso(localInstant(2027, '07-15', '09:00', BERLIN))).toBe('2027-07-15T07:00:00.000Z');
  });

  it('accepts 29 February only in leap years', () => {
    expect(iso(localInstant(2028, '02-29', '12:00', SHANGHAI))).toBe('2028-02-29T04:00:00.000Z');
    expect(() => localInstant(2027, '02-29', '12:00', SHANGHAI)).toThrow(RangeError);
  });

  it.each([
    ['02-30', '23:59'],
    ['04-31', '23:59'],
    ['13-01', '23:59'],
    ['00-10', '23:59'],
    ['07-00', '23:59'],
    ['07-32', '23:59'],
  ])('rejects the impossible date %s with a RangeError', (monthDay, time) => {
    expect(() => localInstant(2027, monthDay, time, SHANGHAI)).toThrow(RangeError);
  });

  it.each(['7-31', '07/31', '0731', '07-31-2027', '2027-07-31', '', ' 07-31', 'July 31'])('rejects the month-day format %j', (monthDay) => {
    expect(() => localInstant(2027, monthDay, '23:59', SHANGHAI)).toThrow(RangeError);
  });

  it.each(['9:00', '0900', '09:00:00', '09.00', '', 'noon', '25:00', '23:60'])('rejects the time of day %j', (time) => {
    expect(() => localInstant(2027, '07-31', time, SHANGHAI)).toThrow(RangeError);
  });

  it('names the bad value in the error', () => {
    expect(() => localInstant(2027, '07/31', '23:59', SHANGHAI)).toThrow(/07\/31/);
    expect(() => localInstant(2027, '07-31', '9:00', SHANGHAI)).toThrow(/9:00/);
    expect(() => localInstant(2027, '02-30', '23:59', SHANGHAI)).toThrow(/2027-02-30/);
  });

  it('rejects an unknown time zone', () => {
    expect(() => localInstant(2027, '07-31', '23:59', 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('daysLaterAt', () => {
  it('moves by local calendar days and sets the local time of day', () => {
    // 2027-05-06 10:00 +08:00 → 30 days later at 23:59 local = 2027-06-05 23:59 +08:00.
    expect(iso(daysLaterAt(new Date('2027-05-06T02:00:00Z'), 30, '23:59', SHANGHAI))).toBe('2027-06-05T15:59:00.000Z');
  });

  it('counts from the LOCAL date, not the UTC date', () => {
    // 2027-05-06T20:00Z is already 2027-05-07 04:00 in Shanghai: one day later is the 8th, not the 7th.
    expect(iso(daysLaterAt(new Date('2027-05-06T20:00:00Z'), 1, '09:00', SHANGHAI))).toBe('2027-05-08T01:00:00.000Z');
  });

  it('crosses a month boundary keeping the local time of day', () => {
    expect(iso(daysLaterAt(new Date('2027-01-30T01:00:00Z'), 3, '09:00', SHANGHAI))).toBe('2027-02-02T01:00:00.000Z');
    // February of a non-leap year has 28 days.
    expect(iso(daysLaterAt(new Date('2027-02-27T01:00:00Z'), 2, '09:00', SHANGHAI))).toBe('2027-03-01T01:00:00.000Z');
  });

  it('crosses a year boundary keeping the local time of day', () => {
    // 2026-12-20 23:59 local + 15 days = 2027-01-04 23:59 local.
    const start = localInstant(2026, '12-20', '23:59', SHANGHAI);
    expect(iso(daysLaterAt(start, 15, '23:59', SHANGHAI))).toBe('2027-01-04T15:59:00.000Z');
  });

  it('goes backwards for negative days, also across a year boundary', () => {
    const start = localInstant(2027, '01-05', '18:30', SHANGHAI);
    expect(iso(daysLaterAt(start, -7, '09:00', SHANGHAI))).toBe('2026-12-29T01:00:00.000Z');
  });

  it('zero days keeps the local date and only changes the time of day', () => {
    const start = localInstant(2027, '07-31', '23:59', SHANGHAI);
    expect(iso(daysLaterAt(start, 0, '09:00', SHANGHAI))).toBe('2027-07-31T01:00:00.000Z');
  });

  it('drops seconds and milliseconds of the starting instant', () => {
    expect(iso(daysLaterAt(new Date('2027-05-06T02:03:04.567Z'), 1, '10:00', SHANGHAI))).toBe('2027-05-07T02:00:00.000Z');
  });

  it('keeps the local time of day across a daylight-saving change (Europe/Berlin, 28 March 2027)', () => {
    // Saturday 27 March 09:00 CET (+01:00) → Sunday 28 March 09:00 CEST (+02:00): only 23 hours later in UTC.
    const saturday = localInstant(2027, '03-27', '09:00', BERLIN);
    expect(iso(saturday)).toBe('2027-03-27T08:00:00.000Z');
    const sunday = daysLaterAt(saturday, 1, '09:00', BERLIN);
    expect(iso(sunday)).toBe('2027-03-28T07:00:00.000Z');
    expect(sunday.getTime() - saturday.getTime()).toBe(23 * 3600_000);
    // And back in autumn (31 October 2027): 25 hours.
    const octSat = localInstant(2027, '10-30', '09:00', BERLIN);
    const octSun = daysLaterAt(octSat, 1, '09:00', BERLIN);
    expect(iso(octSun)).toBe('2027-10-31T08:00:00.000Z');
    expect(octSun.getTime() - octSat.getTime()).toBe(25 * 3600_000);
  });

  it.each(['9:00', '0900', 'noon'])('rejects the time of day %j', (time) => {
    expect(() => daysLaterAt(new Date('2027-05-06T02:00:00Z'), 1, time, SHANGHAI)).toThrow(RangeError);
  });
});

describe('reminderSchedule', () => {
  // 2027-07-31 23:59 +08:00, the full-coverage deadline of DESIGN §3.
  const deadline = new Date('2027-07-31T23:59:00+08:00');
  const longBefore = new Date('2027-01-01T00:00:00Z');

  it('places each reminder at 09:00 local, `offset` local days before the deadline', () => {
    expect(iso(deadline)).toBe('2027-07-31T15:59:00.000Z');
    const schedule = reminderSchedule(deadline, [30, 14, 7, 1], '09:00', SHANGHAI, longBefore);
    expect(schedule.map((r) => ({ offsetDays: r.offsetDays, at: iso(r.at) }))).toEqual([
      { offsetDays: 30, at: '2027-07-01T01:00:00.000Z' },
      { offsetDays: 14, at: '2027-07-17T01:00:00.000Z' },
      { offsetDays: 7, at: '2027-07-24T01:00:00.000Z' },
      { offsetDays: 1, at: '2027-07-30T01:00:00.000Z' },
    ]);
  });

  it('returns reminders in chronological order whatever the order of the offsets', () => {
    const schedule = reminderSchedule(deadline, [1, 30, 7, 14], '09:00', SHANGHAI, longBefore);
    expect(schedule.map((r) => r.offsetDays)).toEqual([30, 14, 7, 1]);
    for (let i = 1; i < schedule.length; i++) expect(schedule[i].at.getTime()).toBeGreaterThan(schedule[i - 1].at.getTime());
  });

  it('drops duplicate offsets', () => {
    const schedule = reminderSchedule(deadline, [7, 7, 1, 7, 1], '09:00', SHANGHAI, longBefore);
    expect(schedule.map((r) => r.offsetDays)).toEqual([7, 1]);
  });

  it('drops reminders that are not after `now`', () => {
    // Now is 2027-07-20 12:00 local: the 30- and 14-day reminders are past.
    const now = new Date('2027-07-20T12:00:00+08:00');
    expect(reminderSchedule(deadline, [30, 14, 7, 1], '09:00', SHANGHAI, now).map((r) => r.offsetDays)).toEqual([7, 1]);
    // Exactly at a reminder's instant: that reminder is no longer in the future.
    const atSeven = new Date('2027-07-24T01:00:00Z');
    expect(reminderSchedule(deadline, [30, 14, 7, 1], '09:00', SHANGHAI, atSeven).map((r) => r.offsetDays)).toEqual([1]);
    // After the deadline: nothing.
    expect(reminderSchedule(deadline, [30, 14, 7, 1], '09:00', SHANGHAI, new Date('2027-08-01T00:00:00Z'))).toEqual([]);
  });

  it('keeps only reminders strictly before the deadline', () => {
    // Offset 0 at 09:00 is on the deadline day, before 23:59: kept. A negative offset is after the deadline: dropped.
    expect(reminderSchedule(deadline, [0, -1], '09:00', SHANGHAI, longBefore).map((r) => ({ o: r.offsetDays, at: iso(r.at) }))).toEqual([
      { o: 0, at: '2027-07-31T01:00:00.000Z' },
    ]);
    // A deadline at 08:00 local with reminders at 09:00: offset 0 would be after the deadline.
    const morning = localInstant(2027, '07-31', '08:00', SHANGHAI);
    expect(reminderSchedule(morning, [0, 1], '09:00', SHANGHAI, longBefore).map((r) => r.offsetDays)).toEqual([1]);
    // Offset 0 at exactly the deadline's time is not before it.
    expect(reminderSchedule(deadline, [0], '23:59', SHANGHAI, longBefore)).toEqual([]);
  });

  it('is empty for no offsets', () => {
    expect(reminderSchedule(deadline, [], '09:00', SHANGHAI, longBefore)).toEqual([]);
  });

  it('follows the zone across a daylight-saving change (Europe/Berlin)', () => {
    // Deadline Monday 5 April 2027 23:59 CEST (+02:00). DST began on Sunday 28 March.
    const berlinDeadline = localInstant(2027, '04-05', '23:59', BERLIN);
    expect(iso(berlinDeadline)).toBe('2027-04-05T21:59:00.000Z');
    const schedule = reminderSchedule(berlinDeadline, [14, 7, 1], '09:00', BERLIN, longBefore);
    expect(schedule.map((r) => ({ offsetDays: r.offsetDays, at: iso(r.at) }))).toEqual([
      { offsetDays: 14, at: '2027-03-22T08:00:00.000Z' }, // 09:00 CET (+01:00)
      { offsetDays: 7, at: '2027-03-29T07:00:00.000Z' }, // 09:00 CEST (+02:00)
      { offsetDays: 1, at: '2027-04-04T07:00:00.000Z' },
    ]);
    // The same deadline read in Shanghai gives other instants: the zone matters.
    const inShanghai = reminderSchedule(berlinDeadline, [14, 7, 1], '09:00', SHANGHAI, longBefore);
    expect(inShanghai.map((r) => iso(r.at))).toEqual(['2027-03-23T01:00:00.000Z', '2027-03-30T01:00:00.000Z', '2027-04-05T01:00:00.000Z']);
  });

  it('does not mutate the offsets it is given', () => {
    const offsets = [1, 30, 7];
    reminderSchedule(deadline, offsets, '09:00', SHANGHAI, longBefore);
    expect(offsets).toEqual([1, 30, 7]);
  });
});

describe('formatting in the jurisdiction zone', () => {
  it('formatLocal prints the local date and time', () => {
    expect(formatLocal(new Date('2027-07-31T15:59:00Z'), SHANGHAI)).toBe('2027-07-31 23:59');
    expect(formatLocal(new Date('2027-07-31T15:59:59.999Z'), SHANGHAI)).toBe('2027-07-31 23:59');
    expect(formatLocal(new Date('2027-07-31T16:00:00Z'), SHANGHAI)).toBe('2027-08-01 00:00');
    expect(formatLocal(new Date('2027-07-31T15:59:00Z'), BERLIN)).toBe('2027-07-31 17:59');
  });

  it('formatLocalDate prints the local date, which may differ from the UTC date', () => {
    expect(formatLocalDate(new Date('2027-07-31T15:59:00Z'), SHANGHAI)).toBe('2027-07-31');
    expect(formatLocalDate(new Date('2027-07-31T16:00:00Z'), SHANGHAI)).toBe('2027-08-01');
    expect(formatLocalDate(new Date('2027-08-01T00:30:00Z'), BERLIN)).toBe('2027-08-01');
  });

  it('localYear is the calendar year in the zone', () => {
    // 2026-12-31T17:00Z is 2027-01-01 01:00 in Shanghai, still 2026-12-31 18:00 in Berlin.
    const instant = new Date('2026-12-31T17:00:00Z');
    expect(localYear(instant, SHANGHAI)).toBe(2027);
    expect(localYear(instant, BERLIN)).toBe(2026);
    expect(localYear(new Date('2026-12-31T15:59:59Z'), SHANGHAI)).toBe(2026);
  });

  it('formatLocal and localInstant are inverse of each other', () => {
    for (const [monthDay, time] of [
      ['01-01', '00:00'],
      ['02-28', '12:34'],
      ['07-31', '23:59'],
      ['12-31', '23:59'],
    ] as const) {
      expect(formatLocal(localInstant(2027, monthDay, time, SHANGHAI), SHANGHAI)).toBe(`2027-${monthDay} ${time}`);
    }
  });
});

describe('calendar input checks', () => {
  const d = new Date('2027-07-01T00:00:00Z');
  it('refuses times of day out of range instead of rolling over', () => {
    expect(() => daysLaterAt(d, 0, '25:00', 'Asia/Shanghai')).toThrow(RangeError);
    expect(() => daysLaterAt(d, 0, '23:99', 'Asia/Shanghai')).toThrow(RangeError);
    expect(() => localInstant(2027, '07-31', '24:00', 'Asia/Shanghai')).toThrow(RangeError);
  });
  it('refuses an unknown time zone instead of returning an invalid date', () => {
    expect(() => daysLaterAt(d, 1, '09:00', 'Mars/Base')).toThrow(RangeError);
    expect(() => reminderSchedule(d, [1], '09:00', 'Mars/Base', new Date('2027-01-01T00:00:00Z'))).toThrow(RangeError);
  });
});
