// Practitioner points (domain/points.ts): tiers, the suspension and end thresholds, bars, the yearly reset.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DEFAULT_PLAN_FILE, parsePlan } from '../../config';
import {
  applyDeduction,
  DEFAULT_POINTS_RULES,
  DEFAULT_POINTS_WORKFLOW,
  deductionProblems,
  initialPointsState,
  liftIfDue,
  pointsDeductionSchema,
  PointsError,
  restrictionRunningPast,
  withCarried,
  type Deduction,
  type PointsState,
} from '../../domain/points';
import { formatProblems } from '../../domain/validation';

const rules = DEFAULT_POINTS_RULES;
const TZ = 'Asia/Shanghai';
const at = new Date('2026-03-15T10:00:00+08:00');
const SOURCE = '《关于建立定点医药机构相关人员医保支付资格管理制度的指导意见》（医保发〔2024〕23号）记分管理';

const withTotal = (total: number, extra: Partial<PointsState> = {}): PointsState => ({ ...initialPointsState(2026), total, ...extra });
/** Applies deductions one after another at `at`. */
function run(state: PointsState, ...deductions: Deduction[]) {
  let current = { state, effect: 'none' as const as 'none' | 'suspended' | 'ended', until: null as string | null };
  for (const d of deductions) current = applyDeduction(current.state, d, at, TZ, rules);
  return current;
}

describe('DEFAULT_POINTS_RULES', () => {
  it('are the 2024 national rules, cited', () => {
    expect(rules).toEqual({
      source: SOURCE,
      tiers: [
        { tier: 1, min: 1, max: 3 },
        { tier: 2, min: 4, max: 6 },
        { tier: 3, min: 7, max: 9 },
        { tier: 4, min: 10, max: 12 },
      ],
      suspendAt: 9,
      suspensionMonths: { min: 1, max: 6 },
      endAt: 12,
      barYears: 1,
      barYearsAtOnce: 3,
    });
  });
});

describe('applyDeduction', () => {
  it('adds points below the threshold without effect', () => {
    const result = run(initialPointsState(2026), { tier: 1, points: 3 }, { tier: 2, points: 5 });
    expect(result).toEqual({
      state: { year: 2026, total: 8, eligibility: 'eligible', suspendedUntil: null, barredUntil: null },
      effect: 'none',
      until: null,
    });
  });

  it('suspends for the decided months when the total reaches 9', () => {
    const result = applyDeduction(withTotal(8), { tier: 1, points: 1, suspensionMonths: 3 }, at, TZ, rules);
    expect(result.effect).toBe('suspended');
    expect(result.until).toBe('2026-06-15T02:00:00.000Z'); // 15 June 10:00 in Shanghai
    expect(result.state).toEqual({
      year: 2026,
      total: 9,
      eligibility: 'suspended',
      suspendedUntil: '2026-06-15T02:00:00.000Z',
      barredUntil: null,
    });
  });

  it('suspends when a deduction jumps past 9 without reaching 12', () => {
    const result = applyDeduction(withTotal(5), { tier: 2, points: 6, suspensionMonths: 6 }, at, TZ, rules);
    expect(result.state.total).toBe(11);
    expect(result.effect).toBe('suspended');
    expect(result.until).toBe('2026-09-15T02:00:00.000Z');
  });

  it('counts calendar months in the jurisdiction’s time zone', () => {
    // 04:00 on 31 January in Shanghai is still 30 January in UTC: one month later is the end of February locally.
    const lateJanuary = new Date('2026-01-30T20:00:00Z');
    expect(applyDeduction(withTotal(8), { tier: 1, points: 1, suspensionMonths: 1 }, lateJanuary, TZ, rules).until).toBe(
      '2026-02-27T20:00:00.000Z',
    );
    expect(applyDeduction(withTotal(8), { tier: 1, points: 1, suspensionMonths: 1 }, lateJanuary, 'UTC', rules).until).toBe(
      '2026-02-28T20:00:00.000Z',
    );
  });

  it('does not suspend again once 9 was reached this year', () => {
    const suspended = run(withTotal(8), { tier: 1, points: 1, suspensionMonths: 2 });
    const again = applyDeduction(suspended.state, { tier: 1, points: 2 }, at, TZ, rules);
    expect(again.effect).toBe('none');
    expect(again.state).toEqual({ ...suspended.state, total: 11 });
  });

  it('ends eligibility at 12 with a 1-year bar', () => {
    const result = applyDeduction(
      withTotal(9, { eligibility: 'suspended', suspendedUntil: '2026-05-01T00:00:00.000Z' }),
      { tier: 1, points: 3 },
      at,
      TZ,
      rules,
    );
    expect(result).toEqual({
      state: { year: 2026, total: 12, eligibility: 'ended', suspendedUntil: null, barredUntil: '2027-03-15T02:00:00.000Z' },
      effect: 'ended',
      until: '2027-03-15T02:00:00.000Z',
    });
  });

  it('bars for 3 years when the 12 points come at once', () => {
    const result = applyDeduction(initialPointsState(2026), { tier: 4, points: 12 }, at, TZ, rules);
    expect(result.effect).toBe('ended');
    expect(result.state.total).toBe(12);
    expect(result.until).toBe('2029-03-15T02:00:00.000Z');
    // 11 at once (a suspension) and 1 more is accumulation: 1 year.
    expect(run(initialPointsState(2026), { tier: 4, points: 11, suspensionMonths: 1 }, { tier: 1, points: 1 }).until).toBe(
      '2027-03-15T02:00:00.000Z',
    );
  });

  it('caps the total at 12: points beyond it still end eligibility', () => {
    const result = applyDeduction(
      withTotal(10, { eligibility: 'suspended', suspendedUntil: '2026-05-01T00:00:00.000Z' }),
      { tier: 2, points: 5 },
      at,
      TZ,
      rules,
    );
    expect(result.state.total).toBe(12);
    expect(result.effect).toBe('ended');
    expect(result.until).toBe('2027-03-15T02:00:00.000Z'); // 5 points are not "12 at once"
  });

  it('keeps a carried suspension that ends later than a new one', () => {
    const carried = initialPointsState(2027, { eligibility: 'suspended', suspendedUntil: '2027-12-01T00:00:00.000Z' });
    const result = applyDeduction(
      { ...carried, total: 8 },
      { tier: 1, points: 1, suspensionMonths: 1 },
      new Date('2027-02-01T10:00:00+08:00'),
      TZ,
      rules,
    );
    expect(result.effect).toBe('suspended');
    expect(result.until).toBe('2027-12-01T00:00:00.000Z');
    const sooner = initialPointsState(2027, { eligibility: 'suspended', suspendedUntil: '2027-02-10T00:00:00+08:00' });
    expect(
      applyDeduction({ ...sooner, total: 8 }, { tier: 1, points: 1, suspensionMonths: 1 }, new Date('2027-02-01T10:00:00+08:00'), TZ, rules)
        .until,
    ).toBe('2027-03-01T02:00:00.000Z');
  });

  it('throws a PointsError listing the problems', () => {
    let error: unknown;
    try {
      applyDeduction(withTotal(6), { tier: 1, points: 4 }, at, TZ, rules);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PointsError);
    const { problems, message } = error as PointsError;
    expect(problems.map((p) => p.path)).toEqual(['points', 'suspensionMonths']);
    expect(message).toBe(`points deduction refused: ${formatProblems(problems)}`);
  });
});

describe('deductionProblems', () => {
  it('accepts points within their tier', () => {
    for (const [tier, points] of [
      [1, 1],
      [1, 3],
      [2, 4],
      [2, 6],
      [3, 7],
      [4, 12],
    ]) {
      expect(
        deductionProblems(
          initialPointsState(2026),
          { tier: tier!, points: points!, ...(points! >= 9 && points! < 12 ? { suspensionMonths: 1 } : {}) },
          rules,
        ),
        `${tier}/${points}`,
      ).toEqual([]);
    }
  });

  it('refuses points outside their tier and unknown tiers', () => {
    expect(deductionProblems(initialPointsState(2026), { tier: 1, points: 4 }, rules)).toEqual([
      { path: 'points', message: `4 is outside tier 1 (1–3 points) of ${SOURCE}` },
    ]);
    expect(deductionProblems(initialPointsState(2026), { tier: 3, points: 6 }, rules)).toEqual([
      { path: 'points', message: `6 is outside tier 3 (7–9 points) of ${SOURCE}` },
    ]);
    expect(deductionProblems(initialPointsState(2026), { tier: 5, points: 2 }, rules)).toEqual([
      { path: 'tier', message: `unknown tier 5 (tiers 1, 2, 3, 4 of ${SOURCE})` },
    ]);
    expect(deductionProblems(initialPointsState(2026), { tier: 1, points: 1.5 }, rules)).toEqual([
      { path: 'points', message: 'expected a whole number of points (at least 1), got 1.5' },
    ]);
    expect(deductionProblems(initialPointsState(2026), { tier: 1, points: 0 }, rules)[0]!.path).toBe('points');
  });

  it('requires the suspension months when 9 is reached, within 1–6', () => {
    expect(deductionProblems(withTotal(6), { tier: 1, points: 3 }, rules)).toEqual([
      {
        path: 'suspensionMonths',
        message: `required: the year's total goes from 6 to 9, reaching 9, which suspends billing eligibility for 1–6 months (${SOURCE})`,
      },
    ]);
    expect(deductionProblems(withTotal(6), { tier: 1, points: 3, suspensionMonths: 7 }, rules)).toEqual([
      { path: 'suspensionMonths', message: `must be whole months within 1–6 (${SOURCE}), got 7` },
    ]);
    expect(deductionProblems(withTotal(6), { tier: 1, points: 3, suspensionMonths: 0 }, rules)).toHaveLength(1);
    expect(deductionProblems(withTotal(6), { tier: 1, points: 3, suspensionMonths: 1.5 }, rules)).toHaveLength(1);
    expect(deductionProblems(withTotal(6), { tier: 1, points: 3, suspensionMonths: 6 }, rules)).toEqual([]);
  });

  it('refuses suspension months where the deduction triggers no suspension', () => {
    expect(deductionProblems(withTotal(0), { tier: 1, points: 2, suspensionMonths: 2 }, rules)).toEqual([
      { path: 'suspensionMonths', message: "not allowed: the year's total goes from 0 to 2 and it stays below 9" },
    ]);
    expect(deductionProblems(withTotal(9), { tier: 1, points: 1, suspensionMonths: 2 }, rules)).toEqual([
      { path: 'suspensionMonths', message: "not allowed: the year's total goes from 9 to 10 and 9 was already reached this year" },
    ]);
    expect(deductionProblems(withTotal(8), { tier: 2, points: 4, suspensionMonths: 2 }, rules)).toEqual([
      {
        path: 'suspensionMonths',
        message: "not allowed: the year's total goes from 8 to 12 and it reaches 12, which ends eligibility instead",
      },
    ]);
  });

  it('accepts nothing once eligibility has ended', () => {
    const ended = applyDeduction(initialPointsState(2026), { tier: 4, points: 12 }, at, TZ, rules).state;
    expect(deductionProblems(ended, { tier: 1, points: 1 }, rules)).toEqual([
      {
        path: '(root)',
        message: 'billing eligibility has already ended (re-registration barred until 2029-03-15T02:00:00.000Z): no further deductions',
      },
    ]);
    expect(() => applyDeduction(ended, { tier: 1, points: 1 }, at, TZ, rules)).toThrow(PointsError);
  });
});

describe('initialPointsState', () => {
  it('starts a year at zero points, eligible', () => {
    expect(initialPointsState(2027)).toEqual({ year: 2027, total: 0, eligibility: 'eligible', suspendedUntil: null, barredUntil: null });
  });

  it('carries an ongoing suspension or bar into the new year, never the points', () => {
    const last = run(withTotal(8), { tier: 1, points: 1, suspensionMonths: 6 }).state;
    expect(last.total).toBe(9);
    const next = initialPointsState(2027, last);
    expect(next).toEqual({ year: 2027, total: 0, eligibility: 'suspended', suspendedUntil: last.suspendedUntil, barredUntil: null });
    const ended = initialPointsState(2027, { eligibility: 'ended', barredUntil: '2029-03-15T02:00:00.000Z' });
    expect(ended).toEqual({ year: 2027, total: 0, eligibility: 'ended', suspendedUntil: null, barredUntil: '2029-03-15T02:00:00.000Z' });
    // A new year's 9 points suspend again.
    expect(
      applyDeduction(
        { ...initialPointsState(2027), total: 0 },
        { tier: 3, points: 9, suspensionMonths: 1 },
        new Date('2027-01-05T10:00:00+08:00'),
        TZ,
        rules,
      ).effect,
    ).toBe('suspended');
  });

  it('refuses an inconsistent carry-over', () => {
    expect(() => initialPointsState(2027, { eligibility: 'suspended' })).toThrow(/needs its suspendedUntil/);
    expect(() => initialPointsState(2027, { eligibility: 'ended', suspendedUntil: '2027-02-01T00:00:00Z' })).toThrow(
      /needs its barredUntil/,
    );
    expect(() => initialPointsState(2026.5)).toThrow(RangeError);
  });
});

describe('liftIfDue', () => {
  const suspended = withTotal(9, { eligibility: 'suspended', suspendedUntil: '2026-06-15T02:00:00.000Z' });

  it('lifts a suspension whose end has come', () => {
    expect(liftIfDue(suspended, new Date('2026-06-15T02:00:00.000Z'))).toEqual({
      ...suspended,
      eligibility: 'eligible',
      suspendedUntil: null,
    });
    expect(liftIfDue(suspended, new Date('2026-07-01T00:00:00Z')).eligibility).toBe('eligible');
  });

  it('leaves a running suspension, an end of eligibility and an eligible state alone', () => {
    expect(liftIfDue(suspended, new Date('2026-06-15T01:59:59.999Z'))).toBe(suspended);
    const ended = withTotal(12, { eligibility: 'ended', barredUntil: '2027-03-15T02:00:00.000Z' });
    expect(liftIfDue(ended, new Date('2030-01-01T00:00:00Z'))).toBe(ended);
    const eligible = withTotal(3);
    expect(liftIfDue(eligible, new Date('2030-01-01T00:00:00Z'))).toBe(eligible);
  });
});

describe('pointsDeductionSchema', () => {
  it('accepts a deduction entered by hand and names bad fields', () => {
    expect(
      pointsDeductionSchema.parse({ tier: 3, points: 9, suspensionMonths: 2, reason: '串换药品', decidedBy: 'leader-director' }),
    ).toEqual({
      tier: 3,
      points: 9,
      suspensionMonths: 2,
      reason: '串换药品',
      decidedBy: 'leader-director',
    });
    const result = pointsDeductionSchema.safeParse({ tier: 1, points: 1.5, reason: ' ', decidedBy: 'x', extra: 1 });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.') || i.code).sort()).toEqual(['points', 'reason', 'unrecognized_keys']);
  });
});

describe('the year reset: what runs on, and taking it into next year', () => {
  const yearEnd = new Date('2027-01-01T00:00:00+08:00');
  const suspended = (until: string, total = 9): PointsState => withTotal(total, { eligibility: 'suspended', suspendedUntil: until });
  const ended = (until: string): PointsState => withTotal(12, { eligibility: 'ended', barredUntil: until });

  it('carries only a suspension or bar that ends after the year, never the points', () => {
    expect(restrictionRunningPast(suspended('2027-03-20T02:00:00.000Z'), yearEnd)).toEqual({
      eligibility: 'suspended',
      suspendedUntil: '2027-03-20T02:00:00.000Z',
      barredUntil: null,
    });
    expect(restrictionRunningPast(ended('2029-03-15T02:00:00.000Z'), yearEnd)).toEqual({
      eligibility: 'ended',
      suspendedUntil: null,
      barredUntil: '2029-03-15T02:00:00.000Z',
    });
    // Ending at the year's last instant or before: nothing runs on.
    expect(restrictionRunningPast(suspended(yearEnd.toISOString()), yearEnd)).toBeUndefined();
    expect(restrictionRunningPast(withTotal(8), yearEnd)).toBeUndefined();
  });

  it("merges a carried restriction into next year's state: the stricter and the later wins, points stay", () => {
    const january = { ...initialPointsState(2027), total: 2 };
    expect(withCarried(january, { eligibility: 'suspended', suspendedUntil: '2027-03-20T02:00:00.000Z', barredUntil: null })).toEqual({
      ...january,
      eligibility: 'suspended',
      suspendedUntil: '2027-03-20T02:00:00.000Z',
    });
    // A January suspension that ends later is kept; one that ends sooner gives way.
    const own = { ...suspended('2027-06-01T00:00:00.000Z'), year: 2027 };
    expect(withCarried(own, { eligibility: 'suspended', suspendedUntil: '2027-03-20T02:00:00.000Z' })).toEqual(own);
    expect(withCarried(own, { eligibility: 'suspended', suspendedUntil: '2027-09-01T00:00:00.000Z' }).suspendedUntil).toBe(
      '2027-09-01T00:00:00.000Z',
    );
    // An end beats a suspension, in either order; a suspension never undoes an end.
    expect(withCarried(own, { eligibility: 'ended', barredUntil: '2029-01-01T00:00:00.000Z' })).toEqual({
      ...own,
      eligibility: 'ended',
      suspendedUntil: null,
      barredUntil: '2029-01-01T00:00:00.000Z',
    });
    const over = { ...ended('2028-01-01T00:00:00.000Z'), year: 2027 };
    expect(withCarried(over, { eligibility: 'suspended', suspendedUntil: '2027-03-20T02:00:00.000Z' })).toBe(over);
    expect(withCarried(over, { eligibility: 'ended', barredUntil: '2029-01-01T00:00:00.000Z' }).barredUntil).toBe(
      '2029-01-01T00:00:00.000Z',
    );
    expect(withCarried(over, { eligibility: 'eligible' })).toBe(over);
  });

  it('takes the same carried restriction twice as once', () => {
    const carried = { eligibility: 'suspended' as const, suspendedUntil: '2027-03-20T02:00:00.000Z', barredUntil: null };
    const once = withCarried(initialPointsState(2027), carried);
    expect(withCarried(once, carried)).toEqual(once);
  });
});

describe('keys and housekeeping', () => {
  it('takes a decision instant with its offset, and keys up to 500 characters', () => {
    expect(
      pointsDeductionSchema.parse({ tier: 1, points: 1, reason: 'r', decidedBy: 'L1', decidedAt: '2027-05-06T10:00:00+08:00' }).decidedAt,
    ).toBe('2027-05-06T10:00:00+08:00');
    expect(
      pointsDeductionSchema.safeParse({ tier: 1, points: 1, reason: 'r', decidedBy: 'L1', decidedAt: '6 May' }).error?.issues[0]?.path,
    ).toEqual(['decidedAt']);
    expect(
      pointsDeductionSchema.safeParse({ tier: 1, points: 1, reason: 'r', decidedBy: 'L1', key: 'k'.repeat(501) }).error?.issues[0]?.path,
    ).toEqual(['key']);
  });

  it("reads the workflow's housekeeping from the plan, bounded below the server's history warning", () => {
    const text = readFileSync(DEFAULT_PLAN_FILE, 'utf8');
    expect(parsePlan(text, 'sample').pointsWorkflow).toEqual(DEFAULT_POINTS_WORKFLOW);
    expect(DEFAULT_POINTS_WORKFLOW.historyEventsLimit).toBeLessThan(10_240);
    expect(() => parsePlan(`${text}\npointsWorkflow: { historyEventsLimit: 20000 }\n`, 'sample')).toThrow(
      /pointsWorkflow\.historyEventsLimit/,
    );
    expect(parsePlan(`${text}\npointsWorkflow: { closingGraceMinutes: 15 }\n`, 'sample').pointsWorkflow).toEqual({
      ...DEFAULT_POINTS_WORKFLOW,
      closingGraceMinutes: 15,
    });
  });
});
