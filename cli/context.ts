// What every command needs: validated settings, the plan, a Temporal client. Errors here are the user's to fix,
// so they are printed as one clear message (naming the variable, file path or flag), without a stack trace.
import { WorkflowNotFoundError, type QueryDefinition, type UpdateDefinition } from '@temporalio/common';
import { Client, WorkflowUpdateFailedError, type Connection } from '@temporalio/client';
import { createDataConverter } from '../codec/data-converter';
import { loadPlan, loadRuntimeConfig, type Plan, type RuntimeConfig } from '../config';
import { connectClient } from '../workers/connect';

export class UsageError extends Error {
  override name = 'UsageError';
}

export function settings(): RuntimeConfig {
  return loadRuntimeConfig();
}

export async function plan(config: RuntimeConfig, file?: string): Promise<Plan> {
  return loadPlan(file ?? config.planFile);
}

/** Runs `fn` with a Temporal client, closing the connection afterwards. */
export async function withClient<T>(config: RuntimeConfig, fn: (client: Client, connection: Connection) => Promise<T>): Promise<T> {
  // Before connecting: unusable keys are the user's to fix (a ConfigError naming the variable).
  const dataConverter = createDataConverter(config);
  const connection = await connectClient(config).catch((error: Error) => {
    throw new UsageError(`cannot reach Temporal at ${config.temporal.address} (${error.message}); is \`npm start\` running?`);
  });
  try {
    return await fn(new Client({ connection, namespace: config.temporal.namespace, dataConverter }), connection);
  } finally {
    await connection.close();
  }
}

/** Sends a validated payload; the workflow's rejection (or a missing workflow) becomes one UsageError line. */
export async function sendUpdateOrReject<Ret>(
  client: Client,
  workflowId: string,
  update: UpdateDefinition<Ret, [unknown]>,
  payload: unknown,
): Promise<Ret> {
  try {
    return await client.workflow.getHandle(workflowId).executeUpdate(update, { args: [payload] });
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) throw new UsageError(`rejected: ${error.cause?.message ?? error.message}`);
    if (error instanceof WorkflowNotFoundError) throw new UsageError(`no running workflow ${workflowId} (unknown, or already ended)`);
    throw error;
  }
}

/** A workflow's answer to `query`; undefined when no workflow has that id. */
export async function queryWorkflow<T>(client: Client, workflowId: string, query: QueryDefinition<T, []>): Promise<T | undefined> {
  try {
    return await client.workflow.getHandle(workflowId).query(query);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return undefined;
    throw error;
  }
}

/**
 * The same for a command that falls back on the ledger: with Temporal out of reach, no status and the reason, so the
 * ledger still tells the story when it can be read.
 */
export async function queryOrUnreachable<T>(
  config: RuntimeConfig,
  workflowId: string,
  query: QueryDefinition<T, []>,
): Promise<{ status?: T; unreachable?: string }> {
  try {
    return { status: await withClient(config, (client) => queryWorkflow(client, workflowId, query)) };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { unreachable: error.message };
  }
}
