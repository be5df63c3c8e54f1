// A year's official holiday arrangement given in the plan (calendar.holidays.YYYY): its validation, each problem named
// by its path; its precedence over the built-in data (chinese-days + domain/holidays/supplement.ts); the check against
// the package where both have the year; the 1-November look-ahead warning; and working-day deadlines over a plan year.
//
// 2030 and 2031 below are FICTITIOUS arrangements, made up for these tests only: no notice for them exists, and
// nothing here says what their holidays will be. The real 2026 notice (国务院办公厅关于2026年部分节假日安排的通知,
// 2025-11-04) is used where the plan is compared with the package.
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { DEFAULT_PLAN_FILE, holidayCalendarWarnings, parsePlan, PlanError, type PlanInput, type PlanProblem } from '../../config';
import { caseDeadline } from '../../domain/case-deadlines';
import { deadlineAfter } from '../../domain/period';
import {
  BUILT_IN_HOLIDAYS,
  holidayArrangementProblems,
  holidayCalendar,
  holidayCalendarYears,
  type HolidayArrangement,
  type HolidayArrangements,
} from '../../domain/workdays';
import { HOLIDAY_SUPPLEMENT } from '../../domain/holidays/supplement';
import { caseContextFromPlan } from '../../workflows/case/context';
import { CALENDAR_DAY_CLUES } from '../helpers/plan';

const TZ = 'Asia/Shanghai';
const sh = (local: string) => DateTime.fromISO(local, { zone: TZ }).toJSDate();
const iso = (d: Date) => d.toISOString();

/** FICTITIOUS (tests only): New Year on Wednesday 1/1, a "Spring Festival" Wed 1/22 – Tue 1/28, make-up Sun 1/19, Sat 2/8. */
const FICTITIOUS_2031: HolidayArrangement = {
  notice: '测试用虚构安排（非真实通知，仅供测试）2031',
  daysOff: ['2031-01-01', '2031-01-22/2031-01-28'],
  workdays: ['2031-01-19', '2031-02-08'],
};
/** FICTITIOUS (tests only): New Year's Day alone. */
const FICTITIOUS_2030: HolidayArrangement = { notice: '测试用虚构安排（非真实通知，仅供测试）2030', daysOff: ['2030-01-01'] };

/** The real 2026 notice, as a plan gives it (the sample plan's commented example). */
const NOTICE_2026: HolidayArrangement = {
  notice: '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）',
  daysOff: [
    '2026-01-01/2026-01-03',
    '2026-02-15/2026-02-23',
    '2026-04-04/2026-04-06',
    '2026-05-01/2026-05-05',
    '2026-06-19/2026-06-21',
    '2026-09-25/2026-09-27',
    '2026-10-01/2026-10-07',
  ],
  workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};

const demoText = readFileSync(DEFAULT_PLAN_FILE, 'utf8');
/** The sample plan with its clue limits in calendar days: what counts working days is then only what a test sets. */
const demo = { ...(YAML.parse(demoText) as PlanInput), clues: CALENDAR_DAY_CLUES };

/** The sample plan with `calendar.holidays` (and other sections) as given. */
function planWith(holidays: unknown, more: Partial<PlanInput> = {}): string {
  return YAML.stringify({ ...demo, ...more, calendar: { ...demo.calendar, holidays } });
}

function problemsOf(text: string): PlanProblem[] {
  try {
    parsePlan(text, 'plan.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(PlanError);
    return (error as PlanError).problems;
  }
  throw new Error('the plan was accepted');
}

describe('calendar.holidays in the plan: every problem named by its path', () => {
  it('accepts a year as the notice gives it, YAML dates and ranges included, and keeps it as given', () => {
    const text = demoText.replace(/^ {2}# (holidays:| {2})/gm, '  $1'); // the sample plan's commented example, uncommented
    expect(text).toContain('\n  holidays:\n    2026:\n');
    const plan = parsePlan(text, 'demo.yaml');
    expect(plan.calendar.holidays?.['2026']).toEqual({ ...NOTICE_2026, notice: expect.stringContaining('2026年部分节假日安排') });
    expect(parsePlan(planWith({ 2031: FICTITIOUS_2031 }), 'plan.yaml').calendar.holidays).toEqual({ 2031: FICTITIOUS_2031 });
  });

  it('leaves the plan without calendar.holidays when not given (workflow inputs stay as recorded)', () => {
    const plan = parsePlan(demoText, 'demo.yaml');
    expect('holidays' in plan.calendar).toBe(false);
    expect('holidays' in caseContextFromPlan(plan).rules).toBe(false);
    const withYears = parsePlan(planWith({ 2031: FICTITIOUS_2031 }), 'plan.yaml');
    expect(caseContextFromPlan(withYears).rules.holidays).toEqual({ 2031: FICTITIOUS_2031 });
  });

  it('refuses a bad year key, a missing notice, an empty or mistyped list, an unknown key', () => {
    const at = (key: string) => `calendar.holidays.${key}`;
    expect(
      problemsOf(
        planWith({
          27: FICTITIOUS_2031,
          '2031a': FICTITIOUS_2031,
          2031: { daysOff: [] },
          2030: { ...FICTITIOUS_2030, daysOff: ['2030-01-01', 20300102], workdays: '2030-01-05', makeUpDays: [] },
        }),
      ),
    ).toEqual([
      { path: at('2030.daysOff[1]'), message: 'expected a string, got 20300102' },
      { path: at('2030.workdays'), message: 'expected a list, got "2030-01-05"' },
      { path: at('2030.makeUpDays'), message: 'unknown key' },
      { path: at('2031.notice'), message: 'required' },
      { path: at('2031.daysOff'), message: 'needs at least 1 item(s)' },
      { path: at('27'), message: 'expected a year of four digits, got "27"' },
      { path: at('2031a'), message: 'expected a year of four digits, got "2031a"' },
    ]);
  });

  it('refuses dates that are not real, ranges out of order or outside the year, a day twice', () => {
    const daysOff = [
      '2031-01-01',
      '2031-02-29',
      '2031-01-28/2031-01-22',
      '2031-1-5',
      '2030-12-20',
      '2031-03-01/2032-01-02',
      '2031-05-01/2031-05-03',
      '2031-05-02',
    ];
    expect(problemsOf(planWith({ 2031: { ...FICTITIOUS_2031, daysOff, workdays: [] } }))).toEqual([
      { path: 'calendar.holidays.2031.daysOff[1]', message: expect.stringContaining('expected a real date "YYYY-MM-DD" or a range') },
      { path: 'calendar.holidays.2031.daysOff[2]', message: 'the range ends (2031-01-22) before it starts (2031-01-28)' },
      { path: 'calendar.holidays.2031.daysOff[3]', message: expect.stringContaining('got "2031-1-5"') },
      { path: 'calendar.holidays.2031.daysOff[4]', message: expect.stringMatching(/^2030-12-20 is outside 2031: /) },
      { path: 'calendar.holidays.2031.daysOff[5]', message: expect.stringMatching(/^2032-01-02 is outside 2031: /) },
      { path: 'calendar.holidays.2031.daysOff[7]', message: '2031-05-02 is already a day off in daysOff[6]' },
    ]);
  });

  it('refuses make-up workdays on a weekday, twice, outside the year, or also off', () => {
    const workdays = ['2031-01-19', '2031-01-20', '2031-01-19', '2031-01-25', '2030-06-01', 'Sat'];
    expect(problemsOf(planWith({ 2031: { ...FICTITIOUS_2031, workdays } }))).toEqual([
      {
        path: 'calendar.holidays.2031.workdays[1]',
        message: '2031-01-20 is a Monday: a make-up workday (调休上班) is a Saturday or Sunday',
      },
      { path: 'calendar.holidays.2031.workdays[2]', message: '2031-01-19 is already listed in workdays[0]' },
      {
        path: 'calendar.holidays.2031.workdays[3]',
        message: '2031-01-25 is also a day off (daysOff[1]): a day is either off or a make-up workday',
      },
      { path: 'calendar.holidays.2031.workdays[4]', message: expect.stringMatching(/^2030-06-01 is outside 2031: /) },
      { path: 'calendar.holidays.2031.workdays[5]', message: 'expected a real date "YYYY-MM-DD", got "Sat"' },
    ]);
  });

  it('refuses a year without New Year, a range of weekend days only, a run of days off longer than any notice', () => {
    const path = 'calendar.holidays.2031.daysOff';
    expect(problemsOf(planWith({ 2031: { ...FICTITIOUS_2031, daysOff: ['2031-01-22/2031-01-28'] } }))).toEqual([
      { path, message: "misses New Year's Day (元旦) 2031-01-01, a statutory holiday every year" },
    ]);
    expect(problemsOf(planWith({ 2031: { ...FICTITIOUS_2031, daysOff: ['2031-01-01', '2031-01-18/2031-01-19'], workdays: [] } }))).toEqual([
      { path: `${path}[1]`, message: expect.stringContaining('2031-01-18/2031-01-19 holds weekend days only, which are off anyway') },
    ]);
    // Wed 1/22 – Fri 1/31, then the weekend: 12 days without a working day (a typo for 1/28?).
    expect(problemsOf(planWith({ 2031: { ...FICTITIOUS_2031, daysOff: ['2031-01-01', '2031-01-22/2031-01-31'], workdays: [] } }))).toEqual([
      { path: `${path}[1]`, message: expect.stringContaining('2031-01-22 to 2031-02-02 are 12 days in a row without a working day') },
    ]);
  });

  it('takes days of late December before only for the New Year holiday running into 1 January', () => {
    // As the 2023 notice did (2022-12-31 to 2023-01-02 off), and the 2012 notice (2011-12-31 上班).
    const newYearEve = { notice: '测试用虚构安排（非真实通知）', daysOff: ['2030-12-31/2031-01-01'], workdays: ['2030-12-28'] };
    expect(holidayArrangementProblems('2031', newYearEve)).toEqual([]);
    expect(holidayArrangementProblems('2031', { daysOff: ['2031-01-01', '2030-12-27'] })).toEqual([
      {
        path: ['daysOff', 1],
        message: '2030-12-27 is in December 2030: a notice names such days only for the New Year holiday running into 2031-01-01',
      },
    ]);
  });

  it('requires a reason with overridesPackage, and overridesPackage with a reason', () => {
    expect(
      problemsOf(planWith({ 2031: { ...FICTITIOUS_2031, overridesPackage: true }, 2030: { ...FICTITIOUS_2030, reason: '—' } })),
    ).toEqual([
      { path: 'calendar.holidays.2030.reason', message: 'only with overridesPackage: true' },
      {
        path: 'calendar.holidays.2031.reason',
        message: 'required with overridesPackage: true: why the plan is right where the package differs',
      },
    ]);
  });

  it('reports the problems of holidays together with those of other sections', () => {
    const problems = problemsOf(
      planWith({ 2031: { ...FICTITIOUS_2031, workdays: ['2031-01-20'] } }, { reminders: { offsetsDays: [7, 7] } }),
    );
    expect(problems.map((p) => p.path)).toEqual(['reminders.offsetsDays[1]', 'calendar.holidays.2031.workdays[0]']);
  });

  it('accepts every year of the built-in data as a plan year (the rules fit the real notices, 2004 on)', () => {
    for (const year of BUILT_IN_HOLIDAYS.years()) {
      expect(holidayArrangementProblems(String(year), BUILT_IN_HOLIDAYS.noticeDates(year)), String(year)).toEqual([]);
    }
    for (const [year, arrangement] of Object.entries(HOLIDAY_SUPPLEMENT)) {
      expect(holidayArrangementProblems(year, { daysOff: arrangement.holidays, workdays: arrangement.workdays }), year).toEqual([]);
    }
  });
});

describe('a plan year and the package', () => {
  it('agree on the real 2026 notice: accepted, no warning', () => {
    const plan = parsePlan(planWith({ 2026: NOTICE_2026 }), 'plan.yaml');
    expect(holidayCalendarWarnings(plan, sh('2026-06-15T12:00'))).toEqual([]);
  });

  it('refuses a difference from the package, naming the dates on each side', () => {
    // A typo: Mid-Autumn one day late, the National Day make-up Saturday written as the Sunday.
    const typo = {
      ...NOTICE_2026,
      daysOff: NOTICE_2026.daysOff.map((r) => (r === '2026-09-25/2026-09-27' ? '2026-09-26/2026-09-28' : r)),
      workdays: NOTICE_2026.workdays!.map((d) => (d === '2026-10-10' ? '2026-10-11' : d)),
    };
    expect(problemsOf(planWith({ 2026: typo }))).toEqual([
      {
        path: 'calendar.holidays.2026',
        message:
          'differs from 2026 in the chinese-days package, which transcribes the same notice, so one of them has a typo: ' +
          'days off only in the plan: 2026-09-28; only in the package: 2026-09-25; ' +
          'make-up workdays only in the plan: 2026-10-11; only in the package: 2026-10-10. ' +
          'Check the notice; if the plan is right, set overridesPackage: true and give the reason',
      },
    ]);
  });

  it('with overridesPackage and a reason: accepted, the plan counts, and plan check warns naming the dates', () => {
    const corrected = {
      ...NOTICE_2026,
      daysOff: [...NOTICE_2026.daysOff, '2026-12-24'],
      overridesPackage: true,
      reason: '测试：虚构的更正',
    };
    const plan = parsePlan(planWith({ 2026: corrected }), 'plan.yaml');
    expect(holidayCalendarWarnings(plan, sh('2026-06-15T12:00'))).toEqual([
      'calendar.holidays.2026 overrides the chinese-days package, and its dates are the ones counted: days off only in the plan: 2026-12-24; only in the package: none (reason: 测试：虚构的更正)',
    ]);
    expect(holidayCalendar(plan.calendar.holidays).isWorkingDay('2026-12-24')).toBe(false);
    expect(BUILT_IN_HOLIDAYS.isWorkingDay('2026-12-24')).toBe(true);
  });

  it('warns when overridesPackage overrides nothing', () => {
    const plan = parsePlan(planWith({ 2026: { ...NOTICE_2026, overridesPackage: true, reason: '—' } }), 'plan.yaml');
    expect(holidayCalendarWarnings(plan, sh('2026-06-15T12:00'))).toEqual([
      'calendar.holidays.2026.overridesPackage: the chinese-days package agrees with the plan, so there is nothing to override; remove overridesPackage and reason',
    ]);
  });
});

describe('the holiday calendar a plan makes', () => {
  const years: HolidayArrangements = { 2030: FICTITIOUS_2030, 2031: FICTITIOUS_2031 };

  it('covers the plan years over the built-in ones', () => {
    const { first, last } = holidayCalendarYears();
    const calendar = holidayCalendar(years);
    expect(calendar.covers(2031)).toBe(true);
    expect(BUILT_IN_HOLIDAYS.covers(2031)).toBe(false);
    expect(calendar.describeYears()).toBe(`${first}-${last}, 2030-2031`);
    expect(calendar.sourceOf(2031)).toBe('plan');
    expect(calendar.sourceOf(2026)).toBe('chinese-days');
    expect(holidayCalendar(years)).toBe(calendar); // one per plan-years object
    expect(holidayCalendar()).toBe(BUILT_IN_HOLIDAYS);
    expect(holidayCalendar({})).toBe(BUILT_IN_HOLIDAYS);
  });

  it("prefers the plan's year to the package's: the year's data is the plan's only", () => {
    // The package has Mid-Autumn 2026-09-25 (Friday) off; a plan year without it makes it a working day.
    const withoutMidAutumn = { ...NOTICE_2026, daysOff: NOTICE_2026.daysOff.filter((r) => !r.startsWith('2026-09-25')) };
    expect(BUILT_IN_HOLIDAYS.isWorkingDay('2026-09-25')).toBe(false);
    expect(holidayCalendar({ 2026: withoutMidAutumn }).isWorkingDay('2026-09-25')).toBe(true);
    // Other years keep the package's data.
    expect(holidayCalendar({ 2026: withoutMidAutumn }).isWorkingDay('2025-10-08')).toBe(false);
  });

  it('counts a working-day deadline over a plan year the package does not have', () => {
    // From Friday 2031-01-17: Sunday 1/19 (make-up) 1, 1/20 2, 1/21 3, 1/22–1/28 off, 1/29 4, 1/30 5.
    const from = sh('2031-01-17T10:00');
    const calendar = holidayCalendar(years);
    expect(iso(calendar.addWorkingDays(from, 5, TZ))).toBe(iso(sh('2031-01-30T23:59')));
    expect(iso(deadlineAfter(from, { workingDays: 5 }, '18:00', TZ, calendar))).toBe(iso(sh('2031-01-30T18:00')));
    expect(() => deadlineAfter(from, { workingDays: 5 }, '18:00', TZ, BUILT_IN_HOLIDAYS)).toThrow(/no official holiday calendar for 2031/);
    // Across the year boundary from one plan year into the next: 12/31 1, 1/1 off, 1/2 2, 1/3 3.
    expect(iso(calendar.addWorkingDays(sh('2030-12-30T09:00'), 3, TZ))).toBe(iso(sh('2031-01-03T23:59')));
    expect(calendar.workingDaysBetween(from, sh('2031-02-08T12:00'), TZ)).toBe(12);
  });

  it('gives a case deadline over the plan year the case rules carry', () => {
    const rules = {
      endOfDay: '23:59',
      rectification: { periodDays: 30, recheckWindowDays: 14 },
      decisionPeriodDays: 21,
      escalationWindowDays: 5,
      interviewPeriodDays: 16,
      paymentPeriodDays: { workingDays: 5 },
      paymentLateWindowDays: 31,
      referralAckDays: 10,
    };
    const decidedAt = sh('2031-01-17T10:00');
    expect(iso(caseDeadline('payment', decidedAt, { ...rules, holidays: years }, TZ))).toBe(iso(sh('2031-01-30T23:59')));
    expect(() => caseDeadline('payment', decidedAt, rules, TZ)).toThrow(/no official holiday calendar for 2031/);
  });

  it('still refuses a year no source covers, naming the plan route', () => {
    expect(() => holidayCalendar(years).addWorkingDays(sh('2031-12-30T09:00'), 5, TZ)).toThrow(
      /no official holiday calendar for 2032 .*covered: \d{4}-\d{4}, 2030-2031\).*calendar\.holidays\.2032/,
    );
  });

  it('refuses a plan year with problems, naming every one by its path (inputs not from a checked plan)', () => {
    expect(() => holidayCalendar({ 2031: { ...FICTITIOUS_2031, workdays: ['2031-01-20'] }, 27: FICTITIOUS_2031 })).toThrow(
      new RangeError(
        'calendar.holidays.27: expected a year of four digits, got "27"; ' +
          'calendar.holidays.2031.workdays[0]: 2031-01-20 is a Monday: a make-up workday (调休上班) is a Saturday or Sunday',
      ),
    );
    expect(() => holidayCalendar({ 2031: { ...FICTITIOUS_2031, workdays: ['2031-01-20', '2031-01-22'] } })).toThrow(
      'calendar.holidays.2031.workdays[0]: 2031-01-20 is a Monday: a make-up workday (调休上班) is a Saturday or Sunday; ' +
        'calendar.holidays.2031.workdays[1]: 2031-01-22 is a Wednesday',
    );
  });
});

describe('holidayCalendarWarnings: the 1-November look-ahead', () => {
  const { last } = holidayCalendarYears();
  // The sample plan, its clue limits in calendar days, counts calendar days only (flyingCheck.statementPeriod: { days: 5 }).
  const calendarDaysOnly = parsePlan(YAML.stringify(demo), 'demo.yaml');
  // Shanghai is UTC+8: 1 November 00:00 there is 31 October 16:00Z.
  const lastOctober = new Date(`${last}-10-31T15:59:59Z`);
  const firstNovember = new Date(`${last}-10-31T16:00:00Z`);

  it('warns from 1 November (in the plan time zone) when next year has neither package data nor a plan entry', () => {
    expect(holidayCalendarWarnings(calendarDaysOnly, lastOctober)).toEqual([]);
    expect(holidayCalendarWarnings(calendarDaysOnly, firstNovember)).toEqual([
      `the official holiday calendar of ${last + 1} is not loaded (covered 2004-${last}): working days in ${last + 1} cannot be counted; ` +
        `once 国务院办公厅关于${last + 1}年部分节假日安排的通知 is out (usually in November), add it to the plan as calendar.holidays.${last + 1}, ` +
        'run jianguan plan check and restart the workers (README "Holiday calendar")',
    ]);
    // In UTC the same instant is still 31 October.
    const utcPlan = { ...calendarDaysOnly, jurisdiction: { ...calendarDaysOnly.jurisdiction, timeZone: 'UTC' } };
    expect(holidayCalendarWarnings(utcPlan, firstNovember)).toEqual([]);
  });

  it('goes on warning in the uncovered year itself', () => {
    expect(holidayCalendarWarnings(calendarDaysOnly, new Date(`${last + 1}-03-01T04:00:00Z`))).toEqual([
      expect.stringContaining(`the official holiday calendar of ${last + 1} is not loaded`),
    ]);
  });

  it('is satisfied by plan entries for the years ahead', () => {
    const plan = parsePlan(planWith({ 2030: FICTITIOUS_2030, 2031: FICTITIOUS_2031 }), 'plan.yaml');
    expect(holidayCalendarWarnings(plan, new Date('2030-11-15T04:00:00Z'))).toEqual([]);
    expect(holidayCalendarWarnings(plan, new Date('2031-11-15T04:00:00Z'))).toEqual([
      expect.stringContaining('the official holiday calendar of 2032 is not loaded (covered 2004-'),
    ]);
  });

  it('keeps one line per year where the plan counts working days (no second look-ahead line)', () => {
    const plan = parsePlan(planWith(undefined, { flyingCheck: { ...demo.flyingCheck, statementPeriod: { workingDays: 5 } } }), 'plan.yaml');
    expect(holidayCalendarWarnings(plan, firstNovember)).toEqual([
      expect.stringContaining(
        `the plan counts working days in flyingCheck.statementPeriod (5 working days), but the official holiday calendar of ${last + 1} is not loaded`,
      ),
    ]);
  });
});
