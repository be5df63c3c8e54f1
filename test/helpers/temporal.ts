// Temporal test servers for the suite: the time-skipping test server for workflow tests, with the real
// executable provisioned by test/global-setup.ts (the SDK's own download is not reachable from here).
import path from 'node:path';
import { WorkflowNotFoundError } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { addSearchAttributes } from '../../workers/setup';
import { WORKFLOW_BUNDLER_OPTIONS } from '../../workers/worker';
import { FAILURE_CONVERTER_PATH } from '../../codec/data-converter';
import {
  bundleWorkflowCode,
  DefaultLogger,
  makeTelemetryFilterString,
  Runtime,
  type BundleOptions,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';

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

/**
 * Starts the time-skipping test server with jianguan's search attributes registered. The SDK gives the server 5 s
 * to come up; on a loaded 2-core machine, try twice.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const start = () =>
    TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServerPath() } } });
  const env = await start().catch(start);
  await addSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

let bundled: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The project's workflow bundle, built once per test file. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundled ??= bundleWorkflows();
  return bundled;
}

/** The project's workflows bundled as the worker does, with `extra` options (e.g. a `webpackConfigHook`); not cached. */
export function bundleWorkflows(extra: Partial<BundleOptions> = {}): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: path.resolve(__dirname, '../../workflows/index.ts'),
    ...WORKFLOW_BUNDLER_OPTIONS,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: quietLogger,
    ...extra,
  });
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

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
