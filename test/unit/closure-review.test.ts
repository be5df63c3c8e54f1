// What the closure review says is outstanding on a case (domain/closure-review.ts), and its rules from a plan digest.
import { describe, expect, it } from 'vitest';
import { closureCaseList, closureReviewRules, outstandingOf, outstandingText, type ClosureFacts } from '../../domain/closure-review';
import { closureDeadlineMessage, closureOverdueMessage, closureReminderMessage } from '../../domain/coverage-messages';

const TZ = 'Asia/Shanghai';
const facts = (over: Partial<ClosureFacts> = {}): ClosureFacts => ({
  subjectType: 'case',
  stage: 'rectifying',
  overdue: false,
  stepDueAt: null,
  lossFen: 300_000,
  fineFen: 0,
  paidFen: 0,
  penaltyDecided: false,
  unacknowledgedReferrals: [],
  ...over,
});

describe('outstandingOf', () => {
  it('a case not yet decided: unrectified while on the ladder, penalty undecided, nothing owed yet', () => {
    expect(outstandingOf(facts({ stage: 'interview', overdue: true, stepDueAt: '2027-07-15T15:59:00.000Z' }))).toEqual({
      unrectified: true,
      penaltyUndecided: true,
      unpaidFen: 0,
      unacknowledgedReferrals: [],
      stepOverdue: true,
      stepDueAt: '2027-07-15T15:59:00.000Z',
      stageLabel: '约谈',
    });
  });

  it('a decided case: what is owed of recovery plus fine, and unacknowledged referrals; terminated is no rectification', () => {
    const o = outstandingOf(
      facts({
        stage: 'terminated',
        fineFen: 300_000,
        paidFen: 100_000,
        penaltyDecided: true,
        unacknowledgedReferrals: ['public-security'],
      }),
    );
    expect(o).toMatchObject({
      unrectified: false,
      penaltyUndecided: false,
      unpaidFen: 500_000,
      unacknowledgedReferrals: ['public-security'],
      stageLabel: '解除定点协议',
    });
    expect(outstandingOf(facts({ penaltyDecided: true, fineFen: 300_000, paidFen: 700_000 })).unpaidFen).toBe(0);
  });

  it('an old-style rectification: only the rectification is outstanding', () => {
    expect(
      outstandingOf(
        facts({
          subjectType: 'inspection',
          stage: 'unrectified',
          overdue: true,
          penaltyDecided: false,
          unacknowledgedReferrals: ['health'],
        }),
      ),
    ).toMatchObject({
      unrectified: true,
      penaltyUndecided: false,
      unpaidFen: 0,
      unacknowledgedReferrals: [],
      stageLabel: '未整改',
    });
  });
});

describe('outstandingText and the notices', () => {
  it('names every open item in Chinese, with the step deadline in the jurisdiction zone', () => {
    const o = outstandingOf(
      facts({
        stage: 'suspended',
        overdue: true,
        stepDueAt: '2027-09-30T15:59:00.000Z',
        penaltyDecided: true,
        fineFen: 300_000,
        paidFen: 0,
        unacknowledgedReferrals: ['public-security', 'health'],
      }),
    );
    expect(outstandingText(o, TZ)).toBe(
      '当前环节：暂停医保服务（期限 2027-09-30 23:59，已逾期）；未整改到位；退回及罚款尚欠 6,000.00 元（未执行到位）；移送公安机关未回执；移送卫生健康部门未回执',
    );
    expect(outstandingText(outstandingOf(facts()), TZ)).toBe('当前环节：限期整改中；未整改到位；未作出处理决定（未处罚到位）');
  });

  it('lists case numbers with the institution and what is outstanding', () => {
    const lines = [
      {
        caseNo: '349901-coverage-2026.H001',
        institutionId: 'H001',
        institutionName: '清溪区人民医院',
        outstanding: outstandingOf(facts()),
      },
      {
        caseNo: '349901-flying-2026.P002',
        institutionId: 'P002',
        institutionName: '仁济药房',
        outstanding: outstandingOf(facts({ subjectType: 'inspection', stage: 'rectifying' })),
      },
    ];
    expect(closureCaseList(lines, TZ)).toBe(
      '1. 案件编号 349901-coverage-2026.H001 清溪区人民医院（H001）：当前环节：限期整改中；未整改到位；未作出处理决定（未处罚到位）\n' +
        '2. 案件编号 349901-flying-2026.P002 仁济药房（P002）：当前环节：限期整改中；未整改到位',
    );
    const deadline = closureDeadlineMessage('基金监管股', 2027, '2027-03-31 23:59', lines, TZ);
    expect(deadline.subject).toBe('【结案检查】2026年未结案件 2 件，须于 2027-03-31 23:59 前办结');
    expect(deadline.text).toContain('案件编号 349901-coverage-2026.H001');
    expect(closureReminderMessage('基金监管股', 2027, '2027-03-31 23:59', 7, lines.slice(1), TZ).subject).toBe(
      '【催办】2026年未结案件：基金监管股尚有 1 件未办结（7 天后到期）',
    );
    const second = closureOverdueMessage('林秀英', '基金监管股', 2027, '2027-03-31 23:59', lines, TZ, { n: 2, of: 3 });
    expect(second.subject).toBe('【逾期督办】2026年案件结案逾期 2 件（基金监管股）（第 2 次督办）');
    expect(second.text).not.toContain('最后一次');
    expect(closureOverdueMessage('林秀英', '基金监管股', 2027, '2027-03-31 23:59', lines, TZ, { n: 3, of: 3 }).text).toContain(
      '此为最后一次督办',
    );
    expect(closureOverdueMessage('林秀英', '基金监管股', 2027, '2027-03-31 23:59', lines, TZ).subject).toBe(
      '【逾期督办】2026年案件结案逾期 2 件（基金监管股）',
    );
  });
});

describe('closureReviewRules', () => {
  it("takes the plan's values", () => {
    expect(closureReviewRules({ calendar: { endOfDay: '18:00' }, closureReview: { escalationWindowDays: 7, maxEscalations: 2 } })).toEqual({
      endOfDay: '18:00',
      escalationWindowDays: 7,
      maxEscalations: 2,
    });
  });
});
