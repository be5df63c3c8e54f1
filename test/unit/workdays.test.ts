// Working days on the official Chinese holiday calendar (domain/workdays.ts), tested on the real 2025 and 2026
// calendars. The expectations are transcribed from the State Council General Office's notices, not from the data
// under test:
//   2025: 国务院办公厅关于2025年部分节假日安排的通知, 国办发明电〔2024〕12号, 2024-11-12
//         (https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm)
//   2026: 国务院办公厅关于2026年部分节假日安排的通知, 2025-11-04
//         (https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm)
// Every expected deadline is an exact UTC instant (Asia/Shanghai is UTC+08:00, so 23:59 local = 15:59Z).
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import calendarData from 'chinese-days/dist/chinese-days.json';
import { HOLIDAY_SUPPLEMENT } from '../../domain/holidays/supplement';
import { QUIET_BUNDLER_LOGGER } from '../../workers/time-skipping';
import { addWorkingDays, holidayCalendarCovers, holidayCalendarYears, isWorkingDay, workingDaysBetween } from '../../domain/workdays';
import { workdaysWorkflow, type WorkdaysInput } from '../fixtures/workdays-workflow';

const SHANGHAI = 'Asia/Shanghai';
const iso = (d: Date) => d.toISOString();
/** The instant of a local date and time in Shanghai. */
const sh = (local: string) => DateTime.fromISO(local, { zone: SHANGHAI }).toJSDate();
const weekday = (date: string) => DateTime.fromISO(date, { zone: 'UTC' }).weekday; // 1 = Monday … 7 = Sunday

interface Notice {
  /** Each holiday's days off, first and last day inclusive (放假调休 … 共N天). */
  holidays: { name: string; from: string; to: string; days: number }[];
  /** Weekend days declared working days (上班). */
  makeUpWorkdays: string[];
}

const NOTICES: Record<2025 | 2026, Notice> = {
  2025: {
    holidays: [
      { name: '元旦', from: '2025-01-01', to: '2025-01-01', days: 1 },
      { name: '春节', from: '2025-01-28', to: '2025-02-04', days: 8 },
      { name: '清明节', from: '2025-04-04', to: '2025-04-06', days: 3 },
      { name: '劳动节', from: '2025-05-01', to: '2025-05-05', days: 5 },
      { name: '端午节', from: '2025-05-31', to: '2025-06-02', days: 3 },
      { name: '国庆节、中秋节', from: '2025-10-01', to: '2025-10-08', days: 8 },
    ],
    makeUpWorkdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    holidays: [
      { name: '元旦', from: '2026-01-01', to: '2026-01-03', days: 3 },
      { name: '春节', from: '2026-02-15', to: '2026-02-23', days: 9 },
      { name: '清明节', from: '2026-04-04', to: '2026-04-06', days: 3 },
      { name: '劳动节', from: '2026-05-01', to: '2026-05-05', days: 5 },
      { name: '端午节', from: '2026-06-19', to: '2026-06-21', days: 3 },
      { name: '中秋节', from: '2026-09-25', to: '2026-09-27', days: 3 },
      { name: '国庆节', from: '2026-10-01', to: '2026-10-07', days: 7 },
    ],
    makeUpWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

function datesOf(year: number): string[] {
  const dates: string[] = [];
  for (let d = DateTime.utc(year, 1, 1); d.year === year; d = d.plus({ days: 1 })) dates.push(d.toFormat('yyyy-MM-dd'));
  return dates;
}

describe('the holiday data', () => {
  it('covers 2004 through at least 2026, every year between, and nothing outside', () => {
    const { first, last } = holidayCalendarYears();
    expect(first).toBe(2004);
    expect(last).toBeGreaterThanOrEqual(2026);
    for (let year = first; year <= last; year++) expect(holidayCalendarCovers(year), String(year)).toBe(true);
    expect(holidayCalendarCovers(first - 1)).toBe(false);
    expect(holidayCalendarCovers(last + 1)).toBe(false);
    expect(holidayCalendarCovers(2099)).toBe(false);
  });

  it('has make-up workdays only on weekends, never on a holiday', () => {
    const makeUp = Object.keys(calendarData.workdays);
    expect(makeUp.length).toBeGreaterThan(50);
    for (const date of makeUp) {
      expect(weekday(date), date).toBeGreaterThanOrEqual(6);
      expect(Object.keys(calendarData.holidays), date).not.toContain(date);
    }
  });

  it('matches the package for supplement years the package has caught up with (then remove them)', () => {
    for (const [year, arrangement] of Object.entries(HOLIDAY_SUPPLEMENT)) {
      const inYear = (dates: Record<string, string>) =>
        Object.keys(dates)
          .filter((d) => d.startsWith(`${year}-`))
          .sort();
      if (inYear(calendarData.holidays).length === 0) continue;
      expect([...arrangement.holidays].sort(), year).toEqual(inYear(calendarData.holidays));
      expect([...arrangement.workdays].sort(), year).toEqual(inYear(calendarData.workdays));
    }
  });
});

describe('isWorkingDay on the official notices', () => {
  it.each([2025, 2026] as const)('agrees with the %i notice on every day of the year', (year) => {
    const notice = NOTICES[year];
    const off = new Set<string>();
    for (const h of notice.holidays) {
      const days = datesOf(year).filter((d) => d >= h.from && d <= h.to);
      expect(days, h.name).toHaveLength(h.days);
      days.forEach((d) => off.add(d));
    }
    for (const d of notice.makeUpWorkdays) expect(weekday(d), `${d} is a weekend day`).toBeGreaterThanOrEqual(6);
    const mismatches = datesOf(year).filter((d) => {
      const expected = notice.makeUpWorkdays.includes(d) || (weekday(d) <= 5 && !off.has(d));
      return isWorkingDay(d) !== expected;
    });
    expect(mismatches).toEqual([]);
  });

  it('2025 Spring Festival: 1/28–2/4 off, Sunday 1/26 and Saturday 2/8 worked', () => {
    expect(isWorkingDay('2025-01-26')).toBe(true); // Sunday, make-up workday
    expect(isWorkingDay('2025-01-27')).toBe(true); // Monday
    for (const d of ['2025-01-28', '2025-01-29', '2025-01-31', '2025-02-03', '2025-02-04']) expect(isWorkingDay(d), d).toBe(false);
    expect(isWorkingDay('2025-02-05')).toBe(true);
    expect(isWorkingDay('2025-02-08')).toBe(true); // Saturday, make-up workday
    expect(isWorkingDay('2025-02-09')).toBe(false); // ordinary Sunday
  });

  it('2025 Labour Day: 5/1–5/5 off, Sunday 4/27 worked', () => {
    expect(isWorkingDay('2025-04-27')).toBe(true);
    for (const d of ['2025-05-01', '2025-05-02', '2025-05-05']) expect(isWorkingDay(d), d).toBe(false);
    expect(isWorkingDay('2025-05-06')).toBe(true);
  });

  it('2025 National Day + Mid-Autumn: 10/1–10/8 off, Sunday 9/28 and Saturday 10/11 worked', () => {
    expect(isWorkingDay('2025-09-27')).toBe(false); // ordinary Saturday
    expect(isWorkingDay('2025-09-28')).toBe(true);
    expect(isWorkingDay('2025-10-06')).toBe(false); // Mid-Autumn, a Monday
    expect(isWorkingDay('2025-10-08')).toBe(false);
    expect(isWorkingDay('2025-10-09')).toBe(true);
    expect(isWorkingDay('2025-10-11')).toBe(true);
    expect(isWorkingDay('2025-10-12')).toBe(false);
  });

  it('2026 New Year: 1/1–1/3 off, Sunday 1/4 worked', () => {
    expect(isWorkingDay('2026-01-01')).toBe(false);
    expect(isWorkingDay('2026-01-02')).toBe(false); // Friday
    expect(isWorkingDay('2026-01-03')).toBe(false);
    expect(isWorkingDay('2026-01-04')).toBe(true); // Sunday
  });

  it('2026 Spring Festival: 2/15–2/23 off, Saturdays 2/14 and 2/28 worked', () => {
    expect(isWorkingDay('2026-02-13')).toBe(true);
    expect(isWorkingDay('2026-02-14')).toBe(true);
    for (const d of ['2026-02-15', '2026-02-16', '2026-02-20', '2026-02-23']) expect(isWorkingDay(d), d).toBe(false);
    expect(isWorkingDay('2026-02-24')).toBe(true);
    expect(isWorkingDay('2026-02-28')).toBe(true);
  });

  it('2026 Mid-Autumn 9/25–9/27 and National Day 10/1–10/7 off, Sunday 9/20 and Saturday 10/10 worked', () => {
    expect(isWorkingDay('2026-09-20')).toBe(true);
    expect(isWorkingDay('2026-09-25')).toBe(false); // Friday
    expect(isWorkingDay('2026-09-28')).toBe(true);
    for (const d of ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-07']) expect(isWorkingDay(d), d).toBe(false);
    expect(isWorkingDay('2026-10-08')).toBe(true);
    expect(isWorkingDay('2026-10-10')).toBe(true);
  });

  it('treats ordinary weekdays as working and ordinary weekends as not', () => {
    expect(isWorkingDay('2025-03-12')).toBe(true); // Wednesday
    expect(isWorkingDay('2025-03-15')).toBe(false); // Saturday
    expect(isWorkingDay('2026-03-15')).toBe(false); // Sunday
  });

  it.each(['2025-9-28', '20250928', '2025/09/28', '2025-02-29', '2025-13-01', '', 'tomorrow'])(
    'rejects the date %j with a RangeError',
    (date) => {
      expect(() => isWorkingDay(date)).toThrow(RangeError);
    },
  );

  it('refuses a year without data instead of guessing', () => {
    const { last } = holidayCalendarYears();
    expect(() => isWorkingDay(`${last + 1}-01-01`)).toThrow(RangeError);
    expect(() => isWorkingDay('2003-06-02')).toThrow(/2003/);
  });
});

describe('addWorkingDays', () => {
  it('5 working days after Friday 2025-09-26 crosses the 9/28 make-up day and National Day: Friday 10/10 23:59', () => {
    const from = sh('2025-09-26T10:00');
    expect(iso(addWorkingDays(from, 1, SHANGHAI))).toBe(iso(sh('2025-09-28T23:59'))); // Sunday make-up day
    expect(iso(addWorkingDays(from, 3, SHANGHAI))).toBe(iso(sh('2025-09-30T23:59')));
    expect(iso(addWorkingDays(from, 4, SHANGHAI))).toBe(iso(sh('2025-10-09T23:59'))); // 10/1–10/8 skipped
    expect(iso(addWorkingDays(from, 5, SHANGHAI))).toBe('2025-10-10T15:59:00.000Z');
    expect(iso(addWorkingDays(from, 6, SHANGHAI))).toBe(iso(sh('2025-10-11T23:59'))); // Saturday make-up day
    expect(iso(addWorkingDays(from, 7, SHANGHAI))).toBe(iso(sh('2025-10-13T23:59')));
  });

  it('2025 Spring Festival: make-up Sunday 1/26 and Saturday 2/8 count, 1/28–2/4 do not', () => {
    const friday = sh('2025-01-24T16:30');
    expect(iso(addWorkingDays(friday, 1, SHANGHAI))).toBe(iso(sh('2025-01-26T23:59')));
    expect(iso(addWorkingDays(friday, 2, SHANGHAI))).toBe(iso(sh('2025-01-27T23:59')));
    expect(iso(addWorkingDays(friday, 3, SHANGHAI))).toBe(iso(sh('2025-02-05T23:59')));
    expect(iso(addWorkingDays(sh('2025-02-07T09:00'), 1, SHANGHAI))).toBe(iso(sh('2025-02-08T23:59')));
  });

  it('2025 Labour Day: from Wednesday 4/30 the next working day is Tuesday 5/6', () => {
    expect(iso(addWorkingDays(sh('2025-04-25T09:00'), 1, SHANGHAI))).toBe(iso(sh('2025-04-27T23:59')));
    expect(iso(addWorkingDays(sh('2025-04-30T09:00'), 1, SHANGHAI))).toBe(iso(sh('2025-05-06T23:59')));
  });

  it('crosses the year boundary into the 2026 New Year holiday: 2025-12-30 + 5 = 2026-01-07', () => {
    // 12/31 (1), 1/1–1/3 off, Sunday 1/4 make-up (2), 1/5 (3), 1/6 (4), 1/7 (5).
    expect(iso(addWorkingDays(sh('2025-12-30T15:00'), 5, SHANGHAI))).toBe('2026-01-07T15:59:00.000Z');
    expect(iso(addWorkingDays(sh('2025-12-31T15:00'), 1, SHANGHAI))).toBe(iso(sh('2026-01-04T23:59')));
  });

  it('2026 Spring Festival: Saturday 2/14, then Tuesday 2/24, and Saturday 2/28', () => {
    const friday = sh('2026-02-13T09:00');
    expect(iso(addWorkingDays(friday, 1, SHANGHAI))).toBe(iso(sh('2026-02-14T23:59')));
    expect(iso(addWorkingDays(friday, 2, SHANGHAI))).toBe(iso(sh('2026-02-24T23:59')));
    expect(iso(addWorkingDays(sh('2026-02-27T09:00'), 1, SHANGHAI))).toBe(iso(sh('2026-02-28T23:59')));
  });

  it('2026 Mid-Autumn and National Day: 9/20 counts, 9/25 and 10/1–10/7 do not, 10/10 counts', () => {
    expect(iso(addWorkingDays(sh('2026-09-18T09:00'), 1, SHANGHAI))).toBe(iso(sh('2026-09-20T23:59')));
    expect(iso(addWorkingDays(sh('2026-09-24T09:00'), 1, SHANGHAI))).toBe(iso(sh('2026-09-28T23:59')));
    const wednesday = sh('2026-09-30T09:00');
    expect(iso(addWorkingDays(wednesday, 1, SHANGHAI))).toBe(iso(sh('2026-10-08T23:59')));
    expect(iso(addWorkingDays(wednesday, 3, SHANGHAI))).toBe(iso(sh('2026-10-10T23:59')));
    expect(iso(addWorkingDays(wednesday, 4, SHANGHAI))).toBe(iso(sh('2026-10-12T23:59')));
  });

  it('never counts the starting day, whatever the hour, and may start on a holiday', () => {
    expect(iso(addWorkingDays(sh('2025-03-12T00:00'), 1, SHANGHAI))).toBe(iso(sh('2025-03-13T23:59')));
    expect(iso(addWorkingDays(sh('2025-03-12T23:59'), 1, SHANGHAI))).toBe(iso(sh('2025-03-13T23:59')));
    expect(iso(addWorkingDays(sh('2025-10-03T12:00'), 1, SHANGHAI))).toBe(iso(sh('2025-10-09T23:59')));
  });

  it('counts from the LOCAL date in the given time zone', () => {
    // 2025-09-27T17:00Z is Saturday 9/27 in UTC but Sunday 9/28 01:00 in Shanghai.
    const instant = new Date('2025-09-27T17:00:00Z');
    expect(iso(addWorkingDays(instant, 1, SHANGHAI))).toBe(iso(sh('2025-09-29T23:59')));
    expect(iso(addWorkingDays(instant, 1, 'UTC'))).toBe('2025-09-28T23:59:00.000Z');
  });

  it('places the deadline at the given local time of day', () => {
    expect(iso(addWorkingDays(sh('2025-09-26T10:00'), 5, SHANGHAI, '09:00'))).toBe('2025-10-10T01:00:00.000Z');
    expect(iso(addWorkingDays(sh('2025-09-26T10:00'), 5, SHANGHAI, '00:00'))).toBe('2025-10-09T16:00:00.000Z');
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s working days with a RangeError', (days) => {
    expect(() => addWorkingDays(sh('2025-03-12T09:00'), days, SHANGHAI)).toThrow(RangeError);
  });

  it('rejects an invalid instant, time zone or time of day', () => {
    expect(() => addWorkingDays(new Date('not a date'), 1, SHANGHAI)).toThrow(RangeError);
    expect(() => addWorkingDays(sh('2025-03-12T09:00'), 1, 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => addWorkingDays(sh('2025-03-12T09:00'), 1, SHANGHAI, '24:00')).toThrow(/24:00/);
    expect(() => addWorkingDays(sh('2025-03-12T09:00'), 1, SHANGHAI, '9:00')).toThrow(RangeError);
  });

  it('throws a clear RangeError naming the year and the update procedure when it reaches a year without data', () => {
    const { last } = holidayCalendarYears();
    const lateDecember = sh(`${last}-12-28T09:00`);
    // The last days of the covered year still count; the first day needed in the next year does not exist.
    expect(() => addWorkingDays(lateDecember, 1, SHANGHAI)).not.toThrow();
    expect(() => addWorkingDays(lateDecember, 10, SHANGHAI)).toThrow(RangeError);
    expect(() => addWorkingDays(lateDecember, 10, SHANGHAI)).toThrow(new RegExp(`no official holiday calendar for ${last + 1}`));
    expect(() => addWorkingDays(lateDecember, 10, SHANGHAI)).toThrow(`国务院办公厅关于${last + 1}年部分节假日安排的通知`);
    expect(() => addWorkingDays(lateDecember, 10, SHANGHAI)).toThrow(/npm install --save chinese-days@latest.*Yearly update/);
  });
});

describe('workingDaysBetween', () => {
  it('counts the working days after from’s local date up to and including to’s', () => {
    const from = sh('2025-09-26T10:00');
    expect(workingDaysBetween(from, sh('2025-10-10T23:59'), SHANGHAI)).toBe(5);
    expect(workingDaysBetween(from, sh('2025-10-10T00:01'), SHANGHAI)).toBe(5);
    expect(workingDaysBetween(from, sh('2025-10-08T12:00'), SHANGHAI)).toBe(3);
    expect(workingDaysBetween(sh('2025-12-31T08:00'), sh('2026-01-04T08:00'), SHANGHAI)).toBe(1);
  });

  it('is the inverse of addWorkingDays', () => {
    const from = sh('2025-12-30T15:00');
    for (const days of [1, 2, 5, 10, 20, 40])
      expect(workingDaysBetween(from, addWorkingDays(from, days, SHANGHAI), SHANGHAI), String(days)).toBe(days);
  });

  it('finds 248 working days in each of 2025 and 2026', () => {
    // 261 weekdays each; 2025: 18 of them off, 5 make-up days; 2026: 19 off, 6 make-up days.
    expect(workingDaysBetween(sh('2024-12-31T12:00'), sh('2025-12-31T12:00'), SHANGHAI)).toBe(248);
    expect(workingDaysBetween(sh('2025-12-31T12:00'), sh('2026-12-31T12:00'), SHANGHAI)).toBe(248);
  });

  it('is 0 when to is not after from, or on the same local date', () => {
    const from = sh('2025-09-26T10:00');
    expect(workingDaysBetween(from, from, SHANGHAI)).toBe(0);
    expect(workingDaysBetween(from, sh('2025-09-20T10:00'), SHANGHAI)).toBe(0);
    expect(workingDaysBetween(from, sh('2025-09-26T23:59'), SHANGHAI)).toBe(0);
  });

  it('refuses a span that reaches a year without data', () => {
    const { last } = holidayCalendarYears();
    expect(() => workingDaysBetween(sh(`${last}-12-01T09:00`), sh(`${last + 1}-01-15T09:00`), SHANGHAI)).toThrow(
      new RegExp(String(last + 1)),
    );
  });
});

describe('in the Temporal workflow sandbox', () => {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') }); // assertions, not worker chatter
  } catch {
    // Already installed in this process.
  }
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    const options = { server: { executable: { type: 'existing-path' as const, path: process.env.TEMPORAL_TEST_SERVER_PATH! } } };
    // The SDK gives the ephemeral server 5 s to start; on a loaded 2-core machine that can be too little once.
    [env, bundle] = await Promise.all([
      TestWorkflowEnvironment.createTimeSkipping(options).catch(() => TestWorkflowEnvironment.createTimeSkipping(options)),
      bundleWorkflowCode({ workflowsPath: path.resolve(__dirname, '../fixtures/workdays-workflow.ts'), logger: QUIET_BUNDLER_LOGGER }),
    ]);
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('bundles domain/workdays.ts with its holiday data', () => {
    expect(bundle.code).toContain('2026-10-10'); // a 2026 make-up workday from the package's data
    expect(bundle.code).toContain('国务院办公厅关于');
  });

  it('computes the same deadlines in a workflow as in Node', async () => {
    const taskQueue = 'workdays';
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle });
    const inputs: WorkdaysInput[] = [
      { from: '2025-09-26T02:00:00.000Z', days: 5, timeZone: SHANGHAI, dates: ['2025-09-28', '2025-10-06', '2026-02-14', '2026-02-16'] },
      { from: '2025-12-30T07:00:00.000Z', days: 5, timeZone: SHANGHAI, dates: ['2026-01-02', '2026-01-04'] },
    ];
    // One at a time: with two concurrent executes the time-skipping server timed one of them out here.
    const results = await worker.runUntil(async () => {
      const out = [];
      for (const [i, input] of inputs.entries())
        out.push(await env.client.workflow.execute(workdaysWorkflow, { args: [input], workflowId: `workdays-${i}`, taskQueue }));
      return out;
    });

    expect(results[0].deadline).toBe('2025-10-10T15:59:00.000Z');
    expect(results[1].deadline).toBe('2026-01-07T15:59:00.000Z');
    expect(results[0].workingDay).toEqual({ '2025-09-28': true, '2025-10-06': false, '2026-02-14': true, '2026-02-16': false });
    for (const [i, input] of inputs.entries()) {
      const from = new Date(input.from);
      const deadline = addWorkingDays(from, input.days, input.timeZone);
      expect(results[i]).toEqual({
        deadline: iso(deadline),
        workingDaysToDeadline: workingDaysBetween(from, deadline, input.timeZone),
        covered: { 2025: true, 2026: true, 2031: false, 2099: false },
        workingDay: Object.fromEntries(input.dates.map((d) => [d, isWorkingDay(d)])),
      });
    }
  });

  it('counts the plan years its input carries', async () => {
    const taskQueue = 'workdays-plan-years';
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: bundle });
    // FICTITIOUS (tests only, no such notice exists): 2031 with New Year's Day, 1/22–1/28 off and Sunday 1/19 worked.
    const holidays = {
      2031: { notice: '测试用虚构安排（非真实通知）', daysOff: ['2031-01-01', '2031-01-22/2031-01-28'], workdays: ['2031-01-19'] },
    };
    const input: WorkdaysInput = {
      from: '2031-01-17T02:00:00.000Z',
      days: 5,
      timeZone: SHANGHAI,
      dates: ['2031-01-19', '2031-01-22'],
      holidays,
    };
    const result = await worker.runUntil(
      env.client.workflow.execute(workdaysWorkflow, { args: [input], workflowId: 'workdays-plan-years', taskQueue }),
    );
    expect(result).toEqual({
      deadline: iso(sh('2031-01-30T23:59')),
      workingDaysToDeadline: 5,
      covered: { 2025: true, 2026: true, 2031: true, 2099: false },
      workingDay: { '2031-01-19': true, '2031-01-22': false },
    });
  });
});
