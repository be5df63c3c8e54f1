// The workflows' view of the activities, with one retry policy for all: activities are idempotent, so retrying
// (after a crash, an outage of the database or the mail server) is always safe.
import { proxyActivities, type ActivityFunctionWithOptions, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities';

const OPTIONS: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
};

const activities = proxyActivities<Activities>(OPTIONS);

/** Runs an activity with a one-line summary that the Web UI shows on the event (DESIGN §6). */
export function runActivity<K extends keyof Activities>(name: K, summary: string, ...args: Parameters<Activities[K]>): Promise<Awaited<ReturnType<Activities[K]>>> {
  const activity = activities[name] as ActivityFunctionWithOptions<Activities[K]>;
  return activity.executeWithOptions({ ...OPTIONS, summary }, args);
}
