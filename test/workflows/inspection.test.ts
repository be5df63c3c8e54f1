import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { drawTeam } from '../../domain/draw';
import { inspection } from '../../workflows/inspection/workflow';
import { inspectionStatusQuery, recordFindingsUpdate } from '../../workflows/inspection/api';
import { caseRecheckUpdate, withdrawUpdate } from '../../workflows/case/api';
import { CAMPAIGN_ID, INSTITUTION_NAME } from '../../workflows/search-attributes';
import { inspectionInput, localEndOfDay, TZ } from '../helpers/inspection-input';
import { resultInPlace, terminateAtRest, updateRejection, useWorkflowTestEnv } from '../helpers/workflow-test';
import { ledgerInstitution } from '../helpers/case-records';

const fx = useWorkflowTestEnv();
let n = 0;

/** Starts an inspection in a campaign of its own (the ledger keeps inspections under their campaign). */
async function start(input: ReturnType<typeof inspectionInput>) {
  const campaignId = `test-${++n}`;
  await fx.harness.store.upsertInstitutions([ledgerInstitution({ responsibleUnitId: undefined })]);
  await fx.harness.store.ensureCampaign({
    id: campaignId,
    jurisdiction: '349901',
    kind: 'coverage',
    title: '全覆盖现场检查',
    year: 2026,
    startsAt: new Date().toISOString(),
    dueAt: input.dueAt,
    drawSeed: input.drawSeed,
  });
  const workflowId = `inspection:${campaignId}:${input.institution.id}`;
  return fx.env.client.workflow.start(inspection, {
    workflowId,
    taskQueue: fx.harness.taskQueue,
    args: [{ ...input, campaign: { ...input.campaign, id: campaignId } }],
  });
}

const findings = (inspectorId: string, violation: boolean, nowMs: number) => ({
  inspectorId,
  inspectedAt: new Date(nowMs).toISOString(),
  violation,
  items: violation
    ? [{ category: '串换药品', description: '将非医保药品串换为医保药品结算', amountFen: 1_234_50, article: '条例第三十八条' }]
    : [],
  note: '',
});

describe('inspection workflow', () => {
  it('draws a team without conflicts, notifies only the team when unannounced, and closes as compliant', async () => {
    const now = await fx.env.currentTimeMs();
    const input = inspectionInput(localEndOfDay(now, 40));
    const team = drawTeam('seed-1', input.inspectorPool, 'H001', 2);
    expect(team).not.toContain('I01');

    const result = await fx.harness.run(async () => {
      const handle = await start(input);
      await fx.env.sleep('3 days');
      const accepted = await handle.executeUpdate(recordFindingsUpdate, { args: [findings(team[0], false, await fx.env.currentTimeMs())] });
      expect(accepted.findings?.violation).toBe(false);
      return handle.result();
    });

    expect(result.stage).toBe('compliant');
    expect(result.team).toEqual(team);
    expect(fx.harness.sent.map((s) => s.kind).sort()).toEqual(['assignment', 'assignment']);
    expect(fx.harness.sent.flatMap((s) => s.to)).not.toContain('yb@h001.example.org');
    const row = await fx.harness.store.getInspection(result.inspectionId);
    expect(row?.stage).toBe('compliant');
    expect(row?.team).toEqual(team);
    expect((await fx.harness.store.getFindings(result.inspectionId))?.inspectorId).toBe(team[0]);
    const audit = await fx.harness.store.listAudit(result.inspectionId);
    expect(audit.map((a) => a.action)).toEqual(['team-drawn', 'findings-recorded']);
    expect(audit[1].actor).toBe(team[0]);
  });

  it('tells the institution in advance only when the inspection is announced', async () => {
    const now = await fx.env.currentTimeMs();
    const input = inspectionInput(localEndOfDay(now, 5), { announced: true });
    await fx.harness.run(async () => {
      const handle = await start(input);
      await handle.executeUpdate(recordFindingsUpdate, {
        args: [findings(drawTeam('seed-1', input.inspectorPool, 'H001', 2)[0], false, now)],
      });
      return handle.result();
    });
    const notice = fx.harness.sent.find((s) => s.kind === 'institution-notice');
    expect(notice?.to).toEqual(['yb@h001.example.org']);
    expect(notice?.subject).toContain('检查通知');
  });

  it('reminds at 09:00 Asia/Shanghai on each offset day, escalates at the deadline, then closes as unreported', async () => {
    const now = await fx.env.currentTimeMs();
    const due = localEndOfDay(now, 40);
    const input = inspectionInput(due);
    const result = await fx.harness.run(async () => (await start(input)).result());

    expect(result.stage).toBe('unreported');
    expect(result.overdue).toBe(true);
    const reminders = fx.harness.sent.filter((s) => s.kind === 'findings-reminder');
    // One reminder to the whole team at 09:00 local time, N days before the deadline's local date.
    const expected = [30, 14, 7, 1].map((days) =>
      DateTime.fromJSDate(due, { zone: TZ }).minus({ days }).set({ hour: 9, minute: 0 }).toMillis(),
    );
    expect(reminders).toHaveLength(4);
    reminders.forEach((reminder, i) => {
      expect(reminder.to).toHaveLength(2);
      expect(Math.abs(reminder.at.getTime() - expected[i])).toBeLessThan(60_000);
      expect(DateTime.fromJSDate(reminder.at, { zone: TZ }).hour).toBe(9);
    });
    const escalation = fx.harness.sent.find((s) => s.kind === 'findings-overdue');
    expect(escalation?.to).toEqual(['leader@example.org', 'jjjg@example.org']);
    expect(Math.abs(escalation!.at.getTime() - due.getTime())).toBeLessThan(60_000);
    const final = fx.harness.sent.find((s) => s.kind === 'unreported');
    const lateUntil = DateTime.fromJSDate(due, { zone: TZ }).plus({ days: 10 }).set({ hour: 9, minute: 0 }).toMillis();
    expect(Math.abs(final!.at.getTime() - lateUntil)).toBeLessThan(60_000);
    expect((await fx.harness.store.listAudit(result.inspectionId)).map((a) => a.action)).toEqual([
      'team-drawn',
      'findings-overdue',
      'unreported',
    ]);
  });

  it('accepts late findings after escalation within the late window', async () => {
    const now = await fx.env.currentTimeMs();
    const input = inspectionInput(localEndOfDay(now, 2));
    const team = drawTeam('seed-1', input.inspectorPool, 'H001', 2);
    const result = await fx.harness.run(async () => {
      const handle = await start(input);
      await fx.env.sleep('4 days');
      expect((await handle.query(inspectionStatusQuery)).stage).toBe('overdue');
      await handle.executeUpdate(recordFindingsUpdate, { args: [findings(team[1], false, await fx.env.currentTimeMs())] });
      return handle.result();
    });
    expect(result.stage).toBe('compliant');
    expect(result.overdue).toBe(true);
  });

  it('opens a case for the violations that outlives the inspection and takes the recheck', async () => {
    const now = await fx.env.currentTimeMs();
    const input = inspectionInput(localEndOfDay(now, 20));
    const team = drawTeam('seed-1', input.inspectorPool, 'H001', 2);
    const { result, caseStatus } = await fx.harness.run(async () => {
      const handle = await start(input);
      await handle.executeUpdate(recordFindingsUpdate, { args: [findings(team[0], true, now)] });
      // In place: the case the inspection opened must not run ahead to its reminders before the recheck.
      const result = await resultInPlace(fx.env, handle);
      const caseHandle = fx.env.client.workflow.getHandle(result.caseId!);
      const caseStatus = await caseHandle.executeUpdate(caseRecheckUpdate, {
        args: [{ inspectorId: team[1], checkedAt: new Date(await fx.env.currentTimeMs()).toISOString(), rectified: false }],
      });
      await caseHandle.executeUpdate(withdrawUpdate, { args: [{ decidedBy: 'L1', reason: '测试结束' }] });
      await caseHandle.result();
      return { result, caseStatus };
    });
    expect(result.stage).toBe('case-opened');
    expect(result.caseId).toBe(`case:349901:${result.inspectionId.split(':')[1]}.H001`);
    expect(caseStatus.stage).toBe('interview');
    const description = await fx.env.client.workflow.getHandle(result.caseId!).describe();
    // Where the case came from, in words (the inspection's id is in the status and the ledger, not in the UI's text).
    expect(await description.staticDetails()).toMatch(/^来源：2026年 全覆盖现场检查；/);
    expect(await description.staticDetails()).not.toContain(result.inspectionId);
    expect(description.typedSearchAttributes.get(CAMPAIGN_ID)).toBe(result.inspectionId.split(':')[1]);
    expect(description.typedSearchAttributes.get(INSTITUTION_NAME)).toBe('清溪区人民医院');
    expect(fx.harness.sent.map((s) => s.kind)).toEqual(expect.arrayContaining(['case-rectification-order', 'case-interview-notice']));
    expect(fx.harness.sent.map((s) => s.kind)).not.toContain('rectification-order');
    expect((await fx.harness.store.listAudit(result.inspectionId)).map((a) => a.action)).toEqual(['team-drawn', 'findings-recorded']);
    expect((await fx.harness.store.getInspection(result.inspectionId))?.stage).toBe('case-opened');
  });

  it('rejects a bad findings Update naming the field, and changes nothing', async () => {
    const now = await fx.env.currentTimeMs();
    const input = inspectionInput(localEndOfDay(now, 10));
    const team = drawTeam('seed-1', input.inspectorPool, 'H001', 2);
    await fx.harness.run(async () => {
      const handle = await start(input);
      const bad = [
        [{ ...findings(team[0], true, now), items: [{ category: '串换药品', description: 'x', amountFen: 12.5 }] }, 'items[0].amountFen'],
        [{ ...findings(team[0], false, now), inspectedAt: 'yesterday' }, 'inspectedAt'],
        [{ ...findings(team[0], true, now), items: [] }, 'items: a violation needs at least one item'],
        [findings('I01', false, now), 'inspectorId: I01 is not on this inspection'],
        [{ ...findings(team[0], false, now), colour: 'red' }, 'colour'],
      ] as const;
      for (const [payload, expected] of bad) {
        expect(await updateRejection(handle.executeUpdate(recordFindingsUpdate, { args: [payload] }))).toContain(expected);
      }
      const status = await handle.query(inspectionStatusQuery);
      expect(status.stage).toBe('assigned');
      expect(status.findings).toBeUndefined();
      await terminateAtRest(handle, 'test done');
    });
    expect(await fx.harness.store.getFindings(`inspection:test-${n}:H001`)).toBeUndefined();
  });
});
