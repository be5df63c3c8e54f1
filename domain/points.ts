// Practitioner points (医保支付资格记分): the "driving-licence" points of doctors, nurses, pharmacists and other staff
// of designated institutions. Points add up over a calendar year and start again from zero each January; reaching the
// suspension threshold suspends the person's insurance-billing eligibility for some months, reaching the end threshold
// ends it and bars re-registration for a number of years.
//
// The thresholds are cited data: DEFAULT_POINTS_RULES below, replaceable per jurisdiction in the plan (`points`,
// config/plan.ts). Pure: instants come in as arguments, durations are added with luxon in the jurisdiction's zone.
import { DateTime } from 'luxon';
import { z } from 'zod';
import { formatProblems, NAME_MAX, NOTE_MAX, requiredText, type Problem } from './validation';

export type PointsTier = 1 | 2 | 3 | 4;

export interface PointsRules {
  /** The document the rules come from. */
  source: string;
  /** Point ranges per deduction, inclusive, by severity: tier 1 the lightest. Contiguous, from 1 up to `endAt`. */
  tiers: { tier: PointsTier; min: number; max: number }[];
  /** Reaching this total within a year suspends eligibility (暂停医保支付资格). */
  suspendAt: number;
  /** How long a suspension lasts, whole months, inclusive; the decision picks the months. */
  suspensionMonths: { min: number; max: number };
  /** Reaching this total within a year ends eligibility (终止医保支付资格). */
  endAt: number;
  /** Years re-registration (登记备案) is barred after eligibility ended by accumulation. */
  barYears: number;
  /** Years re-registration is barred when a single deduction reaches `endAt` (一次性记满). */
  barYearsAtOnce: number;
}

/**
 * The national rules of 《国家医保局 国家卫生健康委 国家药监局关于建立定点医药机构相关人员医保支付资格管理制度的指导意见》
 * （医保发〔2024〕23号）, its 记分管理 (points) rules:
 * - deductions in four tiers by severity: 1–3, 4–6, 7–9 and 10–12 points (the heaviest for 欺诈骗保);
 * - points add up within a calendar year (一个自然年度内) and start from zero the next year;
 * - reaching 9 points suspends billing eligibility for 1–6 months (services in the period are not settled by the fund,
 *   emergencies and rescue excepted);
 * - reaching 12 points ends it; re-registration is barred for 1 year from the end, or for 3 years when the 12 points
 *   came at once (一次性记满12分).
 */
export const DEFAULT_POINTS_RULES: PointsRules = {
  source: '《关于建立定点医药机构相关人员医保支付资格管理制度的指导意见》（医保发〔2024〕23号）记分管理',
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
};

export type Eligibility = 'eligible' | 'suspended' | 'ended';

/** One practitioner's standing in one calendar year. Instants are ISO-8601 strings (UTC). */
export interface PointsState {
  year: number;
  /** Points of the year so far, at most `endAt`. */
  total: number;
  eligibility: Eligibility;
  /** End of the current suspension; null when not suspended. */
  suspendedUntil: string | null;
  /** End of the bar on re-registration after eligibility ended; null otherwise. */
  barredUntil: string | null;
}

/** A points deduction as decided: its tier, the points within the tier, and the suspension months when it triggers one. */
export interface Deduction {
  tier: number;
  points: number;
  /** Required exactly when this deduction makes the year's total reach `suspendAt` (but not `endAt`). */
  suspensionMonths?: number;
}

/**
 * A problem of a deduction (domain/validation's Problem, for formatProblems): `path` is the field of the deduction
 * (`tier`, `points`, `suspensionMonths`), `(root)` when the deduction as a whole is refused.
 */
export type PointsProblem = Problem;

export class PointsError extends Error {
  constructor(readonly problems: PointsProblem[]) {
    super(`points deduction refused: ${formatProblems(problems)}`);
    this.name = 'PointsError';
  }
}

/**
 * A deduction entered by hand (`jianguan points deduct`, the points workflow's `deduct` Update). Only the shape is
 * checked here; whether the rules accept it in the practitioner's current state is deductionProblems' business.
 */
export const pointsDeductionSchema = z.strictObject({
  /**
   * Idempotency key: a second deduction with a key already taken counts nothing (the same deduction again returns the
   * first result; another deduction under a used key is refused). `jianguan points deduct` always sends one; the
   * workflow makes one when another client leaves it out.
   */
  key: requiredText(500, {}, 'must not be empty').optional(),
  tier: z.number().int('expected a whole tier number').min(1),
  points: z.number().int('expected whole points').min(1),
  suspensionMonths: z.number().int('expected whole months').min(1).optional(),
  /** The case workflow's id, `case:{jurisdiction}:{caseNo}` (a case number is at most 200 characters). */
  caseId: requiredText(300, {}, 'must not be empty').optional(),
  reason: requiredText(NOTE_MAX, { multiline: true }),
  decidedBy: requiredText(NAME_MAX),
  /**
   * When the deduction was decided (a case's penalty decision); the workflow's time when left out. It must fall in the
   * workflow's year and not after now (points count in the year they are decided).
   */
  decidedAt: z.iso
    .datetime({ offset: true, message: 'expected an ISO-8601 date-time with offset, e.g. 2027-05-06T10:00:00+08:00' })
    .optional(),
});
export type PointsDeductionPayload = z.infer<typeof pointsDeductionSchema>;

/**
 * The year's total after a deduction. Points beyond `endAt` are capped, not refused: the scale ends at `endAt`
 * (eligibility ends there), and a deduction that passes it, say 5 points on top of 10, is still a real deduction that
 * must end eligibility. The deduction keeps its own points in the record; the total shows `endAt`.
 */
function totalAfter(state: PointsState, points: number, rules: PointsRules): number {
  return Math.min(state.total + points, rules.endAt);
}

/**
 * Everything wrong with applying `d` to `state`: no deduction once eligibility has ended; a known tier; whole points
 * within the tier's range; `suspensionMonths` required (and within the rules' range) exactly when this deduction makes
 * the total reach `suspendAt` for the first time in the year without reaching `endAt`, absent otherwise.
 */
export function deductionProblems(state: PointsState, d: Deduction, rules: PointsRules): PointsProblem[] {
  if (state.eligibility === 'ended') {
    return [
      {
        path: '(root)',
        message: `billing eligibility has already ended${state.barredUntil ? ` (re-registration barred until ${state.barredUntil})` : ''}: no further deductions`,
      },
    ];
  }
  const problems: PointsProblem[] = [];
  const tiers = rules.tiers.map((t) => t.tier).join(', ');
  const tier = rules.tiers.find((t) => t.tier === d.tier);
  if (!tier) problems.push({ path: 'tier', message: `unknown tier ${d.tier} (tiers ${tiers} of ${rules.source})` });
  if (!Number.isSafeInteger(d.points) || d.points < 1) {
    problems.push({ path: 'points', message: `expected a whole number of points (at least 1), got ${d.points}` });
    return problems;
  }
  if (tier && (d.points < tier.min || d.points > tier.max)) {
    problems.push({
      path: 'points',
      message: `${d.points} is outside tier ${tier.tier} (${tier.min}–${tier.max} points) of ${rules.source}`,
    });
  }

  const after = totalAfter(state, d.points, rules);
  const triggersSuspension = state.total < rules.suspendAt && after >= rules.suspendAt && after < rules.endAt;
  const { min, max } = rules.suspensionMonths;
  if (triggersSuspension) {
    if (d.suspensionMonths === undefined) {
      problems.push({
        path: 'suspensionMonths',
        message: `required: the year's total goes from ${state.total} to ${after}, reaching ${rules.suspendAt}, which suspends billing eligibility for ${min}–${max} months (${rules.source})`,
      });
    } else if (!Number.isSafeInteger(d.suspensionMonths) || d.suspensionMonths < min || d.suspensionMonths > max) {
      problems.push({
        path: 'suspensionMonths',
        message: `must be whole months within ${min}–${max} (${rules.source}), got ${d.suspensionMonths}`,
      });
    }
  } else if (d.suspensionMonths !== undefined) {
    const why =
      after >= rules.endAt
        ? `it reaches ${rules.endAt}, which ends eligibility instead`
        : state.total >= rules.suspendAt
          ? `${rules.suspendAt} was already reached this year`
          : `it stays below ${rules.suspendAt}`;
    problems.push({ path: 'suspensionMonths', message: `not allowed: the year's total goes from ${state.total} to ${after} and ${why}` });
  }
  return problems;
}

export interface DeductionEffect {
  state: PointsState;
  /** What this deduction set off: nothing, a suspension, or the end of eligibility. */
  effect: 'none' | 'suspended' | 'ended';
  /** End of the suspension, or of the bar on re-registration; null for 'none'. ISO-8601 (UTC). */
  until: string | null;
}

function later(at: Date, timeZone: string, duration: { months?: number; years?: number }): string {
  const local = DateTime.fromJSDate(at, { zone: timeZone });
  if (!local.isValid) throw new RangeError(`cannot place ${at.toISOString()} in time zone "${timeZone}": ${local.invalidExplanation}`);
  // Calendar arithmetic in the local zone: 31 Jan + 1 month is the last day of February.
  return local.plus(duration).toJSDate().toISOString();
}

/**
 * Applies a deduction decided at `at`. Reaching `suspendAt` suspends eligibility until `at` + suspensionMonths (local
 * calendar months in `timeZone`; an ongoing suspension that ends later is kept); reaching `endAt` ends it (any
 * suspension is superseded) and bars re-registration until `at` + barYears, or + barYearsAtOnce when this one
 * deduction is `endAt` points or more. Throws PointsError when deductionProblems finds any. The caller picks the state
 * of the year the deduction belongs to.
 */
export function applyDeduction(state: PointsState, d: Deduction, at: Date, timeZone: string, rules: PointsRules): DeductionEffect {
  const problems = deductionProblems(state, d, rules);
  if (problems.length > 0) throw new PointsError(problems);
  const total = totalAfter(state, d.points, rules);
  if (total >= rules.endAt) {
    const barredUntil = later(at, timeZone, { years: d.points >= rules.endAt ? rules.barYearsAtOnce : rules.barYears });
    return { state: { ...state, total, eligibility: 'ended', suspendedUntil: null, barredUntil }, effect: 'ended', until: barredUntil };
  }
  if (state.total < rules.suspendAt && total >= rules.suspendAt) {
    const until = later(at, timeZone, { months: d.suspensionMonths! });
    const suspendedUntil =
      state.suspendedUntil !== null && new Date(state.suspendedUntil).getTime() > new Date(until).getTime() ? state.suspendedUntil : until;
    return { state: { ...state, total, eligibility: 'suspended', suspendedUntil }, effect: 'suspended', until: suspendedUntil };
  }
  return { state: { ...state, total }, effect: 'none', until: null };
}

/**
 * The state at the start of `year`: zero points (points never carry into a new year), and an ongoing suspension or
 * end of eligibility carried over from the year before. 'ended' stays 'ended' after the bar has run out: the bar only
 * says from when the person may register again (登记备案), which is a new registration, not an automatic return.
 */
export function initialPointsState(
  year: number,
  carried: Partial<Pick<PointsState, 'eligibility' | 'suspendedUntil' | 'barredUntil'>> = {},
): PointsState {
  if (!Number.isSafeInteger(year) || year < 1) throw new RangeError(`year must be a positive integer, got ${year}`);
  const eligibility = carried.eligibility ?? 'eligible';
  const suspendedUntil = eligibility === 'suspended' ? (carried.suspendedUntil ?? null) : null;
  const barredUntil = eligibility === 'ended' ? (carried.barredUntil ?? null) : null;
  if (eligibility === 'suspended' && suspendedUntil === null) throw new RangeError('a carried suspension needs its suspendedUntil');
  if (eligibility === 'ended' && barredUntil === null) throw new RangeError('a carried end of eligibility needs its barredUntil');
  return { year, total: 0, eligibility, suspendedUntil, barredUntil };
}

/** Lifts a suspension that has run out (suspendedUntil ≤ now): eligible again. Anything else is returned unchanged. */
export function liftIfDue(state: PointsState, now: Date): PointsState {
  if (state.eligibility !== 'suspended' || state.suspendedUntil === null) return state;
  if (new Date(state.suspendedUntil).getTime() > now.getTime()) return state;
  return { ...state, eligibility: 'eligible', suspendedUntil: null };
}

/** The restrictions that outlive a year (points do not): an ongoing suspension, or the end of eligibility with its bar. */
export type CarriedRestriction = Pick<PointsState, 'eligibility' | 'suspendedUntil' | 'barredUntil'>;

/** What of `state` runs past `yearEnd` into next year; undefined when nothing does (next year starts from scratch). */
export function restrictionRunningPast(state: PointsState, yearEnd: Date): CarriedRestriction | undefined {
  const after = (until: string | null) => until !== null && new Date(until).getTime() > yearEnd.getTime();
  if (state.eligibility === 'suspended' && after(state.suspendedUntil))
    return { eligibility: 'suspended', suspendedUntil: state.suspendedUntil, barredUntil: null };
  if (state.eligibility === 'ended' && after(state.barredUntil))
    return { eligibility: 'ended', suspendedUntil: null, barredUntil: state.barredUntil };
  return undefined;
}

/**
 * Takes a restriction carried from last year into this year's state, keeping points as they are (a January deduction
 * may have come first): the stricter standing wins (ended over suspended over eligible); of two suspensions or two
 * bars the later end wins. Applying the same carried restriction twice changes nothing.
 */
export function withCarried(state: PointsState, carried: Partial<CarriedRestriction>): PointsState {
  const rank = { eligible: 0, suspended: 1, ended: 2 } as const;
  const laterOf = (a: string | null, b: string | null | undefined) =>
    b == null ? a : a === null || new Date(b).getTime() > new Date(a).getTime() ? b : a;
  const incoming = carried.eligibility ?? 'eligible';
  if (rank[incoming] < rank[state.eligibility]) return state;
  if (incoming === 'suspended')
    return {
      ...state,
      eligibility: 'suspended',
      suspendedUntil: laterOf(state.eligibility === 'suspended' ? state.suspendedUntil : null, carried.suspendedUntil),
      barredUntil: null,
    };
  if (incoming === 'ended')
    return {
      ...state,
      eligibility: 'ended',
      suspendedUntil: null,
      barredUntil: laterOf(state.eligibility === 'ended' ? state.barredUntil : null, carried.barredUntil),
    };
  return state;
}

/**
 * The points workflow's housekeeping, not rules (the plan's `pointsWorkflow` may change them):
 * - `historyEventsLimit`: a year's workflow continues as new with its whole state once its history reaches this many
 *   events (or earlier, when Temporal suggests it). Below the 10,240 events at which the server starts warning
 *   (DESIGN §5 scale rule), leaving room for the events of the deductions being finished.
 * - `closingGraceMinutes`: at the year's end (and before continuing as new) the workflow waits for deductions still
 *   being written to the ledger; after this long it tells the bureau and keeps waiting, round by round.
 */
export interface PointsWorkflowSettings {
  historyEventsLimit: number;
  closingGraceMinutes: number;
}

export const DEFAULT_POINTS_WORKFLOW: PointsWorkflowSettings = { historyEventsLimit: 10_000, closingGraceMinutes: 60 };

/**
 * The practitioners' deductions of one penalty decision (a case's `decidePenalty`), before any standing is known: one
 * deduction per practitioner, a tier of the rules, points within the tier. The first problem as the case's validator
 * words it (fields as `practitioners[i].…`), or undefined.
 */
export function decisionDeductionsProblem(
  practitioners: ReadonlyArray<Deduction & { practitionerId: string }>,
  rules: Pick<PointsRules, 'tiers' | 'source'>,
): string | undefined {
  const { tiers } = rules;
  const firstAt = new Map<string, number>();
  for (const [i, p] of practitioners.entries()) {
    const first = firstAt.get(p.practitionerId);
    if (first !== undefined)
      return `practitioners[${i}].practitionerId: "${p.practitionerId}" is already deducted at practitioners[${first}]: one deduction per practitioner in a decision`;
    firstAt.set(p.practitionerId, i);
    const tier = tiers.find((t) => t.tier === p.tier);
    if (!tier)
      return `practitioners[${i}].tier: ${p.tier} is not a tier of ${rules.source} (tiers: ${tiers.map((t) => `${t.tier} = ${t.min}–${t.max} points`).join(', ')})`;
    if (p.points < tier.min || p.points > tier.max)
      return `practitioners[${i}].points: ${p.points} is outside tier ${p.tier} (${tier.min}–${tier.max})`;
  }
  return undefined;
}

/**
 * Deductions applied one after the other, each to its practitioner's standing as the ones before left it; `standing`
 * gives each practitioner's current state (null: unknown, that practitioner's deductions are not checked). The first
 * deduction the rules refuse (its index, practitioner and problems), or undefined when all would be accepted.
 */
export function sequenceProblem(
  standing: ReadonlyMap<string, PointsState | null>,
  deductions: ReadonlyArray<Deduction & { practitionerId: string }>,
  at: Date,
  timeZone: string,
  rules: PointsRules,
): { index: number; practitionerId: string; problems: PointsProblem[] } | undefined {
  const states = new Map(standing);
  for (const [index, d] of deductions.entries()) {
    const state = states.get(d.practitionerId);
    if (!state) continue;
    const problems = deductionProblems(state, d, rules);
    if (problems.length) return { index, practitionerId: d.practitionerId, problems };
    states.set(d.practitionerId, applyDeduction(state, d, at, timeZone, rules).state);
  }
  return undefined;
}
