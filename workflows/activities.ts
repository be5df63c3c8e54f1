// The workflows' view of the activities, with one retry policy for all: activities are idempotent, so retrying
// (after a crash, an outage of the database or the mail server) is always safe.
import { proxyActivities, proxyLocalActivities, type ActivityFunctionWithOptions, type ActivityOptions, type LocalActivityFunctionWithOptions, type LocalActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../activities';

const RETRY = { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' } as const;
const OPTIONS: ActivityOptions = { startToCloseTimeout: '1 minute', retry: RETRY };
/**
 * Activities that work through a page of a large campaign (starting its inspections): long, but heartbeating every
 * few seconds (activities/page.ts), so a worker that dies is noticed within the heartbeat timeout and the retry, a few
 * seconds later, resumes from the last heartbeat.
 */
const PAGE_OPTIONS: ActivityOptions = { startToCloseTimeout: '1 hour', heartbeatTimeout: '15 seconds', retry: RETRY };
/** Short ledger steps the workflow runs inside its own task (no round trip to the server per step). */
const LOCAL_OPTIONS: LocalActivityOptions = { startToCloseTimeout: '1 minute', retry: RETRY };

const activities = proxyActivities<Activities>(OPTIONS);
const localActivities = proxyLocalActivities<Activities>(LOCAL_OPTIONS);

type Name = keyof Activities;
type Result<K extends Name> = Promise<Awaited<ReturnType<Activities[K]>>>;

/** Runs an activity with a one-line summary that the Web UI shows on the event (DESIGN §6). */
export function runActivity<K extends Name>(name: K, summary: string, ...args: Parameters<Activities[K]>): Result<K> {
  const activity = activities[name] as ActivityFunctionWithOptions<Activities[K]>;
  return activity.executeWithOptions({ ...OPTIONS, summary }, args);
}

/** Runs a heartbeating activity over one page of a large campaign. */
export function runPageActivity<K extends Name>(name: K, summary: string, ...args: Parameters<Activities[K]>): Result<K> {
  const activity = activities[name] as ActivityFunctionWithOptions<Activities[K]>;
  return activity.executeWithOptions({ ...PAGE_OPTIONS, summary }, args);
}

/** Runs a short activity as a local activity, recorded as a marker in the workflow's history. */
export function runLocalActivity<K extends Name>(name: K, summary: string, ...args: Parameters<Activities[K]>): Result<K> {
  const activity = localActivities[name] as LocalActivityFunctionWithOptions<Activities[K]>;
  return activity.executeWithOptions({ ...LOCAL_OPTIONS, summary }, args);
}
