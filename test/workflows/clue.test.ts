// The clue workflow on the time-skipping server with the real activities (PGlite ledger, outbox mailer): accepted and
// verified into a case with a claimed reward; not accepted; an extension; a lapsed reward; a flying check; the reporter
// without e-mail; refusals by duty. Every mail but the reporter's own is checked to carry the reporter masked only.
import type { WorkflowHandle } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { caseWorkflowId, clueCaseNo, clueCheckCampaignId, inspectionWorkflowId } from '../../domain/business-keys';
import { localYear } from '../../domain/calendar';
import { computeReward, DEFAULT_CLUE_RULES } from '../../domain/clue';
import { holidayCalendar } from '../../domain/workdays';
import { CASE_WORKFLOW_TYPE } from '../../workflows/case/api';
import {
  acceptClueUpdate,
  assignClueUpdate,
  approveRewardUpdate,
  claimRewardUpdate,
  clueStatusQuery,
  concludeClueUpdate,
  extendClueUpdate,
  rejectClueUpdate,
  reporterToldUpdate,
  type ClueInput,
} from '../../workflows/clue/api';
import { clueWorkflow } from '../../workflows/clue/workflow';
import { inspectionStatusQuery } from '../../workflows/inspection/api';
import { CAMPAIGN_KIND } from '../../workflows/search-attributes';
import { clueInput, REPORTER, sealReporter } from '../helpers/clue-input';
import { fictitiousYears } from '../helpers/holidays';
import { TZ } from '../helpers/inspection-input';
import { resultAtRest, terminateAtRest, validatorRejection, useWorkflowTestEnv } from '../helpers/workflow-test';
import { createHarness } from '../helpers/workflow-harness';

const fx = useWorkflowTestEnv();
let n = 0;
const DAY = 86_400_000;
const JURISDICTION = '349901';

type ClueHandle = WorkflowHandle<typeof clueWorkflow>;

/**
 * The plan's limits in calendar days: the server's clock runs on from test to test, past the years whose official
 * holiday calendar is published (a working-day deadline there stops the workflow, as it must). The first test keeps
 * the working days of the demo plan, with a fictitious arrangement for the years from today's that the built-in data
 * does not cover (so that it holds on any date, also when its deadlines reach such a year).
 */
function inCalendarDays(rules: ClueInput['rules']): ClueInput['rules'] {
  return {
    ...rules,
    acceptance: { days: 15 },
    handling: { days: 15 },
    extension: { days: 20 },
    reporterNotice: { days: 5 },
    rewardApproval: { days: 10 },
  };
}

/** The plan's holiday years, and a fictitious arrangement for each year from `receivedAt`'s the built-in data lacks. */
function withFictitiousYears(rules: ClueInput['rules'], receivedAt: string): NonNullable<ClueInput['rules']['holidays']> {
  return { ...fictitiousYears(new Date(receivedAt).getUTCFullYear()), ...rules.holidays };
}

async function start(
  overrides: Partial<ClueInput> = {},
  reporter: Parameters<typeof clueInput>[2] = REPORTER,
  workingDays = false,
): Promise<ClueHandle> {
  const clueNo = `JB-${process.pid}-${++n}`;
  // Received now on the server's clock, which earlier tests have moved on.
  const receivedAt = new Date(await fx.env.currentTimeMs()).toISOString();
  const input = await clueInput(clueNo, { receivedAt, ...overrides }, reporter);
  if (!workingDays && !overrides.rules) input.rules = inCalendarDays(input.rules);
  if (workingDays && !overrides.rules) input.rules = { ...input.rules, holidays: withFictitiousYears(input.rules, receivedAt) };
  if (reporter) await sealReporter(fx.harness.store, JURISDICTION, clueNo, reporter);
  return fx.env.client.workflow.start(clueWorkflow, {
    workflowId: `clue:${JURISDICTION}:${clueNo}`,
    taskQueue: fx.harness.taskQueue,
    args: [input],
  });
}

const accept = { decidedBy: 'leader-deputy-fund', unitId: 'audit-centre', note: '请尽快核查' };
const ITEM = { category: '串换药品', description: '将非医保药品串换为医保药品结算', amountFen: 10_000_000, article: '38' };
const verified = {
  handledBy: 'insp-01',
  outcome: 'verified',
  verifiedFen: 10_000_000,
  findings: '查实串换药品',
  action: 'case',
  items: [ITEM],
};

/** Every mail of the clue, split into the reporter's own and the rest. */
function mails(handle: ClueHandle) {
  const all = fx.harness.sent.filter((m) => m.key.startsWith(`${handle.workflowId}:`));
  const own = all.filter((m) => m.to.includes(REPORTER.email!));
  return { all, own, others: all.filter((m) => !own.includes(m)) };
}

/** No trace of the reporter's identity in the staff's mails (the masked name only). */
function expectMasked(handle: ClueHandle): void {
  const { others } = mails(handle);
  expect(others.length).toBeGreaterThan(0);
  for (const m of others)
    for (const secret of [REPORTER.name, REPORTER.phone!, REPORTER.idNumber!, REPORTER.email!])
      expect(`${m.subject}${m.text}`).not.toContain(secret);
  expect(others.some((m) => m.text.includes('欧*'))).toBe(true);
}

describe('clue workflow', () => {
  it('accepted, verified into a case, the reward approved by another leader and claimed', async () => {
    await fx.harness.run(async () => {
      const handle = await start({}, REPORTER, true);
      const registered = await handle.query(clueStatusQuery);
      // 15 working days on the official calendar (a fictitious one for the years it does not cover), at the end of the day.
      const calendar = holidayCalendar(withFictitiousYears((await clueInput('unused')).rules, registered.receivedAt));
      expect(registered.dueAt).toBe(calendar.addWorkingDays(new Date(registered.receivedAt), 15, TZ, '23:59').toISOString());
      let status = await handle.executeUpdate(acceptClueUpdate, { args: [accept] });
      expect(status.stage).toBe('verifying');
      status = await handle.executeUpdate(concludeClueUpdate, { args: [verified] });
      // The case runs on the ladder, opened by the clue (ended here: this test follows the clue).
      const caseHandle = fx.env.client.workflow.getHandle(caseWorkflowId(JURISDICTION, clueCaseNo(status.clueNo)));
      expect((await caseHandle.describe()).type).toBe(CASE_WORKFLOW_TYPE);
      await terminateAtRest(caseHandle, 'test over');
      expect(status.caseId).toBe(caseHandle.workflowId);
      const reward = computeReward(verified.verifiedFen, DEFAULT_CLUE_RULES.reward);
      // 100,000 yuan: 2% of the first 100,000 = 2,000 yuan.
      expect(reward.totalFen).toBe(200_000);
      expect(status.stage).toBe('reward-approval');

      // The handler may not approve the reward; a leader who is not one may not either.
      await validatorRejection(handle, approveRewardUpdate, [{ approvedBy: 'insp-01' }], { type: 'NotAuthorised' });
      status = await handle.executeUpdate(approveRewardUpdate, { args: [{ approvedBy: 'leader-director' }] });
      expect(status.stage).toBe('reward-claim');
      expect(status.reward).toMatchObject({
        computedFen: 200_000,
        amountFen: 200_000,
        sharesFen: [200_000],
        approvedBy: 'leader-director',
      });
      status = await handle.executeUpdate(claimRewardUpdate, {
        args: [{ paidBy: 'insp-02', paidAt: new Date(await fx.env.currentTimeMs()).toISOString(), reference: 'JL-2026-001' }],
      });
      const final = await resultAtRest(handle);
      expect(final.stage).toBe('closed');
      expect(final.reward).toMatchObject({ reference: 'JL-2026-001' });

      // The reporter heard of the acceptance, the conclusion and the reward, by name, at the address in the ledger.
      const { own } = mails(handle);
      expect(own.map((m) => m.kind)).toEqual(['clue-reporter-accepted', 'clue-reporter-concluded', 'clue-reporter-reward']);
      expect(own.every((m) => m.text.startsWith(`${REPORTER.name}：`))).toBe(true);
      expect(own[2]!.text).toContain('2,000.00');
      expectMasked(handle);

      // The ledger: the row with its report; the reporter's notices recorded under the masked name.
      const row = await fx.harness.store.getClue(JURISDICTION, final.clueNo);
      expect(row).toMatchObject({ stage: 'closed', outcome: 'verified', rewardFen: 200_000, caseId: status.caseId });
      expect(row!.report).toContain('处理报告');
      expect(row!.report).toContain('查证属实');
      expect(row!.report).not.toContain(REPORTER.name);
      const notices = await fx.harness.store.listNotifications({ keyPrefix: `${handle.workflowId}:reporter:` });
      expect(notices).toHaveLength(3);
      expect(notices.every((r) => r.recipient === '举报人 欧***')).toBe(true);
    });
  });

  it('not accepted: the reporter is told why, and the report says so', async () => {
    await fx.harness.run(async () => {
      const handle = await start();
      await validatorRejection(handle, rejectClueUpdate, [{ decidedBy: 'nobody', reason: '不属于医保基金监管范围' }], {
        type: 'NotAuthorised',
      });
      await handle.executeUpdate(rejectClueUpdate, { args: [{ decidedBy: 'leader-deputy-fund', reason: '不属于医保基金监管范围' }] });
      const final = await resultAtRest(handle);
      expect(final.stage).toBe('rejected');
      const { own } = mails(handle);
      expect(own.map((m) => m.kind)).toEqual(['clue-reporter-rejected']);
      expect(own[0]!.text).toContain('不属于医保基金监管范围');
      const row = await fx.harness.store.getClue(JURISDICTION, final.clueNo);
      expect(row).toMatchObject({ stage: 'rejected', concludedAt: final.acceptance!.decidedAt });
      expect(row!.report).toContain('不予受理');
    });
  });

  it('an extension approved by a leader moves the deadline once; a second one is refused', async () => {
    await fx.harness.run(async () => {
      const plan = await clueInput('x');
      const handle = await start({ rules: inCalendarDays(plan.rules) });
      const accepted = await handle.executeUpdate(acceptClueUpdate, { args: [accept] });
      const due = Date.parse(accepted.dueAt!);
      await validatorRejection(handle, extendClueUpdate, [{ approvedBy: 'insp-01', reason: '情况复杂' }], { type: 'NotAuthorised' });
      const extended = await handle.executeUpdate(extendClueUpdate, { args: [{ approvedBy: 'leader-director', reason: '情况复杂' }] });
      expect(Date.parse(extended.dueAt!) - due).toBe(20 * DAY);
      await validatorRejection(handle, extendClueUpdate, [{ approvedBy: 'leader-director', reason: '再延' }], { type: 'AlreadyExtended' });
      // Past the first deadline, inside the extension: no escalation.
      await fx.env.sleep(due - (await fx.env.currentTimeMs()) + DAY);
      const status = await handle.query(clueStatusQuery);
      expect(status).toMatchObject({ stage: 'verifying', overdue: false, escalations: 0 });
      await handle.executeUpdate(concludeClueUpdate, {
        args: [{ handledBy: 'insp-01', outcome: 'unfounded', findings: '经核查不属实', action: 'none' }],
      });
      const final = await resultAtRest(handle);
      expect(final).toMatchObject({ stage: 'closed', rewardNote: '无查实金额，不予奖励' });
      expect(fx.harness.sent.some((m) => m.key === `${handle.workflowId}:extended`)).toBe(true);
    });
  });

  it('a leader moves a clue under verification to another unit: the deadline stays, reminders go to the new unit', async () => {
    await fx.harness.run(async () => {
      const handle = await start();
      const accepted = await handle.executeUpdate(acceptClueUpdate, { args: [accept] });
      const move = { assignedBy: 'leader-director', unitId: 'medical-services', reason: '涉及协议管理' };
      await validatorRejection(handle, assignClueUpdate, [{ ...move, assignedBy: 'insp-01' }], { type: 'NotAuthorised' });
      expect(await validatorRejection(handle, assignClueUpdate, [{ ...move, unitId: 'audit-centre' }])).toMatch(
        /is with audit-centre already/,
      );
      expect(await validatorRejection(handle, assignClueUpdate, [{ ...move, unitId: 'no-such-unit' }])).toMatch(/^unitId: /);
      const moved = await handle.executeUpdate(assignClueUpdate, { args: [move] });
      expect(moved).toMatchObject({ stage: 'verifying', dueAt: accepted.dueAt, acceptance: { unitId: 'medical-services' } });
      expect(moved.reassignments).toMatchObject([{ from: 'audit-centre', to: 'medical-services', assignedBy: 'leader-director' }]);
      const told = fx.harness.sent.find((m) => m.key === `${handle.workflowId}:reassigned:1`)!;
      expect(told.to).toEqual(['yyfw@example.org', 'chen.guodong@example.org']);
      expect(told.text).toContain('由医疗保障基金稽核中心改派，理由：涉及协议管理');
      // The reminders before the (unchanged) deadline go to the new unit.
      await fx.env.sleep(Date.parse(accepted.dueAt!) - (await fx.env.currentTimeMs()) - DAY / 2);
      const reminders = fx.harness.sent.filter((m) => m.key.startsWith(`${handle.workflowId}:verification-reminder:`));
      expect(reminders.length).toBeGreaterThan(0);
      expect(reminders.every((m) => m.to.includes('yyfw@example.org') && !m.to.includes('jhzx@example.org'))).toBe(true);
      expect(await fx.harness.store.getClue(JURISDICTION, moved.clueNo)).toMatchObject({ unitId: 'medical-services' });
      await handle.executeUpdate(concludeClueUpdate, {
        args: [{ handledBy: 'insp-01', outcome: 'unfounded', findings: '经核查不属实', action: 'none' }],
      });
      expect((await fx.harness.store.getClue(JURISDICTION, moved.clueNo))!.report).toContain('交由医药服务管理股核查');
      await resultAtRest(handle);
    });
  });

  it('an unclaimed reward lapses after the claim window and is recorded as waived', async () => {
    await fx.harness.run(async () => {
      const handle = await start();
      await handle.executeUpdate(acceptClueUpdate, { args: [accept] });
      const concluded = await handle.executeUpdate(concludeClueUpdate, { args: [{ ...verified, action: 'flying-check', items: [] }] });
      // The flying check is ordered now: an unannounced inspection of the institution, claimed with the clue as reason.
      const campaignId = clueCheckCampaignId(JURISDICTION, concluded.clueNo);
      const inspectionId = inspectionWorkflowId(campaignId, concluded.institutionId!);
      expect(concluded.flyingCheckId).toBe(inspectionId);
      const check = fx.env.client.workflow.getHandle(inspectionId);
      const described = await check.describe();
      expect(described.typedSearchAttributes.get(CAMPAIGN_KIND)).toBe('clue-check');
      expect((await check.query(inspectionStatusQuery)).stage).toBe('assigned');
      // The year of the claim is the jurisdiction's local one (from 16:00 UTC on 31 December, already the next).
      const year = localYear(new Date(await fx.env.currentTimeMs()), TZ);
      const claims = await fx.harness.store.listOnSiteInspections(JURISDICTION, concluded.institutionId!, year);
      expect(claims.find((c) => c.inspectionId === inspectionId)).toMatchObject({ reason: 'clue', reference: concluded.clueNo });
      const contacts = (await clueInput('x')).subject.institution!.contacts.map((c) => c.email);
      expect(fx.harness.sent.filter((m) => m.to.some((to) => contacts.includes(to)))).toEqual([]); // 四不两直
      await terminateAtRest(check, 'test over: the clue is what is tested here');
      const offered = await handle.executeUpdate(approveRewardUpdate, {
        args: [{ approvedBy: 'leader-director', amountFen: 300_000, reason: '举报证据详实' }],
      });
      expect(offered.reward).toMatchObject({ computedFen: 200_000, amountFen: 300_000 });
      const final = await resultAtRest(handle);
      expect(final.reward!.waivedAt).toBeDefined();
      expect(Date.parse(final.reward!.waivedAt!)).toBeGreaterThanOrEqual(Date.parse(offered.reward!.claimDueAt!));
      const row = await fx.harness.store.getClue(JURISDICTION, final.clueNo);
      expect(row).toMatchObject({ stage: 'closed', action: 'flying-check', rewardWaivedAt: final.reward!.waivedAt });
      expect(row!.report).toContain(`五、处理情况：已对被举报对象开展飞行检查（检查编号 ${inspectionId}）`);
    });
  });

  it('a reporter without e-mail is told by the unit, which records it; unheard past the deadline, the leader is told', async () => {
    await fx.harness.run(async () => {
      const noEmail = { ...REPORTER, email: undefined };
      const handle = await start({}, noEmail);
      await handle.executeUpdate(acceptClueUpdate, { args: [accept] });
      let status = await handle.query(clueStatusQuery);
      expect(status.reporterNotices).toMatchObject([{ event: 'accepted', what: '受理' }]);
      const task = fx.harness.sent.find((m) => m.key === `${handle.workflowId}:tell-reporter:accepted`)!;
      expect(task.text).toContain('举报人：');
      expect(task.text).not.toContain(REPORTER.name);
      status = await handle.executeUpdate(reporterToldUpdate, {
        args: [{ event: 'accepted', toldBy: 'insp-02', how: 'phone', at: new Date(await fx.env.currentTimeMs()).toISOString() }],
      });
      expect(status.reporterNotices[0]).toMatchObject({ how: 'phone' });
      await validatorRejection(handle, reporterToldUpdate, [
        { event: 'accepted', toldBy: 'insp-02', how: 'phone', at: new Date().toISOString() },
      ]);
      await handle.executeUpdate(concludeClueUpdate, {
        args: [{ handledBy: 'insp-01', outcome: 'unfounded', findings: '不属实', action: 'none' }],
      });
      const final = await resultAtRest(handle);
      expect(final.reporterNotices[1]).toMatchObject({ event: 'concluded', overdue: true });
      expect(fx.harness.sent.some((m) => m.key === `${handle.workflowId}:tell-reporter-escalation:concluded`)).toBe(true);
    });
  });

  it("a reporter's address the mail server refuses for good: the unit is asked to tell the reporter, leadership told", async () => {
    // This test's own harness: the fixture's worker is run once (a worker never run keeps the connection from closing).
    await fx.harness.run(async () => undefined);
    await fx.harness.close();
    fx.harness = await createHarness(fx.env, { smtpRefusing: (address) => address === REPORTER.email });
    await fx.harness.run(async () => {
      const handle = await start();
      const status = await handle.executeUpdate(acceptClueUpdate, { args: [accept] });
      expect(status.reporterNotices).toMatchObject([{ event: 'accepted', what: '受理' }]);
      expect(status.reporterNotices[0]!.toldAt).toBeUndefined();
      const notice = await fx.harness.store.getNotification(`${handle.workflowId}:reporter:accepted`);
      expect(notice).toMatchObject({ status: 'undeliverable', refusal: 'RCPT TO: 550 5.1.1', recipient: '举报人 欧***' });
      const task = fx.harness.sent.find((m) => m.key === `${handle.workflowId}:tell-reporter:accepted`)!;
      expect(task.to).toEqual(['jhzx@example.org']);
      const alert = fx.harness.sent.find((m) => m.key === `${handle.workflowId}:reporter:accepted:refused`)!;
      expect(alert.kind).toBe('notice-refused');
      expect(`${alert.text}${task.text}`).not.toContain(REPORTER.email!);
      await terminateAtRest(handle, 'test over');
    });
  });

  it('no acceptance decision: reminders, escalations to the leader, then recorded as unhandled', async () => {
    await fx.harness.run(async () => {
      const handle = await start();
      const final = await resultAtRest(handle);
      expect(final).toMatchObject({ stage: 'unhandled', overdue: false, escalations: DEFAULT_CLUE_RULES.maxEscalations });
      const kinds = mails(handle).all.map((m) => m.kind);
      expect(kinds.filter((k) => k === 'clue-acceptance-reminder')).toHaveLength(2);
      expect(kinds.filter((k) => k === 'clue-acceptance-escalation')).toHaveLength(3);
      expect(kinds.at(-1)).toBe('clue-unhandled');
      expect(mails(handle).own).toEqual([]);
    });
  });
});
