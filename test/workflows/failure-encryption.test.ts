// Failure messages are personal data too: an SMTP refusal quotes the recipient's address. With the project's data
// converter (codec/data-converter.ts) a failure's message and stack travel in its encoded attributes, encrypted by the
// payload codec: read without the codec, the history holds neither; a client with the keys reads the message again.
import { randomUUID } from 'node:crypto';
import { Client, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dataConverterOfKeys, FAILURE_CONVERTER_PATH } from '../../codec/data-converter';
import type { Notification } from '../../activities/notifications';
import { createTimeSkippingEnv } from '../helpers/temporal';
import { TEST_SEALING_KEY } from '../helpers/sealer';

const MARK = `PII${randomUUID().replaceAll('-', '')}`;
const refusal = `550 5.1.1 <${MARK}@example.org>: Recipient address rejected`;

let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
});

afterAll(async () => {
  await env?.teardown();
});

it("keeps a failure's message out of the raw history and gives it back through the codec", async () => {
  const dataConverter = dataConverterOfKeys([TEST_SEALING_KEY]);
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../fixtures/notify-workflow.ts'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m) },
  });
  const taskQueue = 'failure-encryption';
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle,
    dataConverter,
    activities: {
      sendNotification: async () => {
        throw ApplicationFailure.nonRetryable(refusal, 'RecipientRejected');
      },
    },
  });
  const client = new Client({ connection: env.connection, dataConverter });
  const notice: Notification = {
    key: 'failure-encryption',
    kind: 'test',
    to: [{ name: '联系人', email: 'x@example.org' }],
    subject: '通知',
    text: '正文',
  };
  const workflowId = `failure-encryption-${randomUUID()}`;

  const failed = await worker.runUntil(
    client.workflow.execute('notifyWorkflow', { args: [notice], workflowId, taskQueue }).catch((error: unknown) => error),
  );

  expect(failed).toBeInstanceOf(WorkflowFailedError);
  const activityFailure = (failed as WorkflowFailedError).cause;
  expect((activityFailure?.cause as Error | undefined)?.message).toBe(refusal);

  const bare = new Client({ connection: env.connection });
  const raw = JSON.stringify(await bare.workflow.getHandle(workflowId).fetchHistory());
  expect(raw).toContain('Encoded failure');
  expect(raw).not.toContain(MARK);
});
