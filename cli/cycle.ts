// `jianguan cycle start` and `jianguan schedules apply`: the supervision year by hand, and the Temporal Schedules that
// start it every 1 January at `calendar.annualCycle.startTime` (in the plan's time zone), catching up a missed start
// within `calendar.annualCycle.catchupWindowDays`, and make the weekly tables on `calendar.weeklyReportWeekday` at
// `weeklyReport.time`. Both are idempotent: ids are business keys, and applying the
// schedule again compares it with the server's and updates it in place only when the plan changed.
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  WorkflowExecutionAlreadyStartedError,
  type Client,
  type ScheduleDescription,
  type ScheduleOptions,
  type ScheduleSpecDescription,
} from '@temporalio/client';
import { decodeScheduleSpec, encodeScheduleSpec } from '@temporalio/client/lib/schedule-helpers';
import { TypedSearchAttributes, type SearchAttributePair } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import type { Plan, RuntimeConfig } from '../config';
import {
  annualCycleId,
  annualScheduleId,
  weeklyReportStarterWorkflowId,
  weeklyScheduleId,
  yearStarterWorkflowId,
} from '../domain/business-keys';
import { ANNUAL_CYCLE_WORKFLOW_TYPE, YEAR_STARTER_WORKFLOW_TYPE, type AnnualCycleWorkflow } from '../workflows/annual-cycle/api';
import { WEEKLY_REPORT_STARTER_WORKFLOW_TYPE } from '../workflows/weekly-report/api';
import { ONE_RUN_PER_KEY } from '../workflows/business-key';
import { searchAttributes } from '../workflows/search-attributes';
import { plan as loadPlanFile, settings, withClient } from './context';

/** Starts the cycle of `year`; returns whether it was already running. */
export async function startCycle(
  client: Client,
  config: RuntimeConfig,
  plan: Plan,
  year: number,
): Promise<{ workflowId: string; existed: boolean }> {
  const workflowId = annualCycleId(plan.jurisdiction.code, year);
  try {
    await client.workflow.start<AnnualCycleWorkflow>(ANNUAL_CYCLE_WORKFLOW_TYPE, {
      workflowId,
      ...ONE_RUN_PER_KEY,
      taskQueue: config.temporal.taskQueue,
      args: [{ jurisdiction: plan.jurisdiction.code, year }],
      staticSummary: `${year}年 ${plan.jurisdiction.name} 年度监管周期`,
    });
    return { workflowId, existed: false };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, existed: true };
    throw error;
  }
}

const DAY_MS = 86_400_000;

/**
 * When the yearly Schedule fires: the cycle year starts on 1 January (DESIGN §3), at the plan's
 * `calendar.annualCycle.startTime` in the jurisdiction's zone. The parts wait for their own dates from there (full
 * coverage for `calendar.coverage.start`, which may be later).
 */
export function annualCycleFiring(plan: Plan): { monthDay: '01-01'; time: string; timeZone: string; catchupWindowDays: number } {
  const { startTime, catchupWindowDays } = plan.calendar.annualCycle;
  return { monthDay: '01-01', time: startTime, timeZone: plan.jurisdiction.timeZone, catchupWindowDays };
}

/** "每年 01-01 00:05 Asia/Shanghai, catch-up 30 days", for the CLI's output. */
export function describeFiring(plan: Plan): string {
  const f = annualCycleFiring(plan);
  return `every ${f.monthDay} ${f.time} ${f.timeZone}, catch-up window ${f.catchupWindowDays} days`;
}

export function scheduleOptions(config: RuntimeConfig, plan: Plan): ScheduleOptions {
  const firing = annualCycleFiring(plan);
  const [hour, minute] = firing.time.split(':').map(Number);
  return {
    scheduleId: annualScheduleId(plan.jurisdiction.code),
    spec: { calendars: [{ month: 'JANUARY', dayOfMonth: 1, hour, minute }], timezone: firing.timeZone },
    action: {
      type: 'startWorkflow',
      workflowType: YEAR_STARTER_WORKFLOW_TYPE,
      workflowId: yearStarterWorkflowId(plan.jurisdiction.code),
      taskQueue: config.temporal.taskQueue,
      args: [{ jurisdiction: plan.jurisdiction.code, timeZone: plan.jurisdiction.timeZone }],
      staticSummary: `${plan.jurisdiction.name} 启动年度监管周期`,
      typedSearchAttributes: searchAttributes({ jurisdiction: plan.jurisdiction.code, campaignKind: 'year-starter' }),
    },
    // A missed start (server down over New Year) is caught up within the plan's window; never two at once.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: firing.catchupWindowDays * DAY_MS },
    memo: { plan: `${plan.jurisdiction.code} ${plan.jurisdiction.name}` },
  };
}

const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
const HOUR_MS = 3_600_000;

/** "every WEDNESDAY 09:00 Asia/Shanghai, catch-up window 24 hours", for the CLI's output. */
export function describeWeeklyFiring(plan: Plan): string {
  const { time, catchupWindowHours } = plan.weeklyReport;
  return `every ${WEEKDAYS[plan.calendar.weeklyReportWeekday - 1]} ${time} ${plan.jurisdiction.timeZone}, catch-up window ${catchupWindowHours} hours`;
}

/**
 * The weekly Schedule: on `calendar.weeklyReportWeekday` at `weeklyReport.time` in the plan's zone it runs
 * `weeklyReportStarter`, which starts that week's report under its week's id (one report per week, never two).
 */
export function weeklyScheduleOptions(config: RuntimeConfig, plan: Plan): ScheduleOptions {
  const { time, catchupWindowHours } = plan.weeklyReport;
  const [hour, minute] = time.split(':').map(Number);
  return {
    scheduleId: weeklyScheduleId(plan.jurisdiction.code),
    spec: {
      calendars: [{ dayOfWeek: WEEKDAYS[plan.calendar.weeklyReportWeekday - 1], hour, minute }],
      timezone: plan.jurisdiction.timeZone,
    },
    action: {
      type: 'startWorkflow',
      workflowType: WEEKLY_REPORT_STARTER_WORKFLOW_TYPE,
      workflowId: weeklyReportStarterWorkflowId(plan.jurisdiction.code),
      taskQueue: config.temporal.taskQueue,
      args: [{ jurisdiction: plan.jurisdiction.code, timeZone: plan.jurisdiction.timeZone }],
      staticSummary: `${plan.jurisdiction.name} 周报表`,
      typedSearchAttributes: searchAttributes({ jurisdiction: plan.jurisdiction.code, campaignKind: 'weekly-report-starter' }),
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: catchupWindowHours * HOUR_MS },
    memo: { plan: `${plan.jurisdiction.code} ${plan.jurisdiction.name}` },
  };
}

/** What `schedules apply` sets, in one comparable form: the spec as the server describes it, the action, the policies. */
export interface ScheduleShape {
  spec: ScheduleSpecDescription;
  action: {
    workflowType: string;
    workflowId?: string;
    taskQueue: string;
    args: unknown[];
    staticSummary?: string;
    searchAttributes: Array<[string, unknown]>;
  };
  policies: { overlap: string | undefined; catchupWindowMs: number };
}

type AttributeList = TypedSearchAttributes | SearchAttributePair[] | undefined;
const attributePairs = (attributes: AttributeList): Array<[string, unknown]> =>
  (attributes instanceof TypedSearchAttributes ? attributes.getAll() : (attributes ?? []))
    .map((pair): [string, unknown] => [pair.key.name, pair.value instanceof Date ? pair.value.toISOString() : pair.value])
    .sort(([a], [b]) => a.localeCompare(b));

/** The server leaves an unset comment as "", the client's decoding as undefined: both mean none. */
const normaliseSpec = (spec: ScheduleSpecDescription): ScheduleSpecDescription => {
  const calendars = (list?: ScheduleSpecDescription['calendars']) =>
    list?.map(({ comment, ...rest }) => ({ ...rest, ...(comment && { comment }) }));
  return { ...spec, calendars: calendars(spec.calendars), skip: calendars(spec.skip) };
};

/** The shape `options` would have once the server holds it (the spec encoded and decoded as the client does). */
export function desiredShape(options: ScheduleOptions): ScheduleShape {
  const action = options.action;
  return {
    spec: normaliseSpec(decodeScheduleSpec(encodeScheduleSpec(options.spec))),
    action: {
      workflowType: typeof action.workflowType === 'string' ? action.workflowType : action.workflowType.name,
      workflowId: action.workflowId,
      taskQueue: action.taskQueue,
      args: [...(action.args ?? [])],
      staticSummary: action.staticSummary,
      searchAttributes: attributePairs(action.typedSearchAttributes),
    },
    policies: {
      overlap: options.policies?.overlap ?? ScheduleOverlapPolicy.SKIP,
      catchupWindowMs: msToNumber(options.policies?.catchupWindow ?? '1 year'),
    },
  };
}

/** The shape of a Schedule the server describes. */
export function describedShape(d: ScheduleDescription): ScheduleShape {
  return {
    spec: normaliseSpec(d.spec),
    action: {
      workflowType: d.action.workflowType,
      workflowId: d.action.workflowId,
      taskQueue: d.action.taskQueue,
      args: [...(d.action.args ?? [])],
      staticSummary: d.action.staticSummary,
      searchAttributes: attributePairs(d.action.typedSearchAttributes),
    },
    policies: { overlap: d.policies.overlap, catchupWindowMs: d.policies.catchupWindow },
  };
}

/** Where the two differ, by field ("spec", "action.taskQueue", "policies.catchupWindowMs" …); empty when the same. */
export function shapeDifferences(current: ScheduleShape, desired: ScheduleShape): string[] {
  // JSON drops undefined members, so an absent field and one the server leaves unset compare equal.
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  const fields: string[] = [];
  if (!same(current.spec, desired.spec)) fields.push('spec');
  for (const key of Object.keys(desired.action) as Array<keyof ScheduleShape['action']>)
    if (!same(current.action[key], desired.action[key])) fields.push(`action.${key}`);
  for (const key of Object.keys(desired.policies) as Array<keyof ScheduleShape['policies']>)
    if (!same(current.policies[key], desired.policies[key])) fields.push(`policies.${key}`);
  return fields;
}

export type ScheduleOutcome = { outcome: 'created' } | { outcome: 'unchanged' } | { outcome: 'updated'; changed: string[] };

/**
 * Creates the yearly Schedule, or brings it to the plan's current settings: 'unchanged' when the server already has
 * them (nothing is written), else 'updated' with the fields that differed. The Schedule's state (paused, notes) and
 * memo are left as they are.
 */
export async function applyScheduleDetailed(client: Client, config: RuntimeConfig, plan: Plan): Promise<ScheduleOutcome> {
  return applyScheduleOptions(client, scheduleOptions(config, plan));
}

/** The weekly report's Schedule, applied like the yearly one. */
export async function applyWeeklySchedule(client: Client, config: RuntimeConfig, plan: Plan): Promise<ScheduleOutcome> {
  return applyScheduleOptions(client, weeklyScheduleOptions(config, plan));
}

async function applyScheduleOptions(client: Client, options: ScheduleOptions): Promise<ScheduleOutcome> {
  try {
    await client.schedule.create(options);
    return { outcome: 'created' };
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  const handle = client.schedule.getHandle(options.scheduleId);
  const changed = shapeDifferences(describedShape(await handle.describe()), desiredShape(options));
  if (changed.length === 0) return { outcome: 'unchanged' };
  await handle.update((previous) => ({ ...previous, spec: options.spec, action: options.action, policies: options.policies }));
  return { outcome: 'updated', changed };
}

/** applyScheduleDetailed, as one word: 'created', 'updated' or 'unchanged'. */
export async function applySchedule(client: Client, config: RuntimeConfig, plan: Plan): Promise<ScheduleOutcome['outcome']> {
  return (await applyScheduleDetailed(client, config, plan)).outcome;
}

export async function cycleStartCommand(options: { year: number; plan?: string }): Promise<void> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const { workflowId, existed } = await withClient(config, (client) => startCycle(client, config, plan, options.year));
  console.log(`${workflowId}: ${existed ? 'already running' : 'started'}`);
}

export async function schedulesApplyCommand(options: { plan?: string }): Promise<void> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  const [annual, weekly] = await withClient(config, async (client) => [
    await applyScheduleDetailed(client, config, plan),
    await applyWeeklySchedule(client, config, plan),
  ]);
  const changed = (result: ScheduleOutcome) => (result.outcome === 'updated' ? ` [${result.changed.join(', ')}]` : '');
  console.log(`schedule ${annualScheduleId(plan.jurisdiction.code)}: ${annual.outcome}${changed(annual)} (${describeFiring(plan)})`);
  console.log(`schedule ${weeklyScheduleId(plan.jurisdiction.code)}: ${weekly.outcome}${changed(weekly)} (${describeWeeklyFiring(plan)})`);
}
