// The case domain (domain/case.ts, domain/case-messages.ts): the crime rule that refers 三假 fraud to the police, the
// ladder's accepted actions, and the notices of a withdrawal, a closure and a decision without money.
import { describe, expect, it } from 'vitest';
import { CASE_STAGES, CASE_STAGE_LABELS, LADDER_ACTIONS, suspectedCrime } from '../../domain/case';
import {
  closureMessage,
  penaltyDecisionWithoutMoneyMessage,
  referralWithdrawnMessage,
  withdrawalMessage,
} from '../../domain/case-messages';

const RULE = { categories: ['三假', '虚构医药服务'], minLossFen: 5_000_000 };
const fraud = (amountFen: number) => ({ category: '虚构医药服务', amountFen });

describe('suspectedCrime: 三假 fraud whose loss reaches the threshold', () => {
  it('is false below the threshold, true at it ("reaches") and above it', () => {
    expect(suspectedCrime([fraud(4_999_999)], RULE)).toBe(false);
    expect(suspectedCrime([fraud(5_000_000)], RULE)).toBe(true);
    expect(suspectedCrime([fraud(5_000_001)], RULE)).toBe(true);
  });

  it('adds up the fraud items only; other categories and items without an amount count nothing', () => {
    expect(suspectedCrime([fraud(2_500_000), { category: '“三假”：虚假票据', amountFen: 2_500_000 }], RULE)).toBe(true);
    expect(suspectedCrime([fraud(4_000_000), { category: '串换药品', amountFen: 9_000_000 }], RULE)).toBe(false);
    expect(suspectedCrime([{ category: '虚构医药服务' }, fraud(4_999_999)], RULE)).toBe(false);
    expect(suspectedCrime([], { ...RULE, minLossFen: 0 })).toBe(false);
    expect(suspectedCrime([{ category: '虚构医药服务' }], { ...RULE, minLossFen: 0 })).toBe(true);
  });
});

describe('the ladder', () => {
  it('has a label for every stage, and accepts "rectified" after a suspension only once it is lifted', () => {
    for (const stage of CASE_STAGES) expect(CASE_STAGE_LABELS[stage]).toBeTruthy();
    expect(LADDER_ACTIONS.suspended).toEqual(['terminate']);
    expect(LADDER_ACTIONS['suspension-lifted']).toEqual(['rectified', 'terminate']);
    expect(LADDER_ACTIONS.terminated).toEqual(['blacklist', 'close']);
  });
});

describe('case notices', () => {
  const facts = { jurisdictionName: '清溪区', caseNo: 'C-1', institutionName: '清溪区人民医院', origin: '全覆盖现场检查' };

  it('tell of a withdrawal, a withdrawn referral, a closure and a decision without money, in Chinese', () => {
    expect(withdrawalMessage(facts, '复核认定不构成违规')).toMatchObject({
      subject: '【撤销案件通知】清溪区人民医院',
      text: expect.stringContaining('撤销理由：复核认定不构成违规'),
    });
    expect(referralWithdrawnMessage(facts, '清溪区公安分局', '复核').text).toMatch(/^清溪区公安分局：\n.*一并撤回/);
    expect(closureMessage(facts, '按期整改').text).toContain('结案情况：按期整改');
    const noMoney = penaltyDecisionWithoutMoneyMessage(facts, '未造成基金损失');
    expect(noMoney.subject).toBe('【处理决定】清溪区人民医院：不涉及退回和罚款');
    expect(noMoney.text).toContain('理由：未造成基金损失');
    expect(noMoney.text).not.toContain('缴清');
  });
});
