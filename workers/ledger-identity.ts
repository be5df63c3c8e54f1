// Workers of one task queue must share one ledger: a worker on another one (started without DATABASE_URL beside
// workers on PostgreSQL, or pointed at the wrong database) would take their tasks and read an empty membership, and
// finish campaigns as if nobody was in them. At start a worker registers its ledger's id for the task queue (the
// first one wins) and compares: a worker whose ledger is not the registered one refuses to start.
import { Client, type Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import { createDataConverter } from '../codec/data-converter';
import type { RuntimeConfig } from '../config';
import { ledgerIdentityWorkflowId } from '../domain/business-keys';
import { LEDGER_IDENTITY_WORKFLOW_TYPE, type LedgerIdentityWorkflow } from '../workflows/ledger-identity/api';

export class LedgerMismatchError extends Error {
  override name = 'LedgerMismatchError';
}

/** Registers `ledgerId` for the configured task queue unless one is registered, and checks it is the one. */
export async function proveSharedLedger(connection: Connection, config: RuntimeConfig, ledgerId: string, logger: Logger): Promise<void> {
  const { namespace, taskQueue } = config.temporal;
  const client = new Client({ connection, namespace, dataConverter: createDataConverter(config) });
  const workflowId = ledgerIdentityWorkflowId(taskQueue);
  await client.workflow.start<LedgerIdentityWorkflow>(LEDGER_IDENTITY_WORKFLOW_TYPE, {
    workflowId,
    taskQueue,
    args: [{ ledgerId }],
    memo: { ledgerId },
    workflowIdConflictPolicy: 'USE_EXISTING',
    staticSummary: `系统：任务队列 ${taskQueue} 的台账标识`,
  });
  const registered = (await client.workflow.getHandle(workflowId).describe()).memo?.ledgerId;
  if (registered === ledgerId) return;
  logger.error({ taskQueue, ledgerId, registered, workflowId }, 'ledger mismatch');
  throw new LedgerMismatchError(
    `this worker's ledger (${ledgerId}) is not the one the workers of task queue ${taskQueue} use (${String(registered)}): ` +
      `check DATABASE_URL / JIANGUAN_DATA_DIR. If this ledger replaces the old one on purpose, terminate the workflow ${workflowId} first.`,
  );
}
