// The credit grade (信用等级) after an inspection (seed 000 item 3): ordered rules, first match wins, else `default`.
// Left out, the rules of domain/credit.ts apply (DEFAULT_CREDIT_RULES, with their reasoning).
import { z } from 'zod';
import { CREDIT_GRADES, DEFAULT_CREDIT_RULES, SANCTIONS } from '../../domain/credit';
import { nonNegativeInt } from './fields';
import { field, isRow, rows, type Report } from './unchecked';

const creditGrade = z.enum(CREDIT_GRADES);
const creditRule = z.strictObject({
  grade: creditGrade,
  when: z
    .strictObject({
      violation: z.boolean().optional(),
      /** Inclusive bounds, integer fen (1 yuan = 100 fen). */
      minLossFen: nonNegativeInt.optional(),
      maxLossFen: nonNegativeInt.optional(),
      minItems: nonNegativeInt.optional(),
      overdue: z.boolean().optional(),
      rectified: z.boolean().optional(),
      /** The case reached at least this rung of the ladder (interview < suspension < termination < blacklist). */
      minSanction: z.enum(SANCTIONS).optional(),
    })
    // A plain refine (no abort, no transform, so the plan-wide checks still run). Judged only when the conditions are
    // otherwise fine: an unknown key is dropped from the value and would make a misspelt rule look empty.
    .refine((when) => Object.values(when).some((v) => v !== undefined), {
      message: 'has no conditions, so it matches every inspection: use creditRules.default instead',
      when: (payload) => payload.issues.length === 0,
    }),
});

export const creditRules = z
  .strictObject({
    default: creditGrade.default(DEFAULT_CREDIT_RULES.default),
    rules: z.array(creditRule).default(() => DEFAULT_CREDIT_RULES.rules.map((rule) => ({ grade: rule.grade, when: { ...rule.when } }))),
  })
  .prefault({});

/** Loss bounds in order (a rule without conditions is refused by its schema). */
export function creditProblems(plan: unknown, report: Report): void {
  for (const [i, rule] of rows(field(field(plan, 'creditRules'), 'rules')) ?? []) {
    const when = rule.when;
    if (!isRow(when)) continue;
    const { minLossFen: min, maxLossFen: max } = when;
    if (typeof min === 'number' && typeof max === 'number' && max < min) {
      report(['creditRules', 'rules', i, 'when', 'maxLossFen'], `${max} is below minLossFen ${min}`);
    }
  }
}
