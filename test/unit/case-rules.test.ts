// The case's rules as pure functions, without a Temporal server: every deadline (domain/case-deadlines.ts), who may
// decide and approve (domain/case-duties.ts), the suspension months of the cited articles (domain/penalty.ts), and the
// points of a penalty decision (domain/points.ts).
import { describe, expect, it } from 'vitest';
import { CASE_DEADLINES, caseDeadline, escalationDeadline, type CaseDeadline } from '../../domain/case-deadlines';
import { approverProblem, approversOf, deciderProblem, isOfficer, officersOf, recheckerProblem } from '../../domain/case-duties';
import { citedArticles, DEFAULT_PENALTY_TABLE, suspensionRange } from '../../domain/penalty';
import { decisionDeductionsProblem, DEFAULT_POINTS_RULES, initialPointsState, sequenceProblem } from '../../domain/points';

const TZ = 'Asia/Shanghai';
// Every figure different, so a deadline reading another's figure shows.
const RULES = {
  endOfDay: '23:59',
  rectification: { periodDays: 30, recheckWindowDays: 14 },
  decisionPeriodDays: 21,
  escalationWindowDays: 5,
  interviewPeriodDays: 16,
  paymentPeriodDays: 15,
  paymentLateWindowDays: 31,
  referralAckDays: 10,
};
// 2027-05-06 10:00 in Shanghai.
const FROM = new Date('2027-05-06T02:00:00Z');
const endOfLocalDay = (date: string) => new Date(`${date}T23:59:00+08:00`);

describe('caseDeadline: each case deadline from the plan figures, at the end of its last local day', () => {
  const expected: Record<CaseDeadline, string> = {
    rectification: '2027-06-05',
    'recheck-window': '2027-05-20',
    interview: '2027-05-22',
    decision: '2027-05-27',
    payment: '2027-05-21',
    'payment-late': '2027-06-06',
    'referral-ack': '2027-05-16',
  };
  for (const [kind, date] of Object.entries(expected) as [CaseDeadline, string][]) {
    it(`${kind}: ${date} 23:59`, () => {
      expect(caseDeadline(kind, FROM, RULES, TZ)).toEqual(endOfLocalDay(date));
    });
  }

  it('covers every deadline of the table', () => {
    expect(Object.keys(CASE_DEADLINES).sort()).toEqual(Object.keys(expected).sort());
  });

  it('counts from local dates: 23:30 local is still that day, the day itself never counts', () => {
    // 2027-05-06 23:30 in Shanghai is 15:30 UTC; 10 days later is 16 May, whatever the UTC date says.
    expect(caseDeadline('referral-ack', new Date('2027-05-06T15:30:00Z'), RULES, TZ)).toEqual(endOfLocalDay('2027-05-16'));
  });

  it('escalation rounds end one escalation window apart after the missed deadline', () => {
    const due = caseDeadline('decision', FROM, RULES, TZ);
    expect(escalationDeadline(due, 1, RULES, TZ)).toEqual(endOfLocalDay('2027-06-01'));
    expect(escalationDeadline(due, 2, RULES, TZ)).toEqual(endOfLocalDay('2027-06-06'));
  });
});

describe('caseDeadline: a plan period in working days or calendar days; a bare number is calendar days', () => {
  // Friday 25 September 2026, 10:00 in Shanghai; 1-7 October are the National Day holiday, Saturday 10 October a
  // make-up workday (国务院办公厅关于2026年部分节假日安排的通知).
  const decidedAt = new Date('2026-09-25T10:00:00+08:00');

  it('counts a working-day payment period past the weekend and the National Day holiday', () => {
    // Working days 28, 29, 30 September, then 8 and 9 October.
    expect(caseDeadline('payment', decidedAt, { ...RULES, paymentPeriodDays: { workingDays: 5 } }, TZ)).toEqual(
      endOfLocalDay('2026-10-09'),
    );
  });

  it('reads a bare number, like { days: n }, as calendar days', () => {
    expect(caseDeadline('payment', decidedAt, { ...RULES, paymentPeriodDays: 5 }, TZ)).toEqual(endOfLocalDay('2026-09-30'));
    expect(caseDeadline('payment', decidedAt, { ...RULES, paymentPeriodDays: { days: 5 } }, TZ)).toEqual(endOfLocalDay('2026-09-30'));
  });

  it('escalates every window of working days after the missed deadline', () => {
    const rules = { ...RULES, escalationWindowDays: { workingDays: 2 } };
    const due = endOfLocalDay('2026-09-30');
    // 8 and 9 October; then the make-up Saturday 10 October and Monday 12 October.
    expect(escalationDeadline(due, 1, rules, TZ)).toEqual(endOfLocalDay('2026-10-09'));
    expect(escalationDeadline(due, 2, rules, TZ)).toEqual(endOfLocalDay('2026-10-12'));
  });
});

describe('case duties: who may decide, approve and recheck', () => {
  const duties = {
    officers: ['L1', 'L2', 'I02', 'I03'],
    approvers: ['L1', 'L2'],
    recordedBy: 'I02',
    team: ['I02', 'I03'],
    jurisdictionName: '清溪区',
  };
  const table = { secondApproverAboveFen: 100_000 };

  it('officers are the leaders and the inspectors; approvers the leaders', () => {
    const plan = { leaders: [{ id: 'L1' }, { id: 'L2' }], inspectors: [{ id: 'I02' }, { id: 'I03' }] };
    expect(officersOf(plan)).toEqual(['L1', 'L2', 'I02', 'I03']);
    expect(approversOf(plan)).toEqual(['L1', 'L2']);
    expect(isOfficer('I03', officersOf(plan))).toBe(true);
    expect(isOfficer('X9', officersOf(plan))).toBe(false);
  });

  it('a decider is an officer and never the inspector who recorded the findings (separation of duties)', () => {
    expect(deciderProblem('L1', 'decidedBy', duties)).toBeUndefined();
    expect(deciderProblem('I03', 'decidedBy', duties)).toBeUndefined();
    expect(deciderProblem('X9', 'decidedBy', duties)).toEqual({
      message: 'decidedBy: "X9" is not an officer of 清溪区 who may decide cases',
      type: 'NotAuthorised',
    });
    expect(deciderProblem('I02', 'recordedBy', duties)).toEqual({
      message: 'recordedBy: "I02" recorded the findings of this case; the decision must come from someone else (separation of duties)',
      type: 'SeparationOfDuties',
    });
  });

  it('a second approver is required above the threshold, and is an approver other than the decider and the recording inspector', () => {
    expect(approverProblem({ decidedBy: 'I03', totalFen: 100_000 }, duties, table)).toBeUndefined();
    expect(approverProblem({ decidedBy: 'I03', totalFen: 100_001 }, duties, table)).toEqual({
      message: 'approvedBy: required: the decision totals 100001 fen, above 100000 fen, so a second approver must sign',
      type: 'SecondApproverRequired',
    });
    expect(approverProblem({ decidedBy: 'I03', approvedBy: 'L1', totalFen: 100_001 }, duties, table)).toBeUndefined();
    expect(approverProblem({ decidedBy: 'L1', approvedBy: 'L1', totalFen: 5 }, duties, table)?.type).toBe('SeparationOfDuties');
    expect(approverProblem({ decidedBy: 'L1', approvedBy: 'I03', totalFen: 5 }, duties, table)).toEqual({
      message: 'approvedBy: "I03" may not approve (approvers: L1, L2)',
      type: 'NotAuthorised',
    });
    expect(approverProblem({ decidedBy: 'I03', approvedBy: 'I02', totalFen: 5 }, { ...duties, approvers: ['L1', 'I02'] }, table)).toEqual({
      message: 'approvedBy: "I02" must differ from the inspector who recorded the findings of this case (separation of duties)',
      type: 'SeparationOfDuties',
    });
  });

  it('the recheck is the inspection team’s, the recording inspector included', () => {
    expect(recheckerProblem('I02', duties.team)).toBeUndefined();
    expect(recheckerProblem('L1', duties.team)).toEqual({
      message: 'invalid recheck: inspectorId: L1 is not on the inspection team (I02, I03)',
      type: 'InvalidPayload',
    });
  });
});

describe('suspension months of the cited articles', () => {
  it('is the range of the articles the items cite, the default article for none', () => {
    expect(suspensionRange([{ article: '38' }], DEFAULT_PENALTY_TABLE)).toEqual({ min: 6, max: 12 });
    expect(suspensionRange([{}], DEFAULT_PENALTY_TABLE)).toEqual({ min: 6, max: 12 });
    expect(citedArticles([{ article: '38' }], DEFAULT_PENALTY_TABLE)).toContain('第三十八条');
    expect(citedArticles([{ article: '999' }], DEFAULT_PENALTY_TABLE)).toBe(DEFAULT_PENALTY_TABLE.source);
  });
});

describe('points of a penalty decision', () => {
  const p = (practitionerId: string, tier: number, points: number, suspensionMonths?: number) => ({
    practitionerId,
    tier,
    points,
    ...(suspensionMonths && { suspensionMonths }),
  });

  it('one deduction per practitioner, a known tier, points within it', () => {
    expect(decisionDeductionsProblem([p('D1', 1, 3), p('D2', 2, 4)], DEFAULT_POINTS_RULES)).toBeUndefined();
    expect(decisionDeductionsProblem([p('D1', 1, 3), p('D1', 1, 2)], DEFAULT_POINTS_RULES)).toBe(
      'practitioners[1].practitionerId: "D1" is already deducted at practitioners[0]: one deduction per practitioner in a decision',
    );
    expect(decisionDeductionsProblem([p('D1', 5, 3)], DEFAULT_POINTS_RULES)).toMatch(
      /^practitioners\[0\]\.tier: 5 is not a tier of .* \(tiers: 1 = 1–3 points, 2 = 4–6 points/,
    );
    expect(decisionDeductionsProblem([p('D1', 2, 3)], DEFAULT_POINTS_RULES)).toBe('practitioners[0].points: 3 is outside tier 2 (4–6)');
  });

  it('deductions apply one after the other to each standing; an unreadable standing is left to the points workflow', () => {
    const standing = new Map([
      ['D1', initialPointsState(2027)],
      ['D2', null],
    ]);
    const at = new Date('2027-05-06T02:00:00Z');
    expect(sequenceProblem(standing, [p('D1', 2, 6), p('D2', 4, 12)], at, TZ, DEFAULT_POINTS_RULES)).toBeUndefined();
    // 6 then 3 more reaches 9: the second needs suspension months.
    const refused = sequenceProblem(standing, [p('D1', 2, 6), p('D1', 1, 3)], at, TZ, DEFAULT_POINTS_RULES);
    expect(refused).toMatchObject({ index: 1, practitionerId: 'D1', problems: [{ path: 'suspensionMonths' }] });
    expect(sequenceProblem(standing, [p('D1', 2, 6), p('D1', 1, 3, 2)], at, TZ, DEFAULT_POINTS_RULES)).toBeUndefined();
  });
});
