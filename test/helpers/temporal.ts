// Temporal test servers for the suite: the time-skipping test server for workflow tests, with the real
// executable provisioned by test/global-setup.ts (the SDK's own download is not reachable from here).
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, makeTelemetryFilterString, Runtime, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { bundleWorkflows, startTimeSkippingServer } from '../../workers/time-skipping';

export { bundleWorkflows };

// Tests read assertions, not worker chatter: only warnings and errors from the SDK (once per test process).
try {
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    // The test server does not advertise every capability of a real one; core's warnings about that are noise here.
    telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
  });
} catch {
  // Already installed in this process.
}

function testServerPath(): string {
  const path = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (!path) throw new Error('TEMPORAL_TEST_SERVER_PATH is not set: run the tests through vitest (test/global-setup.ts provisions it)');
  return path;
}

/** Starts the time-skipping test server with jianguan's search attributes registered (workers/time-skipping.ts). */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return startTimeSkippingServer(testServerPath());
}

let bundled: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The project's workflow bundle, built once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundled ??= bundleWorkflows();
  return bundled;
}

/**
 * The time-skipping test server, after many executions in one run, now and then answers a fresh Update with "update …
 * not found". The client's own start-Update call is retried here with the same update id (the server dedupes it), so a
 * recording or a test of many workflows (a batch of clues) does not die of it.
 */
export function retryUpdatesTheTestServerLoses(workflowClient: object): void {
  const proto = Object.getPrototypeOf(Object.getPrototypeOf(workflowClient)) as {
    _startUpdateHandler: (...args: unknown[]) => Promise<unknown>;
  };
  const original = proto._startUpdateHandler;
  proto._startUpdateHandler = async function (this: unknown, ...args: unknown[]) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await original.apply(this, args);
      } catch (error) {
        if (attempt >= 5 || !(error instanceof WorkflowNotFoundError) || !/update .* not found/.test(error.message)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  };
}
