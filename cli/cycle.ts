// `jianguan cycle start` and `jianguan schedules apply`: the supervision year by hand, and the Temporal Schedule that
// starts it every 1 January (in the plan's time zone). Both are idempotent: ids are business keys, and applying the
// schedule again updates it in place.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, WorkflowExecutionAlreadyStartedError, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Plan, RuntimeConfig } from '../config';
import { annualCycle, annualCycleId, yearStarter } from '../workflows/annual-cycle';
import { CAMPAIGN_KIND, JURISDICTION } from '../workflows/search-attributes';
import { plan as loadPlanFile, settings, withClient } from './context';

export const annualScheduleId = (jurisdiction: string) => `annual-cycle:${jurisdiction}`;

/** Starts the cycle of `year`; returns whether it was already running. */
export async function startCycle(client: Client, config: RuntimeConfig, plan: Plan, year: number): Promise<{ workflowId: string; existed: boolean }> {
  const workflowId = annualCycleId(plan.jurisdiction.code, year);
  try {
    await client.workflow.start(annualCycle, {
      workflowId,
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

function scheduleOptions(config: RuntimeConfig, plan: Plan): ScheduleOptions {
  const [month, day] = plan.calendar.coverage.start.split('-').map(Number);
  return {
    scheduleId: annualScheduleId(plan.jurisdiction.code),
    spec: { calendars: [{ month: MONTHS[month - 1], dayOfMonth: day, hour: 0, minute: 5 }], timezone: plan.jurisdiction.timeZone },
    action: {
      type: 'startWorkflow',
      workflowType: yearStarter,
      workflowId: `year-starter:${plan.jurisdiction.code}`,
      taskQueue: config.temporal.taskQueue,
      args: [{ jurisdiction: plan.jurisdiction.code, timeZone: plan.jurisdiction.timeZone }],
      staticSummary: `${plan.jurisdiction.name} 启动年度监管周期`,
      typedSearchAttributes: [
        { key: JURISDICTION, value: plan.jurisdiction.code },
        { key: CAMPAIGN_KIND, value: 'year-starter' },
      ],
    },
    // A missed start (server down over New Year) is caught up within a month; never two at once.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '30 days' },
    memo: { plan: `${plan.jurisdiction.code} ${plan.jurisdiction.name}` },
  };
}

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;

/** Creates the yearly Schedule, or updates it to the plan's current settings. Returns 'created' or 'updated'. */
export async function applySchedule(client: Client, config: RuntimeConfig, plan: Plan): Promise<'created' | 'updated'> {
  const options = scheduleOptions(config, plan);
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  await client.schedule.getHandle(options.scheduleId).update((previous) => ({ ...previous, spec: options.spec, action: options.action, policies: options.policies }));
  return 'updated';
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
  const outcome = await withClient(config, (client) => applySchedule(client, config, plan));
  console.log(`schedule ${annualScheduleId(plan.jurisdiction.code)}: ${outcome} (every ${plan.calendar.coverage.start} 00:05 ${plan.jurisdiction.timeZone})`);
}
