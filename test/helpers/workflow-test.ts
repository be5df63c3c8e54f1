// What workflow test files share on top of the harness (./workflow-harness.ts, which scripts such as
// test/replay/record.ts use outside vitest): the per-file set-up, and telling an Update's refusal by its validator
// from any other failure.
import { Client, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition, type Workflow, type WorkflowResultType } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterEach, beforeEach, expect } from 'vitest';
import { untilAtRest } from '../../workers/time-skipping';
import { createTimeSkippingEnv } from './temporal';
import { createHarness, type Harness } from './workflow-harness';

export { untilAtRest };

/**
 * A fresh time-skipping server for each test, in `fx.env`. Not one per file: its clock and whatever an earlier test
 * left open (workflows on task queues no worker polls any more) would carry over, and under load a late test of a
 * file once found the shared server's time locked for minutes.
 */
export function useServerPerTest(fx: { env: TestWorkflowEnvironment }): void {
  beforeEach(async () => {
    fx.env = await createTimeSkippingEnv();
  });
  afterEach(async () => {
    await fx.env?.teardown();
  });
}

/**
 * The usual set-up of a workflow test file: a fresh time-skipping server (useServerPerTest) and harness (ledger,
 * outbox, worker on its own task queue) for each test. Values are filled in by the hooks; read them inside tests.
 */
export function useWorkflowTestEnv(): { env: TestWorkflowEnvironment; harness: Harness } {
  const fixture = {} as { env: TestWorkflowEnvironment; harness: Harness };
  useServerPerTest(fixture);
  beforeEach(async () => {
    fixture.harness = await createHarness(fixture.env);
  });
  afterEach(async () => {
    await fixture.harness?.close();
  });
  return fixture;
}

/**
 * The result of a workflow that ends without time passing, awaited WITHOUT letting the server skip time: the
 * time-skipping client's result() does, and in the moment between the workflow ending and the client locking time again
 * the server may run other workflows' timers (a case's reminder, a points workflow's year end) that the test then
 * meets in a state it did not expect.
 */
export async function resultInPlace<W extends Workflow>(
  env: TestWorkflowEnvironment,
  handle: WorkflowHandle<W>,
): Promise<WorkflowResultType<W>> {
  const client = new Client({ connection: env.connection, ...(env.namespace && { namespace: env.namespace }) });
  return client.workflow.getHandle<W>(handle.workflowId).result();
}

/** The workflow's result, letting time skip only once it is at rest (untilAtRest). */
export async function resultAtRest<W extends Workflow>(handle: WorkflowHandle<W>): Promise<WorkflowResultType<W>> {
  await untilAtRest(handle);
  return handle.result();
}

/**
 * Terminates a workflow once it is at rest. The time-skipping server keeps its clock still while an activity is in
 * flight, and an activity of a terminated workflow stays so (its worker's answer is refused) until it times out: every
 * later test in the file that needs time to pass then hangs.
 */
export async function terminateAtRest(handle: WorkflowHandle, reason: string): Promise<void> {
  await untilAtRest(handle);
  if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate(reason);
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
  if (options.type !== undefined)
    expect([options.type].flat(), `failure type of: ${cause?.message}`).toContain((cause as ApplicationFailure).type);
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
  const accepted = (history.events ?? []).some(
    (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId === updateId,
  );
  expect(accepted, `the Update was accepted and failed in its handler (${message}), not refused by the validator`).toBe(false);
  if (options.unchanged) expect(await options.unchanged(), `changed by the refused Update (${message})`).toEqual(before);
  return message;
}
