// The credit grade (信用等级) of a designated institution after an on-site inspection ("根据现场检查情况评定定点医药机构
// 信用等级", seed 000 item 3). The grade feeds next year's flying-check draw as a risk weight (domain/flying.ts) and the
// credit-based supervision of seed 001 (四) ("信用分级分类监管").
//
// The grading is data, not code: an ordered list of rules, the first whose conditions all hold gives the grade, else a
// default grade. A jurisdiction may replace the rules in its plan (`creditRules`, config/plan.ts); DEFAULT_CREDIT_RULES
// below is the fallback. Amounts are integer fen (分), like every amount in the project.

export const CREDIT_GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export type CreditGrade = (typeof CREDIT_GRADES)[number];

/**
 * The sanctions of a case's escalation ladder (DESIGN §5 "case"), lightest first: interview (约谈), suspension of
 * fund-paid services (暂停医保服务), termination of the service agreement (解除定点协议), blacklist (黑名单).
 */
export const SANCTIONS = ['interview', 'suspension', 'termination', 'blacklist'] as const;
export type Sanction = (typeof SANCTIONS)[number];

/** What an inspection established about one institution. */
export interface CreditInput {
  /** Violations were found. */
  violation: boolean;
  /** Fund money lost through the violations (to be recovered), integer fen. 0 when none. */
  lossFen: number;
  /** Number of violation items found. */
  items: number;
  /**
   * After a rectification order: true = rectified at the recheck, false = not rectified. Leave it out (undefined) while
   * rectification is still pending or when nothing had to be rectified: then neither `rectified: true` nor
   * `rectified: false` conditions match.
   */
  rectified?: boolean | undefined;
  /** The institution missed a deadline in the inspection (late documents, late self-check report, late rectification). */
  overdue: boolean;
  /** The highest rung of the ladder the case reached; undefined when there was no case or no sanction. */
  sanction?: Sanction | undefined;
}

/**
 * Conditions of a rule; all given ones must hold (a rule with none would match everything: use the default instead).
 * Boolean conditions match only the same value (`rectified: false` does not match an undefined `rectified`). Loss and
 * item bounds are inclusive: `minLossFen` ≤ lossFen ≤ `maxLossFen`, `minItems` ≤ items. `minSanction` matches a
 * sanction at or above that rung (SANCTIONS order); an undefined sanction never matches it.
 */
export interface CreditConditions {
  violation?: boolean | undefined;
  minLossFen?: number | undefined;
  maxLossFen?: number | undefined;
  minItems?: number | undefined;
  overdue?: boolean | undefined;
  rectified?: boolean | undefined;
  minSanction?: Sanction | undefined;
}

export interface CreditRule {
  grade: CreditGrade;
  when: CreditConditions;
}

export interface CreditRules {
  /** The grade when no rule matches. */
  default: CreditGrade;
  /** Tried in order; the first match wins. */
  rules: readonly CreditRule[];
}

const YUAN = 100; // fen per yuan

/**
 * The default grading. First match wins, so the order is from worst to best:
 *
 * - E — loss ≥ 100,000 yuan (10,000,000 fen): fraud-scale (the 欺诈骗保 of Art. 40 of the 2021 regulation, where
 *   suspension, termination and referral are on the table). Lowest grade, heaviest sampling weight.
 * - E — the case reached termination of the service agreement (or the blacklist): the heaviest outcome the ladder has,
 *   so the grade is the heaviest too, whatever the amount.
 * - D — loss ≥ 10,000 yuan (1,000,000 fen), or a violation that was NOT rectified at the recheck (refusal to correct is
 *   the aggravating case of Art. 38).
 * - D — the case reached a suspension of fund-paid services: under Art. 38 that is reserved for refusal to correct or
 *   serious harm, the same aggravation as an unrectified violation.
 * - C — the case reached an interview (约谈) and no heavier rung: the institution corrected only after a summons. Stated
 *   on its own so that a plan which grades minor violations better than C (a `violation: true` rule of its own) still
 *   cannot grade an interviewed institution better than C.
 * - C — any other violation: minor (loss < 10,000 yuan) and rectified, or rectification still pending.
 * - B — no violation, but the institution was late (documents, self-check report or findings past their deadline).
 * - A — default: no violation, everything on time.
 *
 * These thresholds are this project's reading, not national numbers: the national credit rules leave grading scales
 * to the provinces, so a jurisdiction sets its own in the plan (`creditRules`).
 */
export const DEFAULT_CREDIT_RULES: CreditRules = {
  default: 'A',
  rules: [
    { grade: 'E', when: { violation: true, minLossFen: 100_000 * YUAN } },
    { grade: 'E', when: { minSanction: 'termination' } },
    { grade: 'D', when: { violation: true, minLossFen: 10_000 * YUAN } },
    { grade: 'D', when: { violation: true, rectified: false } },
    { grade: 'D', when: { minSanction: 'suspension' } },
    { grade: 'C', when: { minSanction: 'interview' } },
    { grade: 'C', when: { violation: true } },
    { grade: 'B', when: { violation: false, overdue: true } },
  ],
};

/**
 * Extra risk weight of a credit grade in the flying-check draw (domain/flying.ts): the worse the grade, the more likely
 * the institution is drawn. E highest. A jurisdiction may override it in the plan (`flyingCheck.riskWeights.grades`).
 */
export const GRADE_RISK_WEIGHT: Readonly<Record<CreditGrade, number>> = { A: 0, B: 1, C: 3, D: 6, E: 10 };

function checkCount(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`credit input: ${name} must be a non-negative integer, got ${value}`);
}

/** Whether every condition of `when` holds for `input`. */
export function matchesCreditConditions(input: CreditInput, when: CreditConditions): boolean {
  if (when.violation !== undefined && input.violation !== when.violation) return false;
  if (when.overdue !== undefined && input.overdue !== when.overdue) return false;
  if (when.rectified !== undefined && input.rectified !== when.rectified) return false;
  if (when.minLossFen !== undefined && input.lossFen < when.minLossFen) return false;
  if (when.maxLossFen !== undefined && input.lossFen > when.maxLossFen) return false;
  if (when.minItems !== undefined && input.items < when.minItems) return false;
  if (when.minSanction !== undefined) {
    if (input.sanction === undefined || SANCTIONS.indexOf(input.sanction) < SANCTIONS.indexOf(when.minSanction)) return false;
  }
  return true;
}

/** The credit grade for an inspection's outcome: the grade of the first matching rule, else the default. */
export function gradeInstitution(input: CreditInput, rules: CreditRules = DEFAULT_CREDIT_RULES): CreditGrade {
  checkCount(input.lossFen, 'lossFen');
  checkCount(input.items, 'items');
  if (input.sanction !== undefined && !SANCTIONS.includes(input.sanction)) {
    throw new RangeError(`credit input: sanction must be one of ${SANCTIONS.join(', ')}, got ${JSON.stringify(input.sanction)}`);
  }
  return rules.rules.find((rule) => matchesCreditConditions(input, rule.when))?.grade ?? rules.default;
}
