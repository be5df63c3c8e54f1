// Ledger work done by the running worker on the CLI's behalf (workflows/ledger-requests.ts): without DATABASE_URL the
// ledger is the worker's embedded PGlite, which no second process may open (cli/ledger.ts). The CLI starts a short
// workflow whose activity does the work, and waits a bounded time for it.
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, type Client } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import type { RuntimeConfig } from '../config';
import { UsageError, withClient } from './context';

/** How long the CLI waits for a worker to do a request by default: a worker that runs answers in seconds. */
const REQUEST_TIMEOUT = '1 minute';

/** No worker answered a request in time: `npm start` (or `npm run worker`) is not running on the task queue. */
export class NoWorkerError extends UsageError {}

/**
 * Runs `workflow` under `workflowId` on the configured task queue and returns its result. A request already running
 * under the same id is awaited instead of started twice. Its failure is the user's message; no answer within the
 * timeout means no worker is running.
 */
export async function runThroughWorker<A extends unknown[], R>(config: RuntimeConfig, workflow: (...args: A) => Promise<R>, workflowId: string, args: A, what: string, timeout: string = REQUEST_TIMEOUT): Promise<R> {
  return withClient(config, async (client: Client) => {
    let handle;
    try {
      handle = await client.workflow.start(workflow as Workflow, { workflowId, taskQueue: config.temporal.taskQueue, args, workflowExecutionTimeout: timeout, staticSummary: what });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      handle = client.workflow.getHandle(workflowId);
    }
    try {
      return (await handle.result()) as R;
    } catch (error) {
      if (error instanceof WorkflowFailedError) {
        const cause = error.cause;
        if (cause?.name === 'TimeoutFailure' || /timed out/i.test(cause?.message ?? '')) {
          throw new NoWorkerError(`${what}: no worker answered within ${timeout}; is \`npm start\` (or \`npm run worker\`) running on task queue ${config.temporal.taskQueue}?`);
        }
        // The activity's own message (e.g. a conflicting reference), without the wrapping.
        let inner: Error | undefined = cause;
        while (inner && 'cause' in inner && inner.cause instanceof Error) inner = inner.cause;
        throw new UsageError(`${what}: ${inner?.message ?? error.message}`);
      }
      throw error;
    }
  });
}
