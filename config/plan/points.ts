// Practitioner points (医保支付资格记分). Left out, DEFAULT_POINTS_RULES of domain/points.ts applies (the 2024 national
// rules, with their source).
import { z } from 'zod';
import { DEFAULT_POINTS_RULES, DEFAULT_POINTS_WORKFLOW } from '../../domain/points';
import { citation, integer, positiveInt } from './fields';
import { field, isCount, rows, type Report } from './unchecked';

export const points = z
  .strictObject({
    source: citation.default(DEFAULT_POINTS_RULES.source),
    tiers: z
      .array(z.strictObject({ tier: z.literal([1, 2, 3, 4]), min: positiveInt, max: positiveInt }))
      .min(1, 'needs at least one tier')
      .default(() => DEFAULT_POINTS_RULES.tiers.map((t) => ({ ...t }))),
    suspendAt: positiveInt.default(DEFAULT_POINTS_RULES.suspendAt),
    suspensionMonths: z
      .strictObject({
        min: positiveInt.default(DEFAULT_POINTS_RULES.suspensionMonths.min),
        max: positiveInt.default(DEFAULT_POINTS_RULES.suspensionMonths.max),
      })
      .prefault({}),
    endAt: positiveInt.default(DEFAULT_POINTS_RULES.endAt),
    barYears: positiveInt.default(DEFAULT_POINTS_RULES.barYears),
    barYearsAtOnce: positiveInt.default(DEFAULT_POINTS_RULES.barYearsAtOnce),
  })
  .prefault({});

// The practitioner-points workflow's housekeeping (DEFAULT_POINTS_WORKFLOW of domain/points.ts): the history bound at
// which a year's workflow continues as new (below the server's 10,240-event warning, DESIGN §5), and how long its
// year's end waits for deductions still being written before it tells the bureau.
export const pointsWorkflow = z
  .strictObject({
    historyEventsLimit: integer.min(100).max(10_240).default(DEFAULT_POINTS_WORKFLOW.historyEventsLimit),
    closingGraceMinutes: positiveInt.default(DEFAULT_POINTS_WORKFLOW.closingGraceMinutes),
  })
  .prefault({});

/** Tiers 1, 2, 3, … in order, contiguous from 1 point up to endAt; suspension before the end. */
export function pointsProblems(plan: unknown, report: Report): void {
  const pointsRules = field(plan, 'points');
  const endAt = field(pointsRules, 'endAt') ?? DEFAULT_POINTS_RULES.endAt;
  const suspendAt = field(pointsRules, 'suspendAt') ?? DEFAULT_POINTS_RULES.suspendAt;
  tierProblems(field(pointsRules, 'tiers'), endAt, report);
  if (isCount(suspendAt) && isCount(endAt) && suspendAt >= endAt)
    report(['points', 'suspendAt'], `must be below endAt ${endAt}, got ${suspendAt}`);
  const pointsSuspension = field(pointsRules, 'suspensionMonths');
  const [pMin, pMax] = [
    field(pointsSuspension, 'min') ?? DEFAULT_POINTS_RULES.suspensionMonths.min,
    field(pointsSuspension, 'max') ?? DEFAULT_POINTS_RULES.suspensionMonths.max,
  ];
  if (isCount(pMin) && isCount(pMax) && pMax < pMin) report(['points', 'suspensionMonths', 'max'], `${pMax} is below min ${pMin}`);
  const barYears = field(pointsRules, 'barYears') ?? DEFAULT_POINTS_RULES.barYears;
  const barYearsAtOnce = field(pointsRules, 'barYearsAtOnce') ?? DEFAULT_POINTS_RULES.barYearsAtOnce;
  if (isCount(barYears) && isCount(barYearsAtOnce) && barYearsAtOnce < barYears) {
    report(['points', 'barYearsAtOnce'], `must be at least barYears ${barYears}, got ${barYearsAtOnce}`);
  }
}

function tierProblems(tierList: unknown, endAt: unknown, report: Report): void {
  const tiers = rows(tierList);
  // Judged only when every tier is a mapping: order and contiguity are meaningless around a malformed entry.
  if (!tiers || !Array.isArray(tierList) || tiers.length !== tierList.length || tiers.length === 0) return;
  let previousMax: unknown = 0;
  for (const [i, tier] of tiers) {
    const at = ['points', 'tiers', i];
    if ([1, 2, 3, 4].includes(tier.tier as number) && tier.tier !== i + 1)
      report([...at, 'tier'], `expected tier ${i + 1} here (tiers are listed in order from 1), got ${tier.tier}`);
    if (isCount(tier.min) && (previousMax === 0 || isCount(previousMax)) && tier.min !== previousMax + 1) {
      report(
        [...at, 'min'],
        i === 0
          ? `the first tier starts at 1 point, got ${tier.min}`
          : `expected ${previousMax + 1} (right after the previous tier's max ${previousMax}), got ${tier.min}`,
      );
    }
    if (isCount(tier.min) && isCount(tier.max) && tier.max < tier.min) report([...at, 'max'], `${tier.max} is below min ${tier.min}`);
    previousMax = tier.max;
  }
  const last = tiers[tiers.length - 1]![1];
  if (isCount(last.max) && isCount(endAt) && last.max !== endAt) {
    report(
      ['points', 'tiers', tiers.length - 1, 'max'],
      `the last tier ends at ${last.max}, but endAt is ${endAt}: the scale ends where eligibility ends`,
    );
  }
}
