// The clue's pure rules: the reward by Sichuan's progressive bands with the national floor and cap, joint reports,
// who is rewarded, masking, the Update payloads' shapes, and the plan section's checks. No server.
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../../config';
import { checkRewardRule, computeReward, DEFAULT_CLUE_RULES, maskName, maskPhone, rewardDue, splitReward } from '../../domain/clue';
import { approveRewardSchema, concludeClueSchema } from '../../domain/clue-payloads';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { DEFAULT_PLAN_FILE } from '../../config';

const yuan = (n: number) => Math.round(n * 100);
const rule = DEFAULT_CLUE_RULES.reward;

describe('computeReward', () => {
  it.each([
    // 案值 → reward (yuan): 2% to 100,000, 1.5% to 1,000,000, 1% to 10,000,000, 0.5% above; at least 200, at most 200,000.
    [5_000, 200, 'floor'],
    [500_000, 8_000, undefined],
    [1_000_000, 15_500, undefined],
    [10_000_000, 105_500, undefined],
    [28_900_000, 200_000, undefined],
    [50_000_000, 200_000, 'cap'],
  ])('a verified %d yuan earns %d yuan', (amount, reward, limitedBy) => {
    const r = computeReward(yuan(amount), rule);
    expect(r.totalFen).toBe(yuan(reward));
    expect(r.limitedBy).toBe(limitedBy);
    expect(r.parts.reduce((sum, p) => sum + p.toFen - p.fromFen, 0)).toBe(yuan(amount));
  });

  it('nothing verified earns nothing (the floor is for a verified amount)', () => {
    expect(computeReward(0, rule).totalFen).toBe(0);
  });

  it('rounds each band down to the fen', () => {
    expect(computeReward(12_345, { ...rule, floorFen: 0 }).totalFen).toBe(246);
  });

  it('refuses a malformed rule, naming the field', () => {
    expect(() =>
      checkRewardRule({ ...rule, brackets: [{ uptoFen: 100, percent: 2 }, { uptoFen: 50, percent: 1 }, { percent: 1 }] }),
    ).toThrow('reward.brackets.1.uptoFen: must be above the previous bound');
    expect(() => checkRewardRule({ ...rule, brackets: [{ uptoFen: 100, percent: 2 }] })).toThrow(
      'reward.brackets.0.uptoFen: the last bracket has no bound',
    );
    expect(() => checkRewardRule({ ...rule, floorFen: 30_000_000 })).toThrow('reward.floorFen');
    expect(() => computeReward(-1, rule)).toThrow('verified amount');
  });
});

describe('splitReward and rewardDue', () => {
  it('splits a joint report equally, the odd fen to the first signatories, or pays the first signatory', () => {
    expect(splitReward(1_000, 3, 'split-equally')).toEqual([334, 333, 333]);
    expect(splitReward(1_000, 3, 'first-signatory')).toEqual([1_000, 0, 0]);
  });

  it('rewards a reachable reporter of a verified amount who reported first', () => {
    const verified = { outcome: 'verified' as const, verifiedFen: 100, reachable: true };
    expect(rewardDue(verified)).toBe(true);
    expect(rewardDue({ ...verified, outcome: 'partly-verified' })).toBe(true);
    expect(rewardDue({ ...verified, outcome: 'unfounded' })).toBe(false);
    expect(rewardDue({ ...verified, verifiedFen: 0 })).toBe(false);
    expect(rewardDue({ ...verified, reachable: false })).toBe(false);
    expect(rewardDue({ ...verified, duplicateOf: 'JB-1' })).toBe(false);
  });
});

describe('masking', () => {
  it('keeps the family name and the ends of a phone number', () => {
    expect(maskName('欧阳明远')).toBe('欧***');
    expect(maskName('王五')).toBe('王*');
    expect(maskPhone('139-1234-5678')).toBe('139****5678');
    expect(maskPhone('12345')).toBe('****');
  });
});

describe('clue payloads', () => {
  it('refuses an unfounded clue with an action or an amount, and a case without items, naming the field', () => {
    const base = { handledBy: 'insp-01', findings: '核查', items: [] };
    const problems = (v: unknown) => concludeClueSchema.safeParse(v).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(problems({ ...base, outcome: 'unfounded', action: 'case', verifiedFen: 5 })).toEqual([
      'action: an unfounded clue leads to no action: use none',
      'verifiedFen: an unfounded clue has no verified amount',
      'items: a case needs at least one item found',
    ]);
    expect(problems({ ...base, outcome: 'maybe', action: 'none' })).toEqual([
      'outcome: expected one of verified, partly-verified, unfounded',
    ]);
    expect(problems({ ...base, outcome: 'verified', action: 'none', verifiedFen: 1.5 })).toEqual([
      'verifiedFen: expected an integer amount in fen',
    ]);
  });

  it('needs a reason for a reward other than the computed one', () => {
    expect(approveRewardSchema.safeParse({ approvedBy: 'L1', amountFen: 100 }).error?.issues[0]?.path).toEqual(['reason']);
    expect(approveRewardSchema.safeParse({ approvedBy: 'L1' }).success).toBe(true);
  });
});

describe('the plan section', () => {
  const demo = readFileSync(DEFAULT_PLAN_FILE, 'utf8');

  it('defaults to the national figures with their sources', () => {
    const plan = parsePlan(demo, 'demo.yaml');
    expect(plan.clues).toMatchObject({
      acceptance: { workingDays: 15 },
      reporterNotice: { workingDays: 5 },
      reward: { floorFen: 20_000, capFen: 20_000_000, claimMonths: 2 },
    });
    expect(plan.clues.sources.reporterNotice).toContain('5个工作日');
  });

  it('names a bad bracket, a bad intake unit and a bad period by their paths', () => {
    const plan = YAML.parse(demo) as { clues: Record<string, unknown> };
    plan.clues = {
      intakeUnitId: 'nowhere',
      handling: { weeks: 2 },
      reward: { brackets: [{ uptoFen: 100, percent: 2 }, { uptoFen: 50, percent: 1 }, { percent: 1 }] },
    };
    const bad = YAML.stringify(plan);
    const message = (() => {
      try {
        parsePlan(bad, 'bad.yaml');
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain('clues.handling');
    expect(message).toContain('clues.reward.brackets[1].uptoFen: must be above the previous bound');
    expect(message).toContain('clues.intakeUnitId: nowhere is not a responsible unit');
  });
});
