// What every command needs: validated settings, the plan, a Temporal client. Errors here are the user's to fix,
// so they are printed as one clear message (naming the variable, file path or flag), without a stack trace.
import { readFileSync } from 'node:fs';
import { Client, type Connection } from '@temporalio/client';
import YAML from 'yaml';
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
  const connection = await connectClient(config).catch((error: Error) => {
    throw new UsageError(`cannot reach Temporal at ${config.temporal.address} (${error.message}); is \`npm start\` running?`);
  });
  try {
    return await fn(new Client({ connection, namespace: config.temporal.namespace }), connection);
  } finally {
    await connection.close();
  }
}

/** A whole Update payload from `--file` (JSON is YAML too); an unreadable or malformed file is refused naming `--file`. */
export function readPayloadFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--file: cannot read ${file} (${(error as Error).message})`);
  }
  try {
    return YAML.parse(text);
  } catch (error) {
    throw new UsageError(`--file: ${file} is not valid JSON or YAML (${(error as Error).message.split('\n')[0]})`);
  }
}
