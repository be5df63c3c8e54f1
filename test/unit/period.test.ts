// Periods in days or working days (domain/period.ts), on the real 2025/2026 holiday calendar, and their plan schema
// (flyingCheck.statementPeriod, with the older statementPeriodDays still read as calendar days).
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN_FILE, parsePlan, PlanError, type PlanInput } from '../../config';
import { DEFAULT_STATEMENT_PERIOD } from '../../domain/flying';
import { checkPeriod, deadlineAfter, describePeriod, maxCalendarDays, type Period } from '../../domain/period';
import { addWorkingDays, BUILT_IN_HOLIDAYS } from '../../domain/workdays';

const TZ = 'Asia/Shanghai';
const at = (iso: string) => new Date(iso);
const local = (d: Date) => d.toLocaleString('sv-SE', { timeZone: TZ }).slice(0, 16);

describe('deadlineAfter', () => {
  it('counts calendar days from the day after, ending at the end-of-day time', () => {
    expect(local(deadlineAfter(at('2026-09-28T10:00:00+08:00'), { days: 5 }, '23:59', TZ, BUILT_IN_HOLIDAYS))).toBe('2026-10-03 23:59');
    expect(local(deadlineAfter(at('2026-09-28T23:30:00+08:00'), { days: 1 }, '18:00', TZ, BUILT_IN_HOLIDAYS))).toBe('2026-09-29 18:00');
  });

  it('counts working days over the 2025 National Day holiday and its make-up Saturday', () => {
    // 2025: 10-01..10-08 off; Sunday 09-28 and Saturday 10-11 are working days (国办发明电〔2024〕12号).
    expect(local(deadlineAfter(at('2025-09-26T15:00:00+08:00'), { workingDays: 5 }, '23:59', TZ, BUILT_IN_HOLIDAYS))).toBe(
      '2025-10-10 23:59',
    );
    expect(local(deadlineAfter(at('2025-09-30T09:00:00+08:00'), { workingDays: 2 }, '17:30', TZ, BUILT_IN_HOLIDAYS))).toBe(
      '2025-10-10 17:30',
    );
    expect(local(deadlineAfter(at('2025-10-09T09:00:00+08:00'), { workingDays: 2 }, '23:59', TZ, BUILT_IN_HOLIDAYS))).toBe(
      '2025-10-11 23:59',
    );
  });

  it('counts working days over the 2026 Spring Festival', () => {
    // 2026: 02-15..02-23 off; Saturday 02-14 and Saturday 02-28 are working days.
    const from = at('2026-02-12T10:00:00+08:00');
    expect(local(deadlineAfter(from, { workingDays: 5 }, '23:59', TZ, BUILT_IN_HOLIDAYS))).toBe('2026-02-26 23:59');
    expect(deadlineAfter(from, { workingDays: 5 }, '23:59', TZ, BUILT_IN_HOLIDAYS)).toEqual(addWorkingDays(from, 5, TZ, '23:59'));
  });

  it('refuses what is not a period, and a working-day period without holiday data', () => {
    expect(() => deadlineAfter(at('2026-01-05T00:00:00Z'), { days: 0 }, '23:59', TZ, BUILT_IN_HOLIDAYS)).toThrow(
      /days must be a positive integer, got 0/,
    );
    expect(() =>
      deadlineAfter(at('2026-01-05T00:00:00Z'), { days: 2, workingDays: 2 } as unknown as Period, '23:59', TZ, BUILT_IN_HOLIDAYS),
    ).toThrow(/exactly one of days, workingDays/);
    expect(() => checkPeriod({} as Period)).toThrow(/exactly one/);
    expect(() => deadlineAfter(at('2026-01-05T00:00:00Z'), { workingDays: 1.5 }, '23:59', TZ, BUILT_IN_HOLIDAYS)).toThrow(
      /workingDays must be a positive integer/,
    );
    expect(() => deadlineAfter(at('2099-05-05T00:00:00Z'), { workingDays: 5 }, '23:59', TZ, BUILT_IN_HOLIDAYS)).toThrow(
      /no official holiday calendar for 2099/,
    );
  });
});

describe('describePeriod and maxCalendarDays', () => {
  it('says the period in Chinese', () => {
    expect(describePeriod({ workingDays: 5 })).toBe('5个工作日');
    expect(describePeriod({ days: 30 })).toBe('30日');
  });

  it('never comes before the working-day deadline (every start date of 2025 and 2026)', () => {
    for (const n of [1, 5, 10, 15]) {
      const bound = maxCalendarDays({ workingDays: n });
      for (let d = new Date('2025-01-01T02:00:00Z'); d < new Date('2026-11-30T00:00:00Z'); d = new Date(d.getTime() + 86_400_000)) {
        const deadline = deadlineAfter(d, { workingDays: n }, '23:59', TZ, BUILT_IN_HOLIDAYS);
        expect(deadline.getTime(), `${n} working days from ${d.toISOString()}`).toBeLessThanOrEqual(
          deadlineAfter(d, { days: bound }, '23:59', TZ, BUILT_IN_HOLIDAYS).getTime(),
        );
      }
    }
    expect(maxCalendarDays({ days: 7 })).toBe(7);
  });
});

describe('flyingCheck.statementPeriod in the plan', () => {
  const base = YAML.parse(readFileSync(DEFAULT_PLAN_FILE, 'utf8')) as PlanInput;
  const withFlying = (flyingCheck: unknown) =>
    YAML.stringify({ ...base, flyingCheck: { ...(base.flyingCheck ?? {}), statementPeriod: undefined, ...(flyingCheck as object) } });
  const problems = (text: string) => {
    try {
      parsePlan(text, 'plan.yaml');
    } catch (error) {
      return (error as PlanError).problems;
    }
    throw new Error('the plan was accepted');
  };

  it('defaults to 5 working days', () => {
    expect(DEFAULT_STATEMENT_PERIOD).toEqual({ workingDays: 5 });
    expect(parsePlan(withFlying({}), 'plan.yaml').flyingCheck.statementPeriod).toEqual({ workingDays: 5 });
  });

  it('takes days or working days, and the older statementPeriodDays as calendar days', () => {
    expect(parsePlan(withFlying({ statementPeriod: { workingDays: 7 } }), 'plan.yaml').flyingCheck.statementPeriod).toEqual({
      workingDays: 7,
    });
    expect(parsePlan(withFlying({ statementPeriod: { days: 10 } }), 'plan.yaml').flyingCheck.statementPeriod).toEqual({ days: 10 });
    const old = parsePlan(withFlying({ statementPeriodDays: 6 }), 'plan.yaml').flyingCheck;
    expect(old.statementPeriod).toEqual({ days: 6 });
    expect(old.statementPeriodDays).toBe(6);
  });

  it('names the field of a bad period', () => {
    expect(problems(withFlying({ statementPeriod: { days: 3, workingDays: 3 } }))).toEqual([
      { path: 'flyingCheck.statementPeriod', message: 'give exactly one of days, workingDays, e.g. { workingDays: 5 } or { days: 30 }' },
    ]);
    expect(problems(withFlying({ statementPeriod: { weeks: 1 } }))).toContainEqual({
      path: 'flyingCheck.statementPeriod.weeks',
      message: 'unknown key',
    });
    expect(problems(withFlying({ statementPeriod: { workingDays: 0 } }))).toEqual([
      { path: 'flyingCheck.statementPeriod.workingDays', message: 'must be at least 1, got 0' },
    ]);
    expect(problems(withFlying({ statementPeriod: { days: 5 }, statementPeriodDays: 5 }))).toEqual([
      { path: 'flyingCheck.statementPeriodDays', message: 'give statementPeriod or the older statementPeriodDays, not both' },
    ]);
    expect(problems(withFlying({ trackEveryDays: 0 }))).toEqual([
      { path: 'flyingCheck.trackEveryDays', message: 'must be at least 1, got 0' },
    ]);
  });
});
