// The workflows' view of the activities, with one retry policy for all: activities are idempotent, so retrying
// (after a crash, an outage of the database or the mail server) is always safe.
import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  workflowInfo,
  type ActivityFunctionWithOptions,
  type ActivityOptions,
  type LocalActivityFunctionWithOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { PERMANENT_DATA_ERROR } from './failure-types';

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
  return endingVisibly(summary, activity.executeWithOptions({ ...OPTIONS, summary }, args));
}

/** Runs a heartbeating activity over one page of a large campaign. */
export function runPageActivity<K extends Name>(name: K, summary: string, ...args: Parameters<Activities[K]>): Result<K> {
  const activity = activities[name] as ActivityFunctionWithOptions<Activities[K]>;
  return endingVisibly(summary, activity.executeWithOptions({ ...PAGE_OPTIONS, summary }, args));
}

/** Runs a short activity as a local activity, recorded as a marker in the workflow's history. */
export function runLocalActivity<K extends Name>(name: K, summary: string, ...args: Parameters<Activities[K]>): Result<K> {
  const activity = localActivities[name] as LocalActivityFunctionWithOptions<Activities[K]>;
  return endingVisibly(summary, activity.executeWithOptions({ ...LOCAL_OPTIONS, summary }, args));
}

/** The refusal of a step that failed for good on its data (activities/failures.ts), if that is how it failed. */
function permanentRefusal(error: unknown): string | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  return cause instanceof ApplicationFailure && cause.type === PERMANENT_DATA_ERROR ? cause.message : undefined;
}

/**
 * A step whose data no retry can mend ends visibly: the workflow's details say what failed and why, leadership is told
 * and the audit trail records it; then the failure goes on up, so the workflow ends as Failed with that reason
 * instead of showing "running" for ever. Other failures go on up untouched.
 */
async function endingVisibly<T>(step: string, result: Promise<T>): Promise<T> {
  try {
    return await result;
  } catch (error) {
    const reason = permanentRefusal(error);
    if (reason !== undefined) await reportStepFailure(step, reason);
    throw error;
  }
}

async function reportStepFailure(step: string, reason: string): Promise<void> {
  const { workflowId, workflowType } = workflowInfo();
  setCurrentDetails(`步骤失败，需人工处理：${step}\n原因：${reason}`);
  try {
    await activities.reportStepFailure.executeWithOptions({ ...OPTIONS, summary: `报告步骤失败：${step}` }, [
      { workflowId, workflowType, step, reason },
    ]);
  } catch {
    // The report is best effort (the ledger that refused the step may refuse it too); the step's own failure stands.
  }
}
