// The time-skipping test server as a production piece: `jianguan campaign rehearse` and `plan rehearse` run a campaign
// or a year on it, and the workflow tests run on it too (test/helpers/temporal.ts, workflow-harness.ts). What both
// need: the server with jianguan's search attributes, the workflow bundle, a mailer that records each notice with the
// server's (virtual) time, and the wait until a workflow is at rest before time may skip.
import path from 'node:path';
import { Context } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type BundleOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Mailer } from '../activities/mailer';
import { FAILURE_CONVERTER_PATH } from '../codec/data-converter';
import { addSearchAttributes } from './setup';
import { WORKFLOW_BUNDLER_OPTIONS } from './worker';

/**
 * Starts the time-skipping test server (the native executable at `executable`) with jianguan's search attributes
 * registered. The SDK gives the server 5 s to come up; on a loaded 2-core machine, try twice.
 */
export async function startTimeSkippingServer(executable: string): Promise<TestWorkflowEnvironment> {
  const start = () => TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: executable } } });
  const env = await start().catch(start);
  await addSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

/** A bundler's logger that keeps only its warnings and errors. */
export const QUIET_BUNDLER_LOGGER = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

/** The project's workflows bundled as the worker does, with `extra` options (e.g. a `webpackConfigHook`). */
export function bundleWorkflows(extra: Partial<BundleOptions> = {}): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: path.resolve(__dirname, '../workflows/index.ts'),
    ...WORKFLOW_BUNDLER_OPTIONS,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: QUIET_BUNDLER_LOGGER,
    ...extra,
  });
}

export interface SentNotification {
  key: string;
  kind: string;
  to: string[];
  subject: string;
  text: string;
  /** The attachments' file names and contents. */
  attachments: Array<{ filename: string; content: Uint8Array }>;
  /** Virtual time at which the delivering attempt was scheduled. */
  at: Date;
  /** The workflow whose activity delivered it (empty for a standalone activity). */
  workflowId: string;
}

/**
 * The server time of the current activity attempt. The server stamps an activity's attempt when it schedules it; a
 * local activity never reaches the server, and the worker stamps it from its own clock, which time skipping leaves
 * behind (a notice "sent" in 2027 would read as today). While the local activity runs, the workflow task that started
 * it is still open, which keeps the test server from skipping: its clock then reads the workflow's time.
 */
async function serverTimeOfAttempt(env: TestWorkflowEnvironment): Promise<Date> {
  const { info } = Context.current();
  return new Date(info.isLocal ? await env.currentTimeMs() : info.currentAttemptScheduledTimestampMs);
}

/** `inner`, recording each delivered notice (every activity that notifies goes through the mailer) with its virtual time. */
export function recordingMailer(inner: Mailer, env: TestWorkflowEnvironment, onSent: (sent: SentNotification) => void): Mailer {
  return {
    channel: inner.channel,
    close: () => inner.close(),
    async deliver(msg, opts) {
      const result = await inner.deliver(msg, opts);
      onSent({
        key: msg.key,
        kind: msg.kind ?? '',
        to: msg.to.map((r) => r.email),
        subject: msg.subject,
        text: msg.text,
        attachments: (msg.attachments ?? []).map(({ filename, content }) => ({ filename, content })),
        at: await serverTimeOfAttempt(env),
        workflowId: Context.current().info.workflowExecution?.workflowId ?? '',
      });
      return result;
    },
  };
}

/** A mailer that delivers nowhere: a rehearsal's notices are only recorded, never sent nor written to the outbox. */
export const NOWHERE_MAILER: Mailer = {
  channel: 'outbox',
  close: () => undefined,
  deliver: async (msg) => ({ messageId: `<${msg.key}@rehearsal.invalid>` }),
};

/**
 * Waits until a workflow is at rest: no activity and no workflow task of it in flight (or it has ended). The
 * time-skipping server fires the next timer as soon as time may skip, even while a workflow task is in progress; when
 * that task cancels the very timer (an Update's wait that just resolved), the server refuses the completion and the
 * run gets no further task (temporalio/sdk-java#2606, #3088): the caller then hangs. So time is let skip only at rest.
 */
export async function untilAtRest(handle: WorkflowHandle): Promise<void> {
  for (let i = 0; ; i++) {
    const { raw, status } = await handle.describe();
    if (status.name !== 'RUNNING' || (!raw.pendingActivities?.length && !raw.pendingWorkflowTask)) return;
    if (i === 100) throw new Error(`${handle.workflowId} did not come to rest in 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const { EventType } = temporal.api.enums.v1;

/**
 * Waits until a workflow has settled, by its history: no activity pending and its last workflow task completed (none
 * scheduled or running after it). The rehearsal needs this stricter form of untilAtRest: the time-skipping server
 * does not always report a workflow task just scheduled (a workflow just started, or just sent an Update) in its
 * description, and the rehearsal must not let time move before that task has run. Between looks it waits
 * `pause(ms)`: by default that long (20 ms doubling to 1 s); the rehearsal also wakes it when its worker falls idle.
 */
export async function untilSettled(handle: WorkflowHandle, pause: (ms: number) => Promise<void> = sleep): Promise<void> {
  const giveUpAt = Date.now() + SETTLE_LIMIT_MS;
  for (let wait = 20; ; wait = Math.min(1_000, wait * 2)) {
    const { raw, status } = await handle.describe();
    if (status.name !== 'RUNNING') return;
    // A task the description reports is proof enough that the workflow is not at rest; the history is read otherwise.
    if (!raw.pendingActivities?.length && !raw.pendingWorkflowTask) {
      const types = ((await handle.fetchHistory()).events ?? []).map((e) => e.eventType);
      const last = (type: temporal.api.enums.v1.EventType) => types.lastIndexOf(type);
      if (last(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) > last(EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED)) return;
    }
    if (Date.now() > giveUpAt) throw new Error(`${handle.workflowId} did not settle in ${SETTLE_LIMIT_MS / 60_000} minutes`);
    // A burst of thousands of fresh workflows takes the worker a while; polling them all fast would only slow it.
    await pause(wait);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const SETTLE_LIMIT_MS = 10 * 60_000;

/** Runs `fn` over `items` with at most `concurrency` calls at a time; the results in the items' order. */
export async function mapLimit<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    }),
  );
  return results;
}

/** A workflow's history length in events, as the server counts it against its limits. */
export async function historyLength(handle: WorkflowHandle): Promise<number> {
  const { raw } = await handle.describe();
  return Number(raw.workflowExecutionInfo?.historyLength ?? 0);
}
