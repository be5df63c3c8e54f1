// The supervision year's Schedule on the real Temporal dev server (the time-skipping server has no Schedules):
// `jianguan schedules apply` creates it once, leaves it alone when the plan has not changed, and updates it in place
// when it has (start time, time zone, catch-up window); it fires on 1 January 00:05 Asia/Shanghai (the sample plan),
// it runs `yearStarter`, which starts this year's cycle `annual:{jurisdiction}:{year}` exactly once however often it
// is triggered, and `jianguan cycle start` is idempotent too.
import { annualCycleId, annualScheduleId, weeklyReportWorkflowId, weeklyScheduleId } from '../../domain/business-keys';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { applySchedule, applyScheduleDetailed, applyWeeklySchedule, startCycle } from '../../cli/cycle';
import { loadPlan, type Plan } from '../../config';
import { isoWeekOf, localInstant, localYear } from '../../domain/calendar';
import { countWorkflows, eventually, startDevStack, terminateAll, type DevStack } from '../helpers/dev-stack';
import { generatePlan } from '../helpers/generate-plan';

const DAY_MS = 86_400_000;

let planFile: string;
let plan: Plan;
let stack: DevStack;
let client: Client;

// The weekly tables are cut off at 00:00 on today's weekday: a report the weekly Schedule starts now is then due already
// and made at once, whatever day the suite runs.
const WEEKDAY_TODAY = DateTime.now().setZone('Asia/Shanghai').weekday;

beforeAll(async () => {
  // Five institutions: the cycle started below runs this year's coverage for real, which should stay small.
  planFile = await generatePlan({ count: 5, weeklyReport: { weekday: WEEKDAY_TODAY, time: '00:00' } });
  plan = await loadPlan(planFile);
  stack = await startDevStack({ planFile });
  client = stack.client;
});

afterAll(async () => {
  if (stack) {
    for (const id of [annualScheduleId(plan.jurisdiction.code), weeklyScheduleId(plan.jurisdiction.code)])
      await client.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined);
    await terminateAll(client, stack.config.temporal.namespace);
    await stack.stop();
  }
  if (planFile) rmSync(path.dirname(planFile), { recursive: true, force: true });
});

async function listScheduleIds(): Promise<string[]> {
  const ids: string[] = [];
  for await (const schedule of client.schedule.list()) ids.push(schedule.scheduleId);
  return ids;
}

describe('the yearly Schedule (dev server)', () => {
  const jurisdiction = '349901';
  const scheduleId = `annual-cycle:${jurisdiction}`;

  it('is created once; applying the same plan again changes nothing', async () => {
    expect(annualScheduleId(plan.jurisdiction.code)).toBe(scheduleId);
    expect(await applySchedule(client, stack.config, plan)).toBe('created');
    const before = await client.schedule.getHandle(scheduleId).describe();
    expect(await applySchedule(client, stack.config, plan)).toBe('unchanged');
    expect((await client.schedule.getHandle(scheduleId).describe()).info.lastUpdatedAt).toEqual(before.info.lastUpdatedAt);
    // The schedule list is served from visibility: eventually consistent.
    const ids = await eventually(listScheduleIds, (list) => list.includes(scheduleId));
    expect(ids.filter((id) => id === scheduleId)).toHaveLength(1);
  });

  it('fires on 1 January 00:05 in Asia/Shanghai and runs yearStarter, never two at once', async () => {
    const description = await client.schedule.getHandle(scheduleId).describe();
    expect(description.spec.timezone).toBe('Asia/Shanghai');
    expect(description.spec.calendars).toHaveLength(1);
    const [calendar] = description.spec.calendars!;
    expect(calendar).toMatchObject({
      month: [{ start: 'JANUARY', end: 'JANUARY' }],
      dayOfMonth: [{ start: 1, end: 1 }],
      hour: [{ start: 0, end: 0 }],
      minute: [{ start: 5, end: 5 }],
    });
    expect(description.action.type).toBe('startWorkflow');
    expect(description.action).toMatchObject({ workflowType: 'yearStarter', taskQueue: stack.config.temporal.taskQueue });
    expect(description.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(description.policies.catchupWindow).toBe(30 * DAY_MS);

    // The next firing is the coming 1 January 00:05 +08:00 (31 December 16:05 UTC).
    const now = new Date();
    const thisYear = localInstant(localYear(now, 'Asia/Shanghai'), '01-01', '00:05', 'Asia/Shanghai');
    const next = thisYear > now ? thisYear : localInstant(localYear(now, 'Asia/Shanghai') + 1, '01-01', '00:05', 'Asia/Shanghai');
    expect(next.toISOString()).toMatch(/-12-31T16:05:00\.000Z$/);
    expect(description.info.nextActionTimes[0]).toEqual(next);
  });

  it('follows a changed plan: updated in place, the description shows the change, and then unchanged again', async () => {
    const handle = client.schedule.getHandle(scheduleId);
    const changed: Plan = {
      ...plan,
      jurisdiction: { ...plan.jurisdiction, timeZone: 'Asia/Urumqi' },
      calendar: { ...plan.calendar, annualCycle: { startTime: '06:30', catchupWindowDays: 10 } },
    };
    const result = await applyScheduleDetailed(client, stack.config, changed);
    expect(result).toEqual({ outcome: 'updated', changed: ['spec', 'action.args', 'policies.catchupWindowMs'] });
    const description = await handle.describe();
    expect(description.spec.timezone).toBe('Asia/Urumqi');
    expect(description.spec.calendars![0]).toMatchObject({
      month: [{ start: 'JANUARY', end: 'JANUARY' }],
      dayOfMonth: [{ start: 1, end: 1 }],
      hour: [{ start: 6, end: 6 }],
      minute: [{ start: 30, end: 30 }],
    });
    expect(description.policies.catchupWindow).toBe(10 * DAY_MS);
    expect(description.action.args).toEqual([{ jurisdiction, timeZone: 'Asia/Urumqi' }]);
    const now = new Date();
    const thisYear = localInstant(localYear(now, 'Asia/Urumqi'), '01-01', '06:30', 'Asia/Urumqi');
    expect(description.info.nextActionTimes[0]).toEqual(
      thisYear > now ? thisYear : localInstant(localYear(now, 'Asia/Urumqi') + 1, '01-01', '06:30', 'Asia/Urumqi'),
    );

    // The same changed plan again: nothing to do, nothing written.
    expect(await applySchedule(client, stack.config, changed)).toBe('unchanged');
    expect((await handle.describe()).info.lastUpdatedAt).toEqual(description.info.lastUpdatedAt);
    // Back to the sample plan: only the fields that differ are reported, and the description is the original again.
    expect(await applyScheduleDetailed(client, stack.config, plan)).toEqual({
      outcome: 'updated',
      changed: ['spec', 'action.args', 'policies.catchupWindowMs'],
    });
    expect((await handle.describe()).spec.timezone).toBe('Asia/Shanghai');
    expect(
      await applySchedule(client, stack.config, {
        ...plan,
        calendar: { ...plan.calendar, annualCycle: { ...plan.calendar.annualCycle, startTime: '00:06' } },
      }),
    ).toBe('updated');
    expect((await handle.describe()).spec.calendars![0].minute).toEqual([{ start: 6, end: 6, step: 1 }]);
    expect(await applySchedule(client, stack.config, plan)).toBe('updated');
    expect(await applySchedule(client, stack.config, plan)).toBe('unchanged');
  });

  it("starts this year's cycle when triggered, and only once however often it is triggered", async () => {
    const handle = client.schedule.getHandle(scheduleId);
    const year = localYear(new Date(), 'Asia/Shanghai');
    const cycleId = annualCycleId(jurisdiction, year);
    expect(cycleId).toBe(`annual:${jurisdiction}:${year}`);
    const cycle = `WorkflowId = "${cycleId}"`;
    const starters = 'WorkflowType = "yearStarter"';

    await handle.trigger();
    expect(
      await eventually(
        () => countWorkflows(client, `${starters} AND ExecutionStatus = "Completed"`),
        (n) => n === 1,
        { timeoutMs: 60_000 },
      ),
    ).toBe(1);
    expect(
      await eventually(
        () => countWorkflows(client, cycle),
        (n) => n === 1,
      ),
    ).toBe(1);
    const started = await client.workflow.getHandle(cycleId).describe();
    expect(started.status.name).toBe('RUNNING');
    expect(started.type).toBe('annualCycle');
    // Started by the schedule's yearStarter run, as its (abandoned) child.
    expect(started.parentExecution?.workflowId).toMatch(/^year-starter:349901/);

    await handle.trigger();
    expect(
      await eventually(
        () => countWorkflows(client, `${starters} AND ExecutionStatus = "Completed"`),
        (n) => n === 2,
        { timeoutMs: 60_000 },
      ),
    ).toBe(2);
    expect(await countWorkflows(client, cycle)).toBe(1);
    expect((await client.workflow.getHandle(cycleId).describe()).runId).toBe(started.runId);
    expect((await handle.describe()).info.recentActions).toHaveLength(2);
  });

  it('starts a cycle by hand once: a second start finds it running', async () => {
    const next = localYear(new Date(), 'Asia/Shanghai') + 1;
    const first = await startCycle(client, stack.config, plan, next);
    const second = await startCycle(client, stack.config, plan, next);
    expect(first).toEqual({ workflowId: `annual:${jurisdiction}:${next}`, existed: false });
    expect(second).toEqual({ workflowId: `annual:${jurisdiction}:${next}`, existed: true });
    expect(
      await eventually(
        () => countWorkflows(client, `WorkflowId = "${first.workflowId}"`),
        (n) => n === 1,
      ),
    ).toBe(1);
  });
});

describe('the weekly Schedule (dev server)', () => {
  const jurisdiction = '349901';
  const scheduleId = `weekly-report:${jurisdiction}`;
  const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
  /** The weekly mails in the stack's outbox (.eml files), as text. */
  const weeklyMails = () =>
    readdirSync(stack.config.mail.outboxDir)
      .filter((name) => name.endsWith('.eml'))
      .map((name) => readFileSync(path.join(stack.config.mail.outboxDir, name), 'utf8'))
      .filter((text) => /^X-Jianguan-Kind: weekly-report\r?$/m.test(text));

  it("fires on the plan's weekday and time in its zone and runs weeklyReportStarter, never two at once", async () => {
    expect(weeklyScheduleId(plan.jurisdiction.code)).toBe(scheduleId);
    expect(await applyWeeklySchedule(client, stack.config, plan)).toEqual({ outcome: 'created' });
    expect(await applyWeeklySchedule(client, stack.config, plan)).toEqual({ outcome: 'unchanged' });
    const description = await client.schedule.getHandle(scheduleId).describe();
    expect(description.spec.timezone).toBe('Asia/Shanghai');
    const weekday = WEEKDAYS[WEEKDAY_TODAY - 1];
    expect(description.spec.calendars![0]).toMatchObject({
      dayOfWeek: [{ start: weekday, end: weekday }],
      hour: [{ start: 0, end: 0 }],
      minute: [{ start: 0, end: 0 }],
    });
    expect(description.action).toMatchObject({ workflowType: 'weeklyReportStarter', taskQueue: stack.config.temporal.taskQueue });
    expect(description.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(description.policies.catchupWindow).toBe(plan.weeklyReport.catchupWindowHours * 3_600_000);
    // Today's 00:00 has passed: the next firing is the same weekday a week on.
    const nextWeek = DateTime.now().setZone('Asia/Shanghai').startOf('day').plus({ weeks: 1 });
    expect(description.info.nextActionTimes[0]).toEqual(nextWeek.toJSDate());
  });

  it("makes the week's report when triggered, mailed once, however often it is triggered", async () => {
    const handle = client.schedule.getHandle(scheduleId);
    const reportId = weeklyReportWorkflowId(jurisdiction, isoWeekOf(new Date(), 'Asia/Shanghai'));
    const starters = 'WorkflowType = "weeklyReportStarter" AND ExecutionStatus = "Completed"';
    for (const times of [1, 2]) {
      await handle.trigger();
      expect(
        await eventually(
          () => countWorkflows(client, starters),
          (n) => n === times,
          { timeoutMs: 60_000 },
        ),
      ).toBe(times);
      const report = await eventually(
        () =>
          client.workflow
            .getHandle(reportId)
            .describe()
            .catch(() => undefined),
        (d) => d?.status.name === 'COMPLETED',
        { timeoutMs: 60_000 },
      );
      expect(report?.type).toBe('weeklyReport');
      expect(await countWorkflows(client, `WorkflowId = "${reportId}"`)).toBe(1);
      // One mail for the week, with the tables as XLSX and CSV, whatever the number of firings.
      const mails = weeklyMails();
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatch(/\.xlsx/);
      expect(mails[0]).toMatch(/\.csv/);
    }
  });
});
