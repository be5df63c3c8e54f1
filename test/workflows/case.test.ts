// The case workflow on the time-skipping server with the real activities (PGlite ledger, outbox mailer): each path of
// the escalation ladder, the money, referrals, separation of duties, withdrawal and closing. Every refused Update is
// checked to be the validator's refusal (never accepted) and to change nothing: status, ledger rows, audit trail,
// notifications.
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { CreditRules } from '../../domain/credit';
import { DEFAULT_POINTS_RULES } from '../../domain/points';
import {
  ackReferralUpdate,
  caseRecheckUpdate,
  caseStatusQuery,
  decidePenaltyUpdate,
  decideUpdate,
  recordPaymentUpdate,
  referUpdate,
  withdrawUpdate,
  type CaseInput,
  type CaseStatus,
} from '../../workflows/case/api';
import { caseWorkflow } from '../../workflows/case/workflow';
import { CASE_RULES, caseInput, ITEM_38 } from '../helpers/case-input';
import { TZ } from '../helpers/inspection-input';
import { createHarness, type Harness } from '../helpers/workflow-harness';
import { resultAtRest, terminateAtRest, updateRejection, useWorkflowTestEnv, validatorRejection } from '../helpers/workflow-test';
import { testSealer } from '../helpers/sealer';

const fx = useWorkflowTestEnv();
let n = 0;

type CaseHandle = WorkflowHandle<typeof caseWorkflow>;

function start(overrides: Partial<CaseInput> = {}, harness: Harness = fx.harness): Promise<CaseHandle> {
  const input = caseInput(`T-${process.pid}-${++n}`, overrides);
  return fx.env.client.workflow.start(caseWorkflow, {
    workflowId: `case:349901:${input.caseNo}`,
    taskQueue: harness.taskQueue,
    args: [input],
  });
}

const at = async (offsetMs = 0) => new Date((await fx.env.currentTimeMs()) + offsetMs).toISOString();
const recheck = async (rectified: boolean) => ({ inspectorId: 'I03', checkedAt: await at(), rectified, note: '' });
const decision = (action: string, extra: Record<string, unknown> = {}) => ({ action, decidedBy: 'L1', reason: '经集体研究决定', ...extra });
const DAY = 86_400_000;

/** The recovery of ITEM_38 (1,234.50 yuan) plus a 1× fine, decided by L2, and paid in full. */
async function decideAndPay(handle: CaseHandle): Promise<void> {
  const decided = await handle.executeUpdate(decidePenaltyUpdate, {
    args: [{ decidedBy: 'L2', fines: [{ article: '38', multiple: 1 }], reason: '违反条例第三十八条' }],
  });
  expect(decided.penalty?.assessment).toMatchObject({ recoveryFen: 123_450, fineFen: 123_450, totalFen: 246_900 });
  await handle.executeUpdate(recordPaymentUpdate, {
    args: [{ amountFen: 246_900, paidAt: await at(), reference: 'PAY-1', recordedBy: 'I04' }],
  });
}

const kinds = () => fx.harness.sent.map((s) => s.kind);
const local = (d: Date | string) => DateTime.fromJSDate(new Date(d), { zone: TZ });

/** Everything a refused Update must leave as it was: the status, the ledger's rows and audit trail, the notices. */
function snapshotOf(handle: CaseHandle, harness: Harness = fx.harness): () => Promise<unknown> {
  const once = async () => {
    const id = handle.workflowId;
    const { store } = harness;
    const [status, row, audit, payments, referrals] = await Promise.all([
      handle.query(caseStatusQuery),
      store.getCase(id),
      store.listAudit(id),
      store.listPayments(id),
      store.listReferrals(id),
    ]);
    return { status, row, audit, payments, referrals, sent: harness.sent.length };
  };
  // The workflow may still be finishing what an earlier Update started (a record, a notice): wait until it is at rest.
  return async () => {
    let last = JSON.stringify(await once());
    for (let i = 0; i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const next = JSON.stringify(await once());
      if (next === last) return JSON.parse(next) as unknown;
      last = next;
    }
    throw new Error('the case did not come to rest');
  };
}

/** A refusal by the validator, of `type`, that changes nothing. */
function refused(
  handle: CaseHandle,
  update: UpdateDefinition<CaseStatus, [unknown]>,
  payload: unknown,
  type: string,
  harness?: Harness,
): Promise<string> {
  return validatorRejection(handle, update, [payload], { type, unchanged: snapshotOf(handle, harness) });
}

/** Credit rules that tell an institution's lateness apart (the default rules only do so without a violation). */
const LATENESS_RULES: CreditRules = {
  default: 'A',
  rules: [
    { grade: 'E', when: { minSanction: 'termination' } },
    { grade: 'D', when: { violation: true, overdue: true } },
    { grade: 'C', when: { violation: true } },
    { grade: 'B', when: { violation: false, overdue: true } },
  ],
};

const grade = async () => (await fx.harness.store.getCreditGrade('349901', 'H001', 2026))?.grade;

/** Activities that stall until released one by one, to catch the workflow while one is in flight. */
function stalling() {
  const waiting: Array<() => void> = [];
  return {
    waiting,
    stall: () => new Promise<void>((resolve) => waiting.push(resolve)),
    releaseOne: () => waiting.shift()!(),
    async until(count: number): Promise<void> {
      for (let i = 0; waiting.length < count; i++) {
        if (i > 300) throw new Error(`expected ${count} stalled activities, have ${waiting.length}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}

describe('case workflow: the ladder', () => {
  it('closes a case rectified in time, with the penalty paid, in the ledger and the audit trail', async () => {
    const result = await fx.harness.run(async () => {
      const handle = await start();
      await fx.env.sleep('10 days');
      const rechecked = await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(true)] });
      expect(rechecked.recheck?.rectified).toBe(true);
      // The ladder has ended at once (rectified); the money keeps the case open, the grade is already written.
      expect(rechecked).toMatchObject({ stage: 'rectified', dueAt: null });
      expect(await grade()).toBe('C');
      await decideAndPay(handle);
      return resultAtRest(handle);
    });
    expect(result.stage).toBe('closed');
    expect(result.outcome).toBe('按期整改');
    expect(result.penaltyStatus).toBe('paid');
    expect(result.institutionLate).toBe(false);
    const row = await fx.harness.store.getCase(result.caseId);
    expect(row).toMatchObject({ stage: 'closed', open: false, lossFen: 123_450, fineFen: 123_450, paidFen: 246_900 });
    const actions = (await fx.harness.store.listAudit(result.caseId)).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['case-opened', 'recheck-recorded', 'penalty-decided', 'payment-recorded', 'paid-in-full', 'closed']),
    );
    expect(kinds()).toEqual(expect.arrayContaining(['case-rectification-order', 'case-penalty-decision', 'case-closure']));
    expect(kinds()).not.toContain('case-interview-notice');
    const closure = fx.harness.sent.find((s) => s.kind === 'case-closure')!;
    expect(closure.to).toEqual(['yb@h001.example.org', 'leader@example.org']);
    expect(closure.text).toContain('结案情况：按期整改');
    expect(await grade()).toBe('C');
  });

  it('escalates a late rectification to the leader at the end of the deadline day, records the late recheck as 逾期整改, and grades it late', async () => {
    const result = await fx.harness.run(async () => {
      const handle = await start({ rules: { ...CASE_RULES, endOfDay: '17:30', creditRules: LATENESS_RULES } });
      await fx.env.sleep('35 days');
      const status = await handle.query(caseStatusQuery);
      expect(status).toMatchObject({ stage: 'rectification-overdue', overdue: true, institutionLate: true });
      await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(true)] });
      await decideAndPay(handle);
      return resultAtRest(handle);
    });
    expect(result.stage).toBe('closed');
    expect(result.outcome).toBe('逾期整改');
    expect((await fx.harness.store.getCase(result.caseId))?.outcome).toBe('逾期整改');
    expect(result.institutionLate).toBe(true);
    // The plan's end of day (calendar.endOfDay), not a fixed 23:59.
    const escalation = fx.harness.sent.find((s) => s.key.endsWith(':rectification-escalation:1'))!;
    expect(escalation.to).toContain('leader@example.org');
    expect(local(escalation.at).toFormat('HH:mm')).toBe('17:30');
    expect(local(result.penalty!.dueAt).toFormat('HH:mm')).toBe('17:30');
    const reminders = fx.harness.sent.filter((s) => s.kind === 'case-rectification-reminder');
    expect(reminders.map((r) => local(r.at).toFormat('HH:mm'))).toEqual(['09:00', '09:00']);
    expect(await grade()).toBe('D');
  });

  it('goes to an interview when the recheck finds it unrectified; once rectified, the ladder takes no more decisions', async () => {
    const result = await fx.harness.run(async () => {
      const handle = await start();
      const status = await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(false)] });
      expect(status.stage).toBe('interview');
      const rectified = await handle.executeUpdate(decideUpdate, { args: [decision('rectified')] });
      expect(rectified).toMatchObject({ stage: 'rectified', dueAt: null });
      expect(await grade()).toBe('C');
      // The money keeps the case alive, but the ladder has ended: a ladder decision is refused, not accepted and lost.
      expect(await refused(handle, decideUpdate, decision('suspend', { months: 6 }), 'InvalidStage')).toMatch(
        /^action: "suspend" is not possible: the escalation ladder has ended \(约谈后整改到位\)/,
      );
      await decideAndPay(handle);
      return resultAtRest(handle);
    });
    expect(result.outcome).toBe('约谈后整改到位');
    expect(result.decisions.map((d) => d.action)).toEqual(['rectified']);
    expect(kinds()).toEqual(expect.arrayContaining(['case-interview-notice', 'case-decision']));
    const decided = (await fx.harness.store.listAudit(result.caseId)).find((a) => a.action === 'rectified');
    expect(decided).toMatchObject({
      actor: 'L1',
      reason: '经集体研究决定',
      detail: expect.objectContaining({ stage: 'rectified', decision: expect.objectContaining({ action: 'rectified' }) }),
    });
  });

  it('reminds before the interview deadline, escalates after it, records it overdue, refuses decisions once the ladder gave up, and leaves the case open', async () => {
    const result = await fx.harness.run(async () => {
      const handle = await start();
      await decideAndPay(handle);
      const interview = await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(false)] });
      expect(interview.stage).toBe('interview');
      const interviewDue = local(interview.dueAt!);
      // 15 days to rectify after the interview, then 2 escalations 15 days apart: the ladder gives up after 45 days.
      await fx.env.sleep('20 days');
      expect(await handle.query(caseStatusQuery)).toMatchObject({ stage: 'interview', overdue: true, institutionLate: true });
      await fx.env.sleep('20 days');
      // A referral keeps the case alive past the ladder's end.
      await handle.executeUpdate(referUpdate, { args: [{ agency: 'health', decidedBy: 'L1', reason: '涉及医疗行为' }] });
      await fx.env.sleep('7 days');
      expect(await refused(handle, decideUpdate, decision('suspend', { months: 6 }), 'InvalidStage')).toMatch(
        /the escalation ladder has ended \(约谈后逾期未作出决定\)/,
      );
      expect(await refused(handle, decideUpdate, decision('rectified'), 'InvalidStage')).toMatch(/the escalation ladder has ended/);
      await handle.executeUpdate(ackReferralUpdate, {
        args: [{ agency: 'health', acknowledgedBy: '卫健局', reference: 'WJ-1', acknowledgedAt: await at() }],
      });
      return { result: await resultAtRest(handle), interviewDue };
    });
    const { interviewDue } = result;
    const status = result.result;
    expect(status).toMatchObject({
      stage: 'interview',
      overdue: true,
      outcome: '未结：约谈后逾期未作出决定',
      institutionLate: true,
      penaltyStatus: 'paid',
    });
    const reminders = fx.harness.sent.filter((s) => s.kind === 'case-interview-reminder');
    expect(reminders.map((r) => local(r.at).toISODate())).toEqual([
      interviewDue.minus({ days: 7 }).toISODate(),
      interviewDue.minus({ days: 1 }).toISODate(),
    ]);
    const escalations = fx.harness.sent.filter((s) => s.kind === 'case-interview-escalation');
    expect(escalations.map((e) => local(e.at).toFormat('yyyy-MM-dd HH:mm'))).toEqual([
      interviewDue.toFormat('yyyy-MM-dd HH:mm'),
      interviewDue.plus({ days: 15 }).toFormat('yyyy-MM-dd HH:mm'),
    ]);
    expect(escalations.every((e) => e.to.includes('leader@example.org'))).toBe(true);
    // Without calendar.endOfDay in the input (recorded before it existed), deadlines end at 23:59.
    expect(interviewDue.toFormat('HH:mm')).toBe('23:59');
    const audit = await fx.harness.store.listAudit(status.caseId);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['interview', 'interview-overdue', 'left-open']));
    expect(audit.map((a) => a.action)).not.toContain('closed');
    expect(await fx.harness.store.getCase(status.caseId)).toMatchObject({ stage: 'interview', open: true, overdue: true });
    expect((await fx.harness.store.listOpenCaseRecords('349901', 2026)).map((c) => c.id)).toContain(status.caseId);
    expect(kinds()).not.toContain('case-closure');
    expect(await grade()).toBe('D');
  });

  it('suspends for the decided months, lifts the suspension by a durable timer, and moves on to stage suspension-lifted', async () => {
    const result = await fx.harness.run(async () => {
      const handle = await start();
      await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(false)] });
      expect(await refused(handle, decideUpdate, decision('suspend', { months: 3 }), 'InvalidPayload')).toMatch(
        /months: 3 is outside 6–12/,
      );
      const suspendedAt = await fx.env.currentTimeMs();
      const suspended = await handle.executeUpdate(decideUpdate, { args: [decision('suspend', { months: 6, publicCriticism: true })] });
      expect(suspended.stage).toBe('suspended');
      expect(local(suspended.suspendedUntil!).toISODate()).toBe(local(new Date(suspendedAt)).plus({ months: 6 }).toISODate());
      // The grade follows the suspension at once, not at the case's end.
      expect(await grade()).toBe('D');
      expect(await refused(handle, decideUpdate, decision('rectified'), 'InvalidStage')).toMatch(/once the suspension has been lifted/);
      await decideAndPay(handle);
      await fx.env.sleep('190 days');
      expect(kinds()).toContain('case-suspension-lifted');
      const lifted = await handle.query(caseStatusQuery);
      expect(lifted).toMatchObject({ stage: 'suspension-lifted', stageLabel: '暂停期满', overdue: false });
      expect(await fx.harness.store.getCase(lifted.caseId)).toMatchObject({ stage: 'suspension-lifted' });
      expect(await refused(handle, decideUpdate, decision('suspend', { months: 6 }), 'InvalidStage')).toMatch(
        /not possible at stage suspension-lifted \(possible: rectified, terminate\)/,
      );
      await handle.executeUpdate(decideUpdate, { args: [decision('rectified')] });
      return resultAtRest(handle);
    });
    expect(result.outcome).toBe('暂停服务期满后整改到位');
    expect(result.publicCriticism).toBe(true);
    const lifted = fx.harness.sent.find((s) => s.kind === 'case-suspension-lifted')!;
    expect(local(lifted.at).toFormat('yyyy-MM-dd HH:mm')).toBe(local(result.suspendedUntil!).toFormat('yyyy-MM-dd HH:mm'));
    expect(kinds()).toContain('case-public-criticism');
    expect(await grade()).toBe('D');
  });

  it('terminates the agreement and blacklists, grading the institution E', async () => {
    const result = await fx.harness.run(async () => {
      const handle = await start();
      await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(false)] });
      await handle.executeUpdate(decideUpdate, { args: [decision('terminate')] });
      expect(await grade()).toBe('E');
      expect(await refused(handle, decideUpdate, decision('suspend', { months: 6 }), 'InvalidStage')).toMatch(
        /not possible at stage terminated/,
      );
      await handle.executeUpdate(decideUpdate, { args: [decision('blacklist')] });
      await decideAndPay(handle);
      return resultAtRest(handle);
    });
    expect(result.stage).toBe('closed');
    expect(result.outcome).toBe('解除协议并列入黑名单');
    expect(kinds()).toEqual(expect.arrayContaining(['case-termination', 'case-blacklist']));
    expect(await grade()).toBe('E');
  });

  it('closes after a termination without money: the close decision is recorded, a 0-fen decision still gets its notice, the closure is told', async () => {
    const noLoss = { category: '违规收费', description: '未按规定公示收费标准', article: '38' };
    const result = await fx.harness.run(async () => {
      const handle = await start({ items: [noLoss] });
      await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(false)] });
      await handle.executeUpdate(decideUpdate, { args: [decision('terminate')] });
      const closed = await handle.executeUpdate(decideUpdate, { args: [decision('close', { decidedBy: 'L2', reason: '不再列入黑名单' })] });
      expect(closed).toMatchObject({ stage: 'terminated', dueAt: null });
      expect(await refused(handle, decideUpdate, decision('blacklist'), 'InvalidStage')).toMatch(
        /the escalation ladder has ended \(解除定点协议\)/,
      );
      const decided = await handle.executeUpdate(decidePenaltyUpdate, { args: [{ decidedBy: 'L2', reason: '无基金损失，不予罚款' }] });
      expect(decided.penalty?.assessment.totalFen).toBe(0);
      return resultAtRest(handle);
    });
    expect(result).toMatchObject({ stage: 'closed', outcome: '解除定点协议', penaltyStatus: 'paid' });
    const closeDecided = (await fx.harness.store.listAudit(result.caseId)).find((a) => a.action === 'close-decided');
    expect(closeDecided).toMatchObject({ actor: 'L2', reason: '不再列入黑名单' });
    const notice = fx.harness.sent.find((s) => s.kind === 'case-penalty-decision')!;
    expect(notice.subject).toBe('【处理决定】清溪区人民医院：不涉及退回和罚款');
    expect(notice.text).toContain('无基金损失，不予罚款');
    expect(kinds()).toContain('case-closure');
    expect(await grade()).toBe('E');
  });

  it('withdraws with a reason, ending every strand: the institution, the leader and the agencies of open referrals are told; graded as without violation', async () => {
    const result = await fx.harness.run(async () => {
      const handle = await start();
      await handle.executeUpdate(referUpdate, { args: [{ agency: 'market', decidedBy: 'L2', reason: '涉嫌价格违法' }] });
      await fx.env.sleep('3 days');
      const withdrawn = await handle.executeUpdate(withdrawUpdate, { args: [{ decidedBy: 'L1', reason: '复核认定不构成违规' }] });
      expect(withdrawn.stage).toBe('withdrawn');
      return resultAtRest(handle);
    });
    expect(result.outcome).toBe('撤销：复核认定不构成违规');
    expect(await fx.harness.store.getCase(result.caseId)).toMatchObject({ stage: 'withdrawn', open: false });
    const notice = fx.harness.sent.find((s) => s.kind === 'case-withdrawal')!;
    expect(notice.to).toEqual(['yb@h001.example.org', 'leader@example.org']);
    expect(notice.text).toContain('撤销理由：复核认定不构成违规');
    const agency = fx.harness.sent.find((s) => s.kind === 'case-referral-withdrawn')!;
    expect(agency.to).toEqual(['scj@example.org']);
    const audit = await fx.harness.store.listAudit(result.caseId);
    expect(audit.find((a) => a.action === 'referral-withdrawn')).toMatchObject({ actor: 'L1', detail: { agency: 'market' } });
    expect(await grade()).toBe('A');
  });
});

describe('case workflow: money and separation of duties', () => {
  it('rejects decisions that break the rules, changing nothing; no referral for 三假 fraud below the threshold', async () => {
    // 40,000 yuan of 虚构医药服务 (三假): below the 50,000 yuan crime threshold of the test rules.
    const big = { category: '虚构医药服务', description: '虚构住院', amountFen: 4_000_000, article: '40' };
    await fx.harness.run(async () => {
      const handle = await start({ items: [big] });
      const penalty = (extra: Record<string, unknown>) => ({
        decidedBy: 'L1',
        fines: [{ article: '40', multiple: 2 }],
        reason: '欺诈骗保',
        ...extra,
      });
      expect(await refused(handle, decidePenaltyUpdate, penalty({ decidedBy: 'I02' }), 'SeparationOfDuties')).toMatch(
        /decidedBy: "I02" recorded the findings.*separation of duties/,
      );
      expect(await refused(handle, decidePenaltyUpdate, penalty({ decidedBy: 'X9' }), 'NotAuthorised')).toMatch(
        /decidedBy: "X9" is not an officer/,
      );
      expect(
        await refused(
          handle,
          decidePenaltyUpdate,
          penalty({ fines: [{ article: '40', multiple: 6 }], approvedBy: 'L2' }),
          'InvalidPayload',
        ),
      ).toMatch(/fines\[0\]\.multiple/);
      // 40,000 yuan recovered + 80,000 yuan fine = 120,000 yuan, above the 100,000 yuan second-approver threshold.
      expect(await refused(handle, decidePenaltyUpdate, penalty({}), 'SecondApproverRequired')).toMatch(/approvedBy: required/);
      expect(await refused(handle, decidePenaltyUpdate, penalty({ approvedBy: 'L1' }), 'SeparationOfDuties')).toMatch(
        /approvedBy: "L1" must differ from the decider/,
      );
      expect(await refused(handle, decidePenaltyUpdate, penalty({ approvedBy: 'I03' }), 'NotAuthorised')).toMatch(
        /approvedBy: "I03" may not approve/,
      );
      expect(
        await refused(
          handle,
          recordPaymentUpdate,
          { amountFen: 100, paidAt: await at(), reference: 'P0', recordedBy: 'L1' },
          'InvalidStage',
        ),
      ).toMatch(/payment not accepted/);
      const unchanged = await handle.query(caseStatusQuery);
      expect(unchanged.penaltyStatus).toBe('awaiting-decision');
      expect(unchanged.penalty).toBeUndefined();
      expect(unchanged.referrals).toEqual([]);
      expect((await fx.harness.store.listAudit(unchanged.caseId)).map((a) => a.action)).not.toContain('penalty-decided');

      const decided = await handle.executeUpdate(decidePenaltyUpdate, { args: [penalty({ approvedBy: 'L2' })] });
      expect(decided.penalty?.assessment).toMatchObject({ recoveryFen: 4_000_000, fineFen: 8_000_000, totalFen: 12_000_000 });
      expect(
        await refused(
          handle,
          recordPaymentUpdate,
          { amountFen: 12_000_001, paidAt: await at(), reference: 'P1', recordedBy: 'L1' },
          'InvalidPayload',
        ),
      ).toMatch(/amountFen: 12000001 is more than/);
      await handle.executeUpdate(recordPaymentUpdate, {
        args: [{ amountFen: 2_000_000, paidAt: await at(), reference: 'P1', recordedBy: 'L1' }],
      });
      const partly = await handle.executeUpdate(recordPaymentUpdate, {
        args: [{ amountFen: 10_000_000, paidAt: await at(), reference: 'P2', recordedBy: 'L1' }],
      });
      expect(partly.penalty?.paidFen).toBe(12_000_000);
      // Withdrawn rather than terminated: the test server keeps time still while an activity of a terminated workflow is in flight.
      await handle.executeUpdate(withdrawUpdate, { args: [{ decidedBy: 'L1', reason: '测试结束' }] });
      const result = await resultAtRest(handle);
      expect(result.referrals).toEqual([]);
      expect(await fx.harness.store.listReferrals(result.caseId)).toEqual([]);
    });
  });

  it('keeps the inspector who recorded the findings out of every decision, and holds any second approver and practitioner to the rules', async () => {
    await fx.harness.run(async () => {
      // I02 recorded the findings; here I02 is also an approver, which must not let I02 approve this case.
      const rules = { ...CASE_RULES, points: { ...DEFAULT_POINTS_RULES, tiers: DEFAULT_POINTS_RULES.tiers.filter((t) => t.tier <= 3) } };
      const handle = await start({ approvers: ['L1', 'L2', 'I02'], rules });
      await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(false)] });
      const sod = /"I02" recorded the findings of this case; the decision must come from someone else \(separation of duties\)/;
      expect(await refused(handle, decideUpdate, decision('suspend', { months: 6, decidedBy: 'I02' }), 'SeparationOfDuties')).toMatch(sod);
      expect(await refused(handle, decideUpdate, decision('terminate', { decidedBy: 'I02' }), 'SeparationOfDuties')).toMatch(sod);
      expect(await refused(handle, withdrawUpdate, { decidedBy: 'I02', reason: '撤销' }, 'SeparationOfDuties')).toMatch(sod);
      expect(await refused(handle, referUpdate, { agency: 'health', decidedBy: 'I02', reason: '移送' }, 'SeparationOfDuties')).toMatch(sod);

      // 1,234.50 yuan + 1× fine: far below the second-approver threshold, yet an approver given is checked.
      const penalty = (extra: Record<string, unknown>) => ({
        decidedBy: 'L1',
        fines: [{ article: '38', multiple: 1 }],
        reason: '违反条例第三十八条',
        ...extra,
      });
      expect(await refused(handle, decidePenaltyUpdate, penalty({ approvedBy: 'I02' }), 'SeparationOfDuties')).toMatch(
        /approvedBy: "I02" must differ from the inspector who recorded the findings/,
      );
      expect(await refused(handle, decidePenaltyUpdate, penalty({ approvedBy: 'I03' }), 'NotAuthorised')).toMatch(
        /approvedBy: "I03" may not approve/,
      );
      expect(await refused(handle, decidePenaltyUpdate, penalty({ approvedBy: 'L1' }), 'SeparationOfDuties')).toMatch(
        /approvedBy: "L1" must differ from the decider/,
      );
      const points = (tier: number, practitionerId = 'DOC-1') => ({
        practitionerId,
        tier,
        points: tier * 3,
        suspensionMonths: 1,
        reason: '串换药品',
      });
      expect(await refused(handle, decidePenaltyUpdate, penalty({ practitioners: [points(4)] }), 'InvalidPayload')).toMatch(
        /practitioners\[0\]\.tier: 4 is not a tier of .*\(tiers: 1 = 1–3 points, 2 = 4–6 points, 3 = 7–9 points\)/,
      );
      expect(
        await refused(
          handle,
          decidePenaltyUpdate,
          penalty({ practitioners: [points(1), points(2, 'DOC-2'), points(1)] }),
          'InvalidPayload',
        ),
      ).toMatch(/practitioners\[2\]\.practitionerId: "DOC-1" is already deducted at practitioners\[0\]/);
      const decided = await handle.executeUpdate(decidePenaltyUpdate, { args: [penalty({ approvedBy: 'L2' })] });
      expect(decided.penalty?.decision.approvedBy).toBe('L2');
      expect(
        await refused(
          handle,
          recordPaymentUpdate,
          { amountFen: 100, paidAt: await at(), reference: 'P-I02', recordedBy: 'I02' },
          'SeparationOfDuties',
        ),
      ).toMatch(/recordedBy: "I02" recorded the findings/);
      await handle.executeUpdate(withdrawUpdate, { args: [{ decidedBy: 'L1', reason: '测试结束' }] });
      await resultAtRest(handle);
    });
  });

  it('takes one of two penalty decisions that arrive in the same workflow task and refuses the other', async () => {
    const handle = await start();
    const decision = { decidedBy: 'L2', fines: [{ article: '38', multiple: 1 }], reason: '违反条例第三十八条' };
    // Both sent before any worker polls, so the worker's first task of the case carries both.
    const sent = [0, 1].map(() =>
      handle.executeUpdate(decidePenaltyUpdate, { args: [decision] }).then(
        () => 'taken',
        (e: unknown) => e,
      ),
    );
    const results = await fx.harness.run(async () => {
      const answers = await Promise.all(sent);
      // The money strand records the decision and notifies after the Update's answer: wait for its notice.
      for (let n = 0; n < 100 && !kinds().includes('case-penalty-decision'); n++) await new Promise((resolve) => setTimeout(resolve, 100));
      // Left open, the case's timers would hold up the time skipping of the tests after this one.
      await terminateAtRest(handle, 'test: the concurrent decisions are what is under test');
      return answers;
    });
    expect(results.filter((r) => r === 'taken')).toHaveLength(1);
    const refusal = results.find((r) => r !== 'taken');
    expect(refusal).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refusal as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'InvalidStage' });
    expect(fx.harness.sent.filter((s) => s.kind === 'case-penalty-decision')).toHaveLength(1);
    expect((await fx.harness.store.listAudit(handle.workflowId)).filter((a) => a.action === 'penalty-decided')).toHaveLength(1);
  });

  it('reserves a payment while it is recorded, so a concurrent one cannot overpay; a reused reference is refused, the same payment again changes nothing', async () => {
    const gate = stalling();
    const harness = await createHarness(fx.env, {
      activities: (real) => ({
        async recordCasePayment(...args: Parameters<typeof real.recordCasePayment>) {
          await gate.stall();
          return real.recordCasePayment(...args);
        },
      }),
    });
    try {
      // (The default harness's worker runs too, so that it is shut down and lets go of the connection.)
      await fx.harness.run(() =>
        harness.run(async () => {
          const handle = await start({}, harness);
          await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(true)] });
          await handle.executeUpdate(decidePenaltyUpdate, {
            args: [{ decidedBy: 'L2', fines: [{ article: '38', multiple: 1 }], reason: '违反条例第三十八条' }],
          });
          const pay = async (reference: string, amountFen: number) => ({ amountFen, paidAt: await at(), reference, recordedBy: 'I04' });

          const first = handle.executeUpdate(recordPaymentUpdate, { args: [await pay('PAY-A', 100_000)] });
          await gate.until(1);
          // PAY-A is being recorded: 146,900 fen are left, whatever the ledger says yet.
          expect(await refused(handle, recordPaymentUpdate, await pay('PAY-B', 146_901), 'InvalidPayload', harness)).toBe(
            'amountFen: 146901 is more than the 146900 fen outstanding (100000 fen of other payments are being recorded)',
          );
          gate.releaseOne();
          expect((await first).penalty?.paidFen).toBe(100_000);

          expect(await refused(handle, recordPaymentUpdate, await pay('PAY-A', 200), 'InvalidPayload', harness)).toBe(
            'reference: "PAY-A" is already recorded for 100000 fen, not 200 fen; another payment needs its own reference',
          );
          // The same payment again (a resent command): accepted, and nothing changes.
          const before = await snapshotOf(handle, harness)();
          const again = handle.executeUpdate(recordPaymentUpdate, { args: [await pay('PAY-A', 100_000)] });
          await gate.until(1);
          gate.releaseOne();
          expect((await again).penalty?.paidFen).toBe(100_000);
          expect(await snapshotOf(handle, harness)()).toEqual(before);

          const rest = handle.executeUpdate(recordPaymentUpdate, { args: [await pay('PAY-C', 146_900)] });
          await gate.until(1);
          expect(await refused(handle, recordPaymentUpdate, await pay('PAY-D', 1), 'InvalidPayload', harness)).toMatch(
            /^amountFen: 1 is more than the 0 fen outstanding/,
          );
          gate.releaseOne();
          expect((await rest).penalty?.paidFen).toBe(246_900);
          const result = await resultAtRest(handle);
          expect(result).toMatchObject({ stage: 'closed', penaltyStatus: 'paid' });
          expect((await harness.store.listPayments(result.caseId)).map((p) => [p.reference, p.amountFen])).toEqual([
            ['PAY-A', 100_000],
            ['PAY-C', 146_900],
          ]);
        }),
      );
    } finally {
      await harness.close();
    }
  });

  it('reminds before the payment deadline, escalates after it, and leaves an unpaid case open for the closure review', async () => {
    const result = await fx.harness.run(async () => {
      const handle = await start();
      await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(true)] });
      await handle.executeUpdate(decidePenaltyUpdate, {
        args: [{ decidedBy: 'L2', fines: [{ article: '38', multiple: 1.5 }], reason: '违反条例第三十八条' }],
      });
      await handle.executeUpdate(recordPaymentUpdate, {
        args: [{ amountFen: 100_000, paidAt: await at(), reference: 'PAY-1', recordedBy: 'I04' }],
      });
      return resultAtRest(handle);
    });
    expect(result.penaltyStatus).toBe('unpaid');
    expect(result.penalty?.assessment.fineFen).toBe(185_175);
    expect(result.outcome).toBe('未结：罚没款未缴清');
    // Paying late is the institution's own lateness.
    expect(result.institutionLate).toBe(true);
    expect(kinds()).toEqual(expect.arrayContaining(['case-payment-reminder', 'case-payment-escalation']));
    expect(await fx.harness.store.getCase(result.caseId)).toMatchObject({ open: true, paidFen: 100_000 });
    expect((await fx.harness.store.listOpenCaseRecords('349901', 2026)).map((c) => c.id)).toContain(result.caseId);
  });

  it('refuses every Update once the case is closing, and answers every accepted one before it ends', async () => {
    const gate = stalling();
    const harness = await createHarness(fx.env, {
      activities: (real) => ({
        // The final grade is written after every strand has ended, just before the case is closed: hold it there.
        async saveCreditGrade(...args: Parameters<typeof real.saveCreditGrade>) {
          if (args[1].key.endsWith(':credit-grade')) await gate.stall();
          return real.saveCreditGrade(...args);
        },
      }),
    });
    try {
      // (The default harness's worker runs too, so that it is shut down and lets go of the connection.)
      await fx.harness.run(() =>
        harness.run(async () => {
          const handle = await start({}, harness);
          await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(true)] });
          await handle.executeUpdate(decidePenaltyUpdate, {
            args: [{ decidedBy: 'L2', fines: [{ article: '38', multiple: 1 }], reason: '违反条例第三十八条' }],
          });
          await handle.executeUpdate(recordPaymentUpdate, {
            args: [{ amountFen: 246_900, paidAt: await at(), reference: 'PAY-1', recordedBy: 'I04' }],
          });
          await gate.until(1);
          const closing = /^the case is being closed/;
          expect(
            await refused(handle, referUpdate, { agency: 'health', decidedBy: 'L1', reason: '涉及医疗行为' }, 'InvalidStage', harness),
          ).toMatch(closing);
          expect(await refused(handle, withdrawUpdate, { decidedBy: 'L1', reason: '撤销' }, 'InvalidStage', harness)).toMatch(closing);
          gate.releaseOne();
          const result = await resultAtRest(handle);
          expect(result).toMatchObject({ stage: 'closed', outcome: '按期整改', referrals: [] });
          expect(await harness.store.listReferrals(result.caseId)).toEqual([]);
        }),
      );
    } finally {
      await harness.close();
    }
  });
});

describe('case workflow: referrals', () => {
  it('sends a referral letter and records the acknowledgement as the agency dated it, with the flagged persons in the ledger', async () => {
    const persons = [{ name: '某某', role: '院长' }];
    const result = await fx.harness.run(async () => {
      const handle = await start();
      await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(true)] });
      await handle.executeUpdate(referUpdate, { args: [{ agency: 'discipline', decidedBy: 'L1', reason: '公职人员涉嫌违纪', persons }] });
      expect(
        await refused(
          handle,
          referUpdate,
          { agency: 'health', decidedBy: 'L1', reason: 'x', persons: [{ name: '某', role: '医生' }] },
          'InvalidPayload',
        ),
      ).toMatch(/persons: only a referral to the discipline commission/);
      await fx.env.sleep('3 days');
      const ack = async (offsetMs: number) => ({
        agency: 'discipline',
        acknowledgedBy: '区纪委案管室',
        reference: 'JW-2026-17',
        acknowledgedAt: await at(offsetMs),
      });
      expect(await refused(handle, ackReferralUpdate, await ack(DAY), 'InvalidPayload')).toMatch(/^acknowledgedAt: .* is in the future/);
      expect(await refused(handle, ackReferralUpdate, await ack(-4 * DAY), 'InvalidPayload')).toMatch(
        /^acknowledgedAt: .* is before the referral was sent/,
      );
      const dated = await ack(-DAY);
      const acked = await handle.executeUpdate(ackReferralUpdate, { args: [dated] });
      expect(acked.referrals[0]).toMatchObject({
        agency: 'discipline',
        status: 'acknowledged',
        reference: 'JW-2026-17',
        acknowledgedAt: dated.acknowledgedAt,
      });
      expect(await refused(handle, ackReferralUpdate, await ack(0), 'InvalidStage')).toMatch(/the referral to discipline is acknowledged/);
      await decideAndPay(handle);
      return { status: await resultAtRest(handle), dated };
    });
    const { status, dated } = result;
    expect(status.stage).toBe('closed');
    const letter = fx.harness.sent.find((s) => s.kind === 'case-referral')!;
    expect(letter.to).toContain('jw@example.org');
    expect(letter.text).toContain('院长 某某');
    expect(await fx.harness.store.listReferrals(status.caseId)).toEqual([
      expect.objectContaining({
        agency: 'discipline',
        status: 'acknowledged',
        reference: 'JW-2026-17',
        acknowledgedAt: dated.acknowledgedAt,
        persons: expect.objectContaining({ count: persons.length }),
      }),
    ]);
    const [sealed] = await fx.harness.store.listReferrals(status.caseId);
    expect(JSON.parse(testSealer.open(sealed!.persons!.keyId, sealed!.persons!.sealed))).toEqual(persons);
    const audit = await fx.harness.store.listAudit(status.caseId);
    // The audit trail counts the flagged persons and never names them.
    const sentEntry = audit.find((a) => a.action === 'referral-sent');
    expect(sentEntry).toMatchObject({ actor: 'L1', detail: { agency: 'discipline', flaggedPersons: persons.length } });
    for (const p of persons) expect(JSON.stringify(audit)).not.toContain(p.name);
    expect(audit.find((a) => a.action === 'referral-acknowledged')).toMatchObject({
      actor: '区纪委案管室',
      detail: { agency: 'discipline', acknowledgedAt: dated.acknowledgedAt },
    });
    // Persons never reach the status (queries, the result) or the search attributes.
    expect(JSON.stringify(status)).not.toContain('某某');
  });

  it("refers suspected 三假 fraud to the police by rule, reminds, escalates, and keeps an unacknowledged referral open; the agency's lateness is not the institution's", async () => {
    const fraud = { category: '虚构医药服务', description: '虚构住院病例 12 份', amountFen: 6_000_000, article: '40' };
    const result = await fx.harness.run(async () => {
      const handle = await start({ items: [fraud, ITEM_38], rules: { ...CASE_RULES, creditRules: LATENESS_RULES } });
      await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(true)] });
      return resultAtRest(handle);
    });
    expect(result.referrals).toEqual([
      expect.objectContaining({ agency: 'public-security', decidedBy: 'system', status: 'unacknowledged' }),
    ]);
    const letter = fx.harness.sent.find((s) => s.kind === 'case-referral')!;
    expect(letter.to).toContain('gaj@example.org');
    const sentAt = local(letter.at);
    const escalation = fx.harness.sent.find((s) => s.key.endsWith(':referral-public-security-escalation:1'))!;
    expect(local(escalation.at).toISODate()).toBe(sentAt.plus({ days: 10 }).toISODate());
    expect(kinds()).toContain('case-referral-public-security-reminder');
    expect(result.outcome).toContain('清溪区公安分局未回执');
    expect(await fx.harness.store.listReferrals(result.caseId)).toEqual([expect.objectContaining({ status: 'unacknowledged' })]);
    // The police's (and the bureau's own) lateness escalates, but the institution rectified in time.
    expect(result.escalations).toBeGreaterThan(0);
    expect(result.institutionLate).toBe(false);
    expect(await grade()).toBe('C');
  });
});

describe('case workflow: a failure in a handler is not a refusal', () => {
  it('fails the payment Update for good when the ledger holds its key for another amount, and the helpers tell it from a refusal', async () => {
    await fx.harness.run(async () => {
      const handle = await start();
      await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(true)] });
      await handle.executeUpdate(decidePenaltyUpdate, {
        args: [{ decidedBy: 'L2', fines: [{ article: '38', multiple: 1 }], reason: '违反条例第三十八条' }],
      });
      // A row the workflow does not know of (say, restored from a backup) holds the payment's key with another amount.
      const key = `${handle.workflowId}:payment:PAY-X`;
      await fx.harness.store.recordPayment(
        { key, caseId: handle.workflowId, amountFen: 1, paidAt: await at(), reference: 'PAY-X', recordedBy: 'L1' },
        {
          key: `${key}:restored`,
          actor: 'L1',
          action: 'payment-restored',
          subjectType: 'case',
          subjectId: handle.workflowId,
          reason: '恢复',
          detail: {},
          at: await at(),
        },
      );
      const payment = { amountFen: 100, paidAt: await at(), reference: 'PAY-X', recordedBy: 'I04' };
      // The validator lets it through; the ledger refuses it, once and for all (no endless retries).
      const error = await handle.executeUpdate(recordPaymentUpdate, { args: [payment] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (error as WorkflowUpdateFailedError).cause;
      expect(cause).toBeInstanceOf(ActivityFailure);
      expect(cause?.cause).toBeInstanceOf(ApplicationFailure);
      expect(cause?.cause).toMatchObject({ type: 'PaymentConflict', nonRetryable: true });
      // Neither helper takes a handler's failure for a validator's refusal.
      await expect(updateRejection(handle.executeUpdate(recordPaymentUpdate, { args: [payment] }))).rejects.toThrow(/ApplicationFailure/);
      await expect(validatorRejection(handle, recordPaymentUpdate, [payment])).rejects.toThrow();
      expect((await handle.query(caseStatusQuery)).penalty?.paidFen).toBe(0);
      await handle.executeUpdate(withdrawUpdate, { args: [{ decidedBy: 'L1', reason: '测试结束' }] });
      await resultAtRest(handle);
    });
  });
});
