// The case workflow on the time-skipping server with the real activities (PGlite ledger, outbox mailer): each path of
// the escalation ladder, the money, referrals, separation of duties and withdrawal.
import type { WorkflowHandle } from '@temporalio/client';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  ackReferralUpdate,
  caseRecheckUpdate,
  caseStatusQuery,
  caseWorkflow,
  decidePenaltyUpdate,
  decideUpdate,
  recordPaymentUpdate,
  referUpdate,
  withdrawUpdate,
  type CaseInput,
} from '../../workflows/case';
import { caseInput, ITEM_38 } from '../helpers/case-input';
import { TZ } from '../helpers/inspection-input';
import { updateRejection, useWorkflowTestEnv } from '../helpers/workflow-harness';

const fx = useWorkflowTestEnv();
let n = 0;

type CaseHandle = WorkflowHandle<typeof caseWorkflow>;

function start(overrides: Partial<CaseInput> = {}): Promise<CaseHandle> {
  const input = caseInput(`T-${process.pid}-${++n}`, overrides);
  return fx.env.client.workflow.start(caseWorkflow, { workflowId: `case:349901:${input.caseNo}`, taskQueue: fx.harness.taskQueue, args: [input] });
}

const at = async () => new Date(await fx.env.currentTimeMs()).toISOString();
const recheck = async (rectified: boolean) => ({ inspectorId: 'I03', checkedAt: await at(), rectified, note: '' });
const decision = (action: string, extra: Record<string, unknown> = {}) => ({ action, decidedBy: 'L1', reason: '经集体研究决定', ...extra });

/** The recovery of ITEM_38 (1,234.50 yuan) plus a 1× fine, decided by L2, and paid in full. */
async function decideAndPay(handle: CaseHandle): Promise<void> {
  const decided = await handle.executeUpdate(decidePenaltyUpdate, { args: [{ decidedBy: 'L2', fines: [{ article: '38', multiple: 1 }], reason: '违反条例第三十八条' }] });
  expect(decided.penalty?.assessment).toMatchObject({ recoveryFen: 123_450, fineFen: 123_450, totalFen: 246_900 });
  await handle.executeUpdate(recordPaymentUpdate, { args: [{ amountFen: 246_900, paidAt: await at(), reference: 'PAY-1', recordedBy: 'I04' }] });
}


const kinds = () => fx.harness.sent.map((s) => s.kind);
const local = (d: Date | string) => DateTime.fromJSDate(new Date(d), { zone: TZ });

describe('case workflow: the ladder', () => {
  it('closes a case rectified in time, with the penalty paid, in the ledger and the audit trail', async () => {
    const result = await fx.harness.run(async () => {
      const handle = await start();
      await fx.env.sleep('10 days');
      const rechecked = await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(true)] });
      expect(rechecked.recheck?.rectified).toBe(true);
      await decideAndPay(handle);
      return handle.result();
    });
    expect(result.stage).toBe('closed');
    expect(result.outcome).toBe('按期整改');
    expect(result.penaltyStatus).toBe('paid');
    const row = await fx.harness.store.getCase(result.caseId);
    expect(row).toMatchObject({ stage: 'closed', open: false, lossFen: 123_450, fineFen: 123_450, paidFen: 246_900 });
    const actions = (await fx.harness.store.listAudit(result.caseId)).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['case-opened', 'recheck-recorded', 'penalty-decided', 'payment-recorded', 'paid-in-full', 'closed']));
    expect(kinds()).toEqual(expect.arrayContaining(['case-rectification-order', 'case-penalty-decision']));
    expect(kinds()).not.toContain('case-interview-notice');
    expect((await fx.harness.store.getCreditGrade('349901', 'H001', 2026))?.grade).toBe('C');
  });

  it('escalates a late rectification to the leader at the deadline, then accepts the late recheck', async () => {
    const result = await fx.harness.run(async () => {
      const handle = await start();
      await fx.env.sleep('35 days');
      const status = await handle.query(caseStatusQuery);
      expect(status.stage).toBe('rectification-overdue');
      expect(status.overdue).toBe(true);
      await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(true)] });
      await decideAndPay(handle);
      return handle.result();
    });
    expect(result.stage).toBe('closed');
    const escalation = fx.harness.sent.find((s) => s.key.endsWith(':rectification-escalation:1'))!;
    expect(escalation.to).toContain('leader@example.org');
    expect(local(escalation.at).toFormat('HH:mm')).toBe('23:59');
    const reminders = fx.harness.sent.filter((s) => s.kind === 'case-rectification-reminder');
    expect(reminders.map((r) => local(r.at).toFormat('HH:mm'))).toEqual(['09:00', '09:00']);
  });

  it('goes to an interview when the recheck finds it unrectified, and closes once rectified after it', async () => {
    const result = await fx.harness.run(async () => {
      const handle = await start();
      const status = await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(false)] });
      expect(status.stage).toBe('interview');
      await handle.executeUpdate(decideUpdate, { args: [decision('rectified')] });
      await decideAndPay(handle);
      return handle.result();
    });
    expect(result.outcome).toBe('约谈后整改到位');
    expect(kinds()).toEqual(expect.arrayContaining(['case-interview-notice', 'case-decision']));
  });

  it('suspends for the decided months, lifts the suspension by a durable timer, and notifies', async () => {
    const result = await fx.harness.run(async () => {
      const handle = await start();
      await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(false)] });
      expect(await updateRejection(handle.executeUpdate(decideUpdate, { args: [decision('suspend', { months: 3 })] }))).toMatch(/months: 3 is outside 6–12/);
      const suspendedAt = await fx.env.currentTimeMs();
      const suspended = await handle.executeUpdate(decideUpdate, { args: [decision('suspend', { months: 6, publicCriticism: true })] });
      expect(suspended.stage).toBe('suspended');
      expect(local(suspended.suspendedUntil!).toISODate()).toBe(local(new Date(suspendedAt)).plus({ months: 6 }).toISODate());
      expect(await updateRejection(handle.executeUpdate(decideUpdate, { args: [decision('rectified')] }))).toMatch(/once the suspension has been lifted/);
      await decideAndPay(handle);
      await fx.env.sleep('190 days');
      expect(kinds()).toContain('case-suspension-lifted');
      await handle.executeUpdate(decideUpdate, { args: [decision('rectified')] });
      return handle.result();
    });
    expect(result.outcome).toBe('暂停服务期满后整改到位');
    expect(result.publicCriticism).toBe(true);
    const lifted = fx.harness.sent.find((s) => s.kind === 'case-suspension-lifted')!;
    expect(local(lifted.at).toFormat('yyyy-MM-dd HH:mm')).toBe(local(result.suspendedUntil!).toFormat('yyyy-MM-dd HH:mm'));
    expect(kinds()).toContain('case-public-criticism');
    expect((await fx.harness.store.getCreditGrade('349901', 'H001', 2026))?.grade).toBe('D');
  });

  it('terminates the agreement and blacklists, grading the institution E', async () => {
    const result = await fx.harness.run(async () => {
      const handle = await start();
      await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(false)] });
      await handle.executeUpdate(decideUpdate, { args: [decision('terminate')] });
      expect(await updateRejection(handle.executeUpdate(decideUpdate, { args: [decision('suspend', { months: 6 })] }))).toMatch(/not possible at stage terminated/);
      await handle.executeUpdate(decideUpdate, { args: [decision('blacklist')] });
      await decideAndPay(handle);
      return handle.result();
    });
    expect(result.stage).toBe('closed');
    expect(result.outcome).toBe('解除协议并列入黑名单');
    expect(kinds()).toEqual(expect.arrayContaining(['case-termination', 'case-blacklist']));
    expect((await fx.harness.store.getCreditGrade('349901', 'H001', 2026))?.grade).toBe('E');
  });

  it('withdraws with a reason, ending every strand', async () => {
    const result = await fx.harness.run(async () => {
      const handle = await start();
      await fx.env.sleep('3 days');
      const withdrawn = await handle.executeUpdate(withdrawUpdate, { args: [{ decidedBy: 'L1', reason: '复核认定不构成违规' }] });
      expect(withdrawn.stage).toBe('withdrawn');
      return handle.result();
    });
    expect(result.outcome).toBe('撤销：复核认定不构成违规');
    expect(await fx.harness.store.getCase(result.caseId)).toMatchObject({ stage: 'withdrawn', open: false });
  });
});

describe('case workflow: money and separation of duties', () => {
  it('rejects decisions that break the rules, changing nothing', async () => {
    const big = { category: '虚构医药服务', description: '虚构住院', amountFen: 4_000_000, article: '40' };
    await fx.harness.run(async () => {
      const handle = await start({ items: [big] });
      const penalty = (extra: Record<string, unknown>) => ({ decidedBy: 'L1', fines: [{ article: '40', multiple: 2 }], reason: '欺诈骗保', ...extra });
      expect(await updateRejection(handle.executeUpdate(decidePenaltyUpdate, { args: [penalty({ decidedBy: 'I02' })] }))).toMatch(/decidedBy: "I02" recorded the findings.*separation of duties/);
      expect(await updateRejection(handle.executeUpdate(decidePenaltyUpdate, { args: [penalty({ decidedBy: 'X9' })] }))).toMatch(/decidedBy: "X9" is not an officer/);
      expect(await updateRejection(handle.executeUpdate(decidePenaltyUpdate, { args: [penalty({ fines: [{ article: '40', multiple: 6 }], approvedBy: 'L2' })] }))).toMatch(/fines\[0\]\.multiple/);
      // 40,000 yuan recovered + 80,000 yuan fine = 120,000 yuan, above the 100,000 yuan second-approver threshold.
      expect(await updateRejection(handle.executeUpdate(decidePenaltyUpdate, { args: [penalty({})] }))).toMatch(/approvedBy: required/);
      expect(await updateRejection(handle.executeUpdate(decidePenaltyUpdate, { args: [penalty({ approvedBy: 'L1' })] }))).toMatch(/approvedBy: "L1" must differ/);
      expect(await updateRejection(handle.executeUpdate(decidePenaltyUpdate, { args: [penalty({ approvedBy: 'I03' })] }))).toMatch(/approvedBy: "I03" may not approve/);
      expect(await updateRejection(handle.executeUpdate(recordPaymentUpdate, { args: [{ amountFen: 100, paidAt: await at(), reference: 'P0', recordedBy: 'L1' }] }))).toMatch(/payment not accepted/);
      const unchanged = await handle.query(caseStatusQuery);
      expect(unchanged.penaltyStatus).toBe('awaiting-decision');
      expect(unchanged.penalty).toBeUndefined();
      expect((await fx.harness.store.listAudit(unchanged.caseId)).map((a) => a.action)).not.toContain('penalty-decided');

      const decided = await handle.executeUpdate(decidePenaltyUpdate, { args: [penalty({ approvedBy: 'L2' })] });
      expect(decided.penalty?.assessment).toMatchObject({ recoveryFen: 4_000_000, fineFen: 8_000_000, totalFen: 12_000_000 });
      expect(await updateRejection(handle.executeUpdate(recordPaymentUpdate, { args: [{ amountFen: 12_000_001, paidAt: await at(), reference: 'P1', recordedBy: 'L1' }] }))).toMatch(/amountFen: 12000001 is more than/);
      await handle.executeUpdate(recordPaymentUpdate, { args: [{ amountFen: 2_000_000, paidAt: await at(), reference: 'P1', recordedBy: 'L1' }] });
      const partly = await handle.executeUpdate(recordPaymentUpdate, { args: [{ amountFen: 10_000_000, paidAt: await at(), reference: 'P2', recordedBy: 'L1' }] });
      expect(partly.penalty?.paidFen).toBe(12_000_000);
      // Withdrawn rather than terminated: the test server keeps time still while an activity of a terminated workflow is in flight.
      await handle.executeUpdate(withdrawUpdate, { args: [{ decidedBy: 'L1', reason: '测试结束' }] });
      await handle.result();
    });
  });

  it('reminds before the payment deadline, escalates after it, and leaves an unpaid case open for the closure review', async () => {
    const result = await fx.harness.run(async () => {
      const handle = await start();
      await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(true)] });
      await handle.executeUpdate(decidePenaltyUpdate, { args: [{ decidedBy: 'L2', fines: [{ article: '38', multiple: 1.5 }], reason: '违反条例第三十八条' }] });
      await handle.executeUpdate(recordPaymentUpdate, { args: [{ amountFen: 100_000, paidAt: await at(), reference: 'PAY-1', recordedBy: 'I04' }] });
      return handle.result();
    });
    expect(result.penaltyStatus).toBe('unpaid');
    expect(result.penalty?.assessment.fineFen).toBe(185_175);
    expect(result.outcome).toBe('未结：罚没款未缴清');
    expect(kinds()).toEqual(expect.arrayContaining(['case-payment-reminder', 'case-payment-escalation']));
    expect(await fx.harness.store.getCase(result.caseId)).toMatchObject({ open: true, paidFen: 100_000 });
    expect((await fx.harness.store.listOpenCaseRecords('349901', 2026)).map((c) => c.id)).toContain(result.caseId);
  });
});

describe('case workflow: referrals', () => {
  it('sends a referral letter and records the acknowledgement', async () => {
    const result = await fx.harness.run(async () => {
      const handle = await start();
      await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(true)] });
      await handle.executeUpdate(referUpdate, { args: [{ agency: 'discipline', decidedBy: 'L1', reason: '公职人员涉嫌违纪', persons: [{ name: '某某', role: '院长' }] }] });
      expect(await updateRejection(handle.executeUpdate(referUpdate, { args: [{ agency: 'health', decidedBy: 'L1', reason: 'x', persons: [{ name: '某', role: '医生' }] }] }))).toMatch(/persons: only a referral to the discipline commission/);
      await fx.env.sleep('3 days');
      const acked = await handle.executeUpdate(ackReferralUpdate, { args: [{ agency: 'discipline', acknowledgedBy: '区纪委案管室', reference: 'JW-2026-17', acknowledgedAt: await at() }] });
      expect(acked.referrals[0]).toMatchObject({ agency: 'discipline', status: 'acknowledged', reference: 'JW-2026-17' });
      await decideAndPay(handle);
      return handle.result();
    });
    expect(result.stage).toBe('closed');
    const letter = fx.harness.sent.find((s) => s.kind === 'case-referral')!;
    expect(letter.to).toContain('jw@example.org');
    expect(letter.text).toContain('院长 某某');
    expect(await fx.harness.store.listReferrals(result.caseId)).toEqual([expect.objectContaining({ agency: 'discipline', status: 'acknowledged', reference: 'JW-2026-17' })]);
  });

  it('refers suspected 三假 fraud to the police by rule, reminds, escalates, and keeps an unacknowledged referral open', async () => {
    const fraud = { category: '虚构医药服务', description: '虚构住院病例 12 份', amountFen: 6_000_000, article: '40' };
    const result = await fx.harness.run(async () => {
      const handle = await start({ items: [fraud, ITEM_38] });
      await handle.executeUpdate(caseRecheckUpdate, { args: [await recheck(true)] });
      return handle.result();
    });
    expect(result.referrals).toEqual([expect.objectContaining({ agency: 'public-security', decidedBy: 'system', status: 'unacknowledged' })]);
    const letter = fx.harness.sent.find((s) => s.kind === 'case-referral')!;
    expect(letter.to).toContain('gaj@example.org');
    const sentAt = local(letter.at);
    const escalation = fx.harness.sent.find((s) => s.key.endsWith(':referral-public-security-escalation:1'))!;
    expect(local(escalation.at).toISODate()).toBe(sentAt.plus({ days: 10 }).toISODate());
    expect(kinds()).toContain('case-referral-public-security-reminder');
    expect(result.outcome).toContain('清溪区公安分局未回执');
    expect(await fx.harness.store.listReferrals(result.caseId)).toEqual([expect.objectContaining({ status: 'unacknowledged' })]);
  });
});
