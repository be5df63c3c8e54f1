// The pure rules of a person's case: the ID number's check character (GB 11643), the payloads (every bad field named,
// an ID number never echoed), article 41's fine and months ranges with exact fen, and how each decision counts in table 2.
import { describe, expect, it } from 'vitest';
import { loadPlan, DEFAULT_PLAN_FILE } from '../../config';
import { formatProblems, zodProblems } from '../../domain/validation';
import {
  idCheckCharacter,
  idNumberProblem,
  personDecisionSchema,
  personSchema,
  table2Action,
  PERSON_DECISION_ACTIONS,
} from '../../domain/person-case';
import { assessPersonPenalty, DEFAULT_PERSON_PENALTY_TABLE, personFineProblem, suspensionMonthsProblem } from '../../domain/person-penalty';

const T = DEFAULT_PERSON_PENALTY_TABLE;

describe('ID number (GB 11643)', () => {
  it('computes the check character, X for 10', () => {
    // The standard's own example: 11010519491231002X.
    expect(idCheckCharacter('11010519491231002')).toBe('X');
    expect(idNumberProblem('11010519491231002X')).toBeUndefined();
    expect(idCheckCharacter('44052418800101001')).toBe('4');
    // Computed apart from this code (every weight meets a non-zero digit in one of them).
    for (const id of ['34052419800101001X', '123456197812123459', '987654199912319871']) expect(idNumberProblem(id), id).toBeUndefined();
  });

  it('catches any single wrong digit (every weight is non-zero modulo 11)', () => {
    const valid = '123456197812123459';
    for (let i = 0; i < 17; i++) {
      const altered = valid.slice(0, i) + String((Number(valid[i]) + 1) % 10) + valid.slice(i + 1);
      expect(idNumberProblem(altered), altered).toContain('check character');
    }
  });

  it('refuses a wrong check character, a wrong length, letters', () => {
    expect(idNumberProblem('110105194912310021')).toContain('check character');
    expect(idNumberProblem('11010519491231002')).toContain('18 characters');
    expect(idNumberProblem('1101051949123100AX')).toContain('18 characters');
  });

  it('names the field and never echoes the number', () => {
    const parsed = personSchema.safeParse({ name: '张三', idNumber: '110105194912310021' });
    expect(parsed.success).toBe(false);
    const text = formatProblems(zodProblems(parsed.error!));
    expect(text).toContain('idNumber');
    expect(text).not.toContain('110105194912310021');
    expect(personSchema.parse({ name: '张三', idNumber: '11010519491231002x' }).idNumber).toBe('11010519491231002X');
  });
});

describe('article 41 penalty table', () => {
  it('bounds the fine by paragraph: none under 41-1, 2–5× under 41-2', () => {
    expect(personFineProblem('41-2', 2, T)).toBeUndefined();
    expect(personFineProblem('41-2', 5, T)).toBeUndefined();
    expect(personFineProblem('41-2', 1.9, T)).toContain('outside 2–5');
    expect(personFineProblem('41-2', 5.1, T)).toContain('outside 2–5');
    expect(personFineProblem('41-1', 0, T)).toBeUndefined();
    expect(personFineProblem('41-1', 1, T)).toContain('outside 0–0');
    expect(personFineProblem('40', 2, T)).toContain('unknown "40"');
  });

  it('bounds the card suspension to 3–12 months', () => {
    expect(suspensionMonthsProblem(3, T)).toBeUndefined();
    expect(suspensionMonthsProblem(12, T)).toBeUndefined();
    expect(suspensionMonthsProblem(2, T)).toContain('outside 3–12');
  });

  it('assesses the return and the fine in exact fen', () => {
    expect(assessPersonPenalty(12_345, '41-2', 2.5, T)).toEqual({
      recoveryFen: 12_345,
      fineFen: 30_863,
      totalFen: 43_208,
      multiple: 2.5,
      paragraph: '41-2',
    });
    expect(assessPersonPenalty(12_345, '41-1', 0, T)).toMatchObject({ fineFen: 0, totalFen: 12_345 });
    expect(() => assessPersonPenalty(100, '41-2', 6, T)).toThrow(RangeError);
  });

  it('is the plan default, with its source', async () => {
    const plan = await loadPlan(DEFAULT_PLAN_FILE);
    expect(plan.personPenalties.paragraphs.map((p) => p.key)).toEqual(['41-1', '41-2']);
    expect(plan.personPenalties.paragraphs[1]!.source).toContain('第四十一条第二款');
  });
});

describe('decisions', () => {
  it('count in table 2 by their column; a recovery and the closing in none', () => {
    expect(PERSON_DECISION_ACTIONS.map((a) => [a, table2Action(a)])).toEqual([
      ['interview', 'interview'],
      ['suspend-card', 'card-suspension'],
      ['penalty', 'penalty'],
      ['refer', 'judicial-referral'],
      ['other', 'other'],
      ['recover', undefined],
      ['close', undefined],
    ]);
  });

  it('name every bad field', () => {
    const parsed = personDecisionSchema.safeParse({ action: 'suspend-card', decidedBy: '', reason: 'x', months: 0 });
    const text = formatProblems(zodProblems(parsed.error!));
    expect(text).toContain('decidedBy');
    expect(text).toContain('months');
    const refer = personDecisionSchema.safeParse({ action: 'refer', decidedBy: 'L1', reason: 'x', agency: 'health' });
    expect(formatProblems(zodProblems(refer.error!))).toContain('agency');
  });
});
