// Credit grades after an inspection (domain/credit.ts): ordered rules, first match wins, a default otherwise.
import { describe, expect, it } from 'vitest';
import {
  CREDIT_GRADES,
  DEFAULT_CREDIT_RULES,
  GRADE_RISK_WEIGHT,
  gradeInstitution,
  SANCTIONS,
  matchesCreditConditions,
  type CreditInput,
  type CreditRules,
  type Sanction,
} from '../../domain/credit';
import { DEFAULT_RISK_WEIGHTS } from '../../domain/flying';

const YUAN = 100;
const clean: CreditInput = { violation: false, lossFen: 0, items: 0, overdue: false };
const violation = (lossYuan: number, extra: Partial<CreditInput> = {}): CreditInput => ({
  violation: true,
  lossFen: Math.round(lossYuan * YUAN),
  items: 1,
  overdue: false,
  ...extra,
});

describe('DEFAULT_CREDIT_RULES', () => {
  it('A: no violation, on time', () => {
    expect(gradeInstitution(clean)).toBe('A');
    expect(gradeInstitution(clean, DEFAULT_CREDIT_RULES)).toBe('A');
    expect(gradeInstitution({ ...clean, rectified: true })).toBe('A');
  });

  it('B: no violation, but late', () => {
    expect(gradeInstitution({ ...clean, overdue: true })).toBe('B');
  });

  it('C: a minor violation (loss < 10,000 yuan), rectified or still pending', () => {
    expect(gradeInstitution(violation(0))).toBe('C');
    expect(gradeInstitution(violation(500, { rectified: true }))).toBe('C');
    expect(gradeInstitution(violation(9_999.99, { items: 5 }))).toBe('C');
    expect(gradeInstitution(violation(9_000, { overdue: true }))).toBe('C');
  });

  it('D: loss ≥ 10,000 yuan, or not rectified', () => {
    expect(gradeInstitution(violation(10_000))).toBe('D');
    expect(gradeInstitution(violation(10_000, { rectified: true }))).toBe('D');
    expect(gradeInstitution(violation(99_999.99))).toBe('D');
    expect(gradeInstitution(violation(200, { rectified: false }))).toBe('D');
  });

  it('E: loss ≥ 100,000 yuan (fraud-scale), rectified or not', () => {
    expect(gradeInstitution(violation(100_000))).toBe('E');
    expect(gradeInstitution(violation(2_500_000, { rectified: true }))).toBe('E');
  });

  it('counts in fen: the bounds sit exactly at 1,000,000 and 10,000,000 fen', () => {
    expect(gradeInstitution({ ...violation(0), lossFen: 999_999 })).toBe('C');
    expect(gradeInstitution({ ...violation(0), lossFen: 1_000_000 })).toBe('D');
    expect(gradeInstitution({ ...violation(0), lossFen: 9_999_999 })).toBe('D');
    expect(gradeInstitution({ ...violation(0), lossFen: 10_000_000 })).toBe('E');
  });

  it('treats a pending rectification (undefined) differently from a failed one (false)', () => {
    expect(gradeInstitution(violation(100))).toBe('C');
    expect(gradeInstitution(violation(100, { rectified: undefined }))).toBe('C');
    expect(gradeInstitution(violation(100, { rectified: false }))).toBe('D');
  });
});

describe('case outcomes (sanctions)', () => {
  it('orders the ladder lightest first', () => {
    expect(SANCTIONS).toEqual(['interview', 'suspension', 'termination', 'blacklist']);
  });

  it('E: the case reached termination or the blacklist, whatever the loss', () => {
    expect(gradeInstitution(violation(100, { sanction: 'termination', rectified: true }))).toBe('E');
    expect(gradeInstitution(violation(0, { sanction: 'blacklist' }))).toBe('E');
  });

  it('D: the case reached a suspension', () => {
    expect(gradeInstitution(violation(100, { sanction: 'suspension', rectified: true }))).toBe('D');
    expect(gradeInstitution(violation(100, { sanction: 'suspension' }))).toBe('D');
  });

  it('C: an interview and nothing heavier; a heavier loss still decides', () => {
    expect(gradeInstitution(violation(100, { sanction: 'interview', rectified: true }))).toBe('C');
    expect(gradeInstitution(violation(20_000, { sanction: 'interview', rectified: true }))).toBe('D');
    expect(gradeInstitution(violation(150_000, { sanction: 'interview' }))).toBe('E');
  });

  it('no sanction: the grade of the loss and rectification alone', () => {
    expect(gradeInstitution(violation(100, { rectified: true }))).toBe('C');
    expect(gradeInstitution(violation(100, { sanction: undefined, rectified: true }))).toBe('C');
  });

  it('an interview caps the grade at C even when a plan grades minor violations better', () => {
    const lenient: CreditRules = {
      default: 'A',
      rules: DEFAULT_CREDIT_RULES.rules.map((rule) =>
        rule.when.violation === true && Object.keys(rule.when).length === 1 ? { ...rule, grade: 'B' as const } : rule,
      ),
    };
    expect(gradeInstitution(violation(100, { rectified: true }), lenient)).toBe('B');
    expect(gradeInstitution(violation(100, { rectified: true, sanction: 'interview' }), lenient)).toBe('C');
  });

  it('minSanction matches that rung and above, never an undefined sanction', () => {
    const at = (sanction: Sanction | undefined, min: Sanction) => matchesCreditConditions(violation(0, { sanction }), { minSanction: min });
    expect(SANCTIONS.map((s) => at(s, 'suspension'))).toEqual([false, true, true, true]);
    expect(SANCTIONS.map((s) => at(s, 'interview'))).toEqual([true, true, true, true]);
    expect(SANCTIONS.map((s) => at(s, 'blacklist'))).toEqual([false, false, false, true]);
    expect(at(undefined, 'interview')).toBe(false);
  });

  it('refuses an unknown sanction', () => {
    expect(() => gradeInstitution(violation(0, { sanction: 'warning' as Sanction }))).toThrow(
      /sanction must be one of interview, suspension, termination, blacklist, got "warning"/,
    );
  });
});

describe('custom rules', () => {
  const strict: CreditRules = {
    default: 'B',
    rules: [
      { grade: 'E', when: { violation: true, minItems: 10 } },
      { grade: 'D', when: { violation: true, minLossFen: 100 * YUAN, maxLossFen: 5_000 * YUAN } },
      { grade: 'C', when: { violation: true } },
      { grade: 'A', when: { violation: false, overdue: false } },
    ],
  };

  it('applies the rules of the plan instead of the defaults', () => {
    expect(gradeInstitution(clean, strict)).toBe('A');
    expect(gradeInstitution({ ...clean, overdue: true }, strict)).toBe('B'); // no rule matches: the default
    expect(gradeInstitution(violation(50, { items: 12 }), strict)).toBe('E');
    expect(gradeInstitution(violation(99), strict)).toBe('C');
    expect(gradeInstitution(violation(100), strict)).toBe('D'); // minLossFen inclusive
    expect(gradeInstitution(violation(5_000), strict)).toBe('D'); // maxLossFen inclusive
    expect(gradeInstitution(violation(5_000.01), strict)).toBe('C');
  });

  it('first match wins, even when a later rule matches too', () => {
    const rules: CreditRules = {
      default: 'A',
      rules: [
        { grade: 'C', when: { violation: true } },
        { grade: 'E', when: { violation: true, minLossFen: 0 } },
      ],
    };
    expect(gradeInstitution(violation(1_000_000), rules)).toBe('C');
    expect(gradeInstitution(violation(1_000_000), { ...rules, rules: [...rules.rules].reverse() })).toBe('E');
  });

  it('falls back to the default when there are no rules', () => {
    expect(gradeInstitution(violation(1_000_000), { default: 'C', rules: [] })).toBe('C');
  });

  it('matches conditions exactly: every given condition must hold', () => {
    expect(matchesCreditConditions(clean, {})).toBe(true);
    expect(matchesCreditConditions(violation(10, { overdue: true }), { violation: true, overdue: true })).toBe(true);
    expect(matchesCreditConditions(violation(10, { overdue: true }), { violation: true, overdue: false })).toBe(false);
    expect(matchesCreditConditions(violation(10, { items: 2 }), { minItems: 3 })).toBe(false);
    expect(matchesCreditConditions(violation(10), { rectified: true })).toBe(false);
  });

  it('refuses a negative or fractional loss or item count', () => {
    expect(() => gradeInstitution({ ...clean, lossFen: -1 })).toThrow(RangeError);
    expect(() => gradeInstitution({ ...clean, lossFen: 1.5 })).toThrow(/lossFen must be a non-negative integer, got 1\.5/);
    expect(() => gradeInstitution({ ...clean, items: -2 })).toThrow(/items must be a non-negative integer, got -2/);
  });
});

describe('GRADE_RISK_WEIGHT', () => {
  it('weighs worse grades more, E highest, and is the default of the flying-check draw', () => {
    const weights = CREDIT_GRADES.map((g) => GRADE_RISK_WEIGHT[g]);
    expect(weights).toEqual([...weights].sort((a, b) => a - b));
    expect(new Set(weights).size).toBe(5);
    expect(Math.max(...weights)).toBe(GRADE_RISK_WEIGHT.E);
    expect(DEFAULT_RISK_WEIGHTS.grades).toEqual(GRADE_RISK_WEIGHT);
  });
});
