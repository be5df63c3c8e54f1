// A worker on the time-skipping server with the real activities: an in-memory PGlite store and an outbox mailer in a
// temporary folder. It records, for each delivered notification, the server (virtual) time the attempt was
// scheduled at, so tests can check reminders against the calendar.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities, type Activities } from '../../activities';
import { createMailer, type Mailer } from '../../activities/mailer';
import { DEFAULT_PLAN_FILE } from '../../config';
import { openStore, type SqlStore, type StoreOptions } from '../../records';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { createTimeSkippingEnv, workflowBundle } from './temporal';

export interface SentNotification {
  key: string;
  kind: string;
  to: string[];
  subject: string;
  text: string;
  /** Virtual time at which the delivering attempt was scheduled. */
  at: Date;
}

export interface Harness {
  store: SqlStore;
  sent: SentNotification[];
  taskQueue: string;
  /** Runs `fn` while a worker polls the harness's task queue. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

let queueCounter = 0;

export interface HarnessOptions {
  planFile?: string;
  /** Replaces some of the real activities (e.g. one that stalls, to catch a workflow mid-activity). */
  activities?: (real: Activities) => Partial<Activities>;
  /** Where the ledger lives (default: an in-memory PGlite); e.g. a PostgreSQL schema that the CLI can read too. */
  storeOptions?: StoreOptions;
}

export async function createHarness(env: TestWorkflowEnvironment, options: HarnessOptions = {}): Promise<Harness> {
  const store = await openStore(options.storeOptions ?? {});
  const outboxDir = mkdtempSync(path.join(tmpdir(), 'jianguan-outbox-'));
  const outbox = createMailer({ outboxDir, from: '测试 <test@example.org>' });
  const sent: SentNotification[] = [];
  // Records each delivery (every activity that notifies goes through the mailer) with the virtual time of its attempt.
  const mailer: Mailer = {
    channel: outbox.channel,
    close: () => outbox.close(),
    async deliver(msg, opts) {
      const result = await outbox.deliver(msg, opts);
      const at = new Date(Context.current().info.currentAttemptScheduledTimestampMs);
      sent.push({ key: msg.key, kind: msg.kind ?? '', to: msg.to.map((r) => r.email), subject: msg.subject, text: msg.text, at });
      return result;
    },
  };
  const real = createActivities({ store, mailer, planFile: options.planFile ?? DEFAULT_PLAN_FILE });
  const activities = { ...real, ...options.activities?.(real) };
  const taskQueue = `test-${process.pid}-${++queueCounter}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities });
  return {
    store,
    sent,
    taskQueue,
    run: (fn) => worker.runUntil(fn),
    async close() {
      outbox.close();
      await store.close();
      rmSync(outboxDir, { recursive: true, force: true });
    },
  };
}

/**
 * The usual set-up of a workflow test file: one time-skipping server for the file, and a fresh harness (ledger, outbox,
 * worker on its own task queue) for each test. Values are filled in by the hooks; read them inside tests.
 */
export function useWorkflowTestEnv(): { env: TestWorkflowEnvironment; harness: Harness } {
  const fixture = {} as { env: TestWorkflowEnvironment; harness: Harness };
  beforeAll(async () => {
    fixture.env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await fixture.env?.teardown();
  });
  beforeEach(async () => {
    fixture.harness = await createHarness(fixture.env);
  });
  afterEach(async () => {
    await fixture.harness?.close();
  });
  return fixture;
}

export interface RejectionOptions {
  /** The ApplicationFailure type(s) the validator may refuse with, e.g. 'InvalidPayload', 'InvalidStage'. */
  type?: string | readonly string[];
}

/**
 * The message of an Update that failed with an ApplicationFailure (a validator's refusal: `reject` in the workflows);
 * fails the test when the Update was accepted, or failed for another cause (an activity failing in the handler), or
 * with another failure type than `type`. To be sure it was the validator, use validatorRejection.
 */
export async function updateRejection(promise: Promise<unknown>, options: RejectionOptions = {}): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause;
  expect(cause, `expected the Update to be refused with an ApplicationFailure, got ${String(cause)}`).toBeInstanceOf(ApplicationFailure);
  if (options.type !== undefined) expect([options.type].flat(), `failure type of: ${cause?.message}`).toContain((cause as ApplicationFailure).type);
  return String(cause?.message);
}

let rejectionCounter = 0;

/**
 * Sends an Update that the workflow's VALIDATOR must refuse, and returns the refusal's message. Tells a validator's
 * refusal from a handler's failure by the history: a refused Update leaves no trace there, an accepted one (even one
 * that then failed) is recorded as accepted. With `unchanged`, also checks that what it returns (status, ledger rows,
 * audit trail, notifications) is the same after the refusal as before.
 */
export async function validatorRejection<Ret, Args extends [unknown, ...unknown[]]>(
  handle: WorkflowHandle,
  update: UpdateDefinition<Ret, Args>,
  args: Args,
  options: RejectionOptions & { unchanged?: () => Promise<unknown> } = {},
): Promise<string> {
  const before = await options.unchanged?.();
  const updateId = `rejection-${process.pid}-${++rejectionCounter}`;
  const message = await updateRejection(handle.executeUpdate(update, { args, updateId }), options);
  const history = await handle.fetchHistory();
  const accepted = (history.events ?? []).some((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId === updateId);
  expect(accepted, `the Update was accepted and failed in its handler (${message}), not refused by the validator`).toBe(false);
  if (options.unchanged) expect(await options.unchanged(), `changed by the refused Update (${message})`).toEqual(before);
  return message;
}
