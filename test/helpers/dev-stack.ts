// The embedded stack of `jianguan dev`, isolated for tests and the benchmark: the Temporal dev server on free ports
// with its SQLite file in a temporary folder, a client, and (optionally) an in-process worker on a given plan file
// with its own PGlite ledger and outbox in the same folder. `stop()` undoes all of it.
// Also the visibility helpers the dev-server tests share: bounded polling, counts, batch termination, history sizes.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, makeTelemetryFilterString, Runtime, type NativeConnection, type Worker } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../../cli/dev-server';
import { createDataConverter } from '../../codec/data-converter';
import { DEFAULT_PLAN_FILE, loadRuntimeConfig, type LogLevel, type RuntimeConfig } from '../../config';
import { connectWorker } from '../../workers/connect';
import { createLogger } from '../../workers/logging';
import { historyLength as historyOf, mapLimit } from '../../workers/time-skipping';
import { createWorker, type RunningWorker } from '../../workers/worker';
import { freePort } from './ports';

export interface DevStackOptions {
  /** The worker's jurisdiction plan (JIANGUAN_PLAN); the sample plan by default. */
  planFile?: string;
  /** Start an in-process worker on the configured task queue (default true). */
  worker?: boolean;
  /**
   * Also put the stack's settings (TEMPORAL_ADDRESS, TEMPORAL_UI_PORT, JIANGUAN_DATA_DIR, LEDGER_PORT, JIANGUAN_CODEC_ADDRESS, JIANGUAN_PLAN) into
   * process.env, for CLI functions that read their settings from the environment.
   */
  exportEnv?: boolean;
  /** The Temporal CLI executable; TEMPORAL_CLI_PATH by default (set by test/global-setup.ts). */
  cliPath?: string;
  /** pino level of the worker's log (to stdout); only errors by default. */
  logLevel?: LogLevel;
  /** A ledger on PostgreSQL (DATABASE_URL) instead of the worker's embedded one, e.g. to keep it out of its memory. */
  databaseUrl?: string;
}

export interface DevStack {
  dataDir: string;
  /** The environment variables the stack's settings were read from. */
  env: Record<string, string>;
  config: RuntimeConfig;
  server: DevServer;
  connection: Connection;
  client: Client;
  /** The running in-process worker, unless `worker: false`. */
  worker?: Worker;
  /** Kills the Temporal dev server outright (SIGKILL, as a crash would); its SQLite file stays. */
  killServer(): Promise<void>;
  /** Starts the dev server again on the same SQLite file and ports (after killServer); `server` is then the new one. */
  startServer(): Promise<void>;
  stop(): Promise<void>;
}

/** Keeps the Temporal runtime to warnings and errors (once per process; a no-op if a runtime is installed). */
export function installQuietRuntime(): void {
  try {
    Runtime.install({
      logger: new DefaultLogger('WARN'),
      telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'ERROR' }) } },
    });
  } catch {
    // Already installed in this process.
  }
}

async function serverPorts(): Promise<{ TEMPORAL_ADDRESS: string; TEMPORAL_UI_PORT: string }> {
  return { TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`, TEMPORAL_UI_PORT: String(await freePort()) };
}

export async function startDevStack(options: DevStackOptions = {}): Promise<DevStack> {
  installQuietRuntime();
  const cliPath = options.cliPath ?? process.env.TEMPORAL_CLI_PATH;
  if (!cliPath)
    throw new Error('TEMPORAL_CLI_PATH is not set: run through vitest (test/global-setup.ts) or pass cliPath (ensureTemporalBinaries())');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'jianguan-stack-'));
  const env: Record<string, string> = {
    ...(await serverPorts()),
    JIANGUAN_DATA_DIR: dataDir,
    LEDGER_PORT: String(await freePort()),
    // The codec server, when a test starts one (the payload key and its token are generated in dataDir).
    JIANGUAN_CODEC_ADDRESS: `127.0.0.1:${await freePort()}`,
    JIANGUAN_PLAN: options.planFile ?? DEFAULT_PLAN_FILE,
    LOG_LEVEL: options.logLevel ?? 'error',
    ...(options.databaseUrl && { DATABASE_URL: options.databaseUrl }),
  };
  // Only the stack's own settings: a DATABASE_URL or SMTP server of the caller's shell must not leak in.
  let config = loadRuntimeConfig(env);

  const cleanups: Array<() => Promise<void>> = [async () => rmSync(dataDir, { recursive: true, force: true })];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse())
      await cleanup().catch((error: unknown) => console.warn('dev stack cleanup:', error));
  };
  const serverOptions = {
    cliPath,
    address: config.temporal.address,
    namespace: config.temporal.namespace,
    uiPort: config.temporal.uiPort,
    dataDir,
  };
  const startOwnServer = async () => {
    const started = await startDevServer(serverOptions);
    if (!started.owned) throw new Error(`something else already answers on ${config.temporal.address}`);
    return started;
  };
  /**
   * The first start, on other ports when one was taken between choosing it and the server binding it (test files run
   * side by side, each starting servers, and the dev server binds more ports than the two given).
   */
  const startOnFreePorts = async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await startOwnServer();
      } catch (error) {
        if (attempt === 3 || !/address already in use/i.test(String(error))) throw error;
        Object.assign(env, await serverPorts());
        config = loadRuntimeConfig(env);
        Object.assign(serverOptions, { address: config.temporal.address, uiPort: config.temporal.uiPort });
      }
    }
  };
  try {
    let server = await startOnFreePorts();
    if (options.exportEnv) Object.assign(process.env, env);
    cleanups.push(() => server.stop());
    const connection = await Connection.connect({ address: config.temporal.address });
    cleanups.push(() => connection.close());
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: createDataConverter(config) });

    let worker: Worker | undefined;
    if (options.worker ?? true) {
      const workerConnection: NativeConnection = await connectWorker(config);
      cleanups.push(() => workerConnection.close());
      const running: RunningWorker = await createWorker(config, workerConnection, createLogger(config.logLevel));
      cleanups.push(() => running.close());
      worker = running.worker;
      const done = running.worker.run().catch((error: unknown) => console.error('worker stopped with an error:', error));
      cleanups.push(async () => {
        if (running.worker.getState() === 'RUNNING') running.worker.shutdown();
        await done;
      });
    }
    const stack: DevStack = {
      dataDir,
      env,
      config,
      server,
      connection,
      client,
      worker,
      stop,
      async killServer() {
        process.kill(server.pid!, 'SIGKILL');
        await server.stop(); // sees it exit, forgets its pid file
      },
      async startServer() {
        stack.server = server = await startOwnServer();
      },
    };
    return stack;
  } catch (error) {
    await stop();
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Visibility helpers

/** Polls `read` until `accept` holds or `timeoutMs` passes; returns the last value (the caller asserts on it). */
export async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
    value = await read();
  }
  return value;
}

/** Number of workflow executions matching a visibility query. */
export async function countWorkflows(client: Client, query: string): Promise<number> {
  return (await client.workflow.count(query)).count;
}

/** Events in the history of the latest run of `workflowId` (from describe, without fetching the history). */
export const historyLength = (client: Client, workflowId: string): Promise<number> => historyOf(client.workflow.getHandle(workflowId));

export { mapLimit };

const { BatchOperationState } = temporal.api.enums.v1;

/**
 * Terminates every running workflow matching `query` (all running ones by default): a server-side batch operation,
 * then, for whatever visibility still shows running (a batch misses executions it has not indexed yet), one by one.
 * Returns the number still running afterwards (0 unless something keeps starting workflows).
 */
export async function terminateAll(
  client: Client,
  namespace: string,
  query?: string,
  options: { timeoutMs?: number } = {},
): Promise<number> {
  const running = query ? `(${query}) AND ExecutionStatus = "Running"` : 'ExecutionStatus = "Running"';
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  const reason = 'test clean-up';
  if ((await countWorkflows(client, running)) > 0) {
    const jobId = `terminate-${randomUUID()}`;
    try {
      await client.workflowService.startBatchOperation({
        namespace,
        jobId,
        visibilityQuery: running,
        reason,
        terminationOperation: { identity: 'jianguan-tests' },
      });
      for (;;) {
        const { state } = await client.workflowService.describeBatchOperation({ namespace, jobId });
        if (state !== BatchOperationState.BATCH_OPERATION_STATE_RUNNING && state !== BatchOperationState.BATCH_OPERATION_STATE_UNSPECIFIED)
          break;
        if (Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    } catch {
      // No batch operations on this server: the loop below does it all.
    }
  }
  for (;;) {
    const left: string[] = [];
    for await (const execution of client.workflow.list({ query: running })) left.push(execution.workflowId);
    if (left.length === 0 || Date.now() > deadline) return left.length;
    await mapLimit(left, 8, (workflowId) =>
      client.workflow
        .getHandle(workflowId)
        .terminate(reason)
        .catch(() => undefined),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * The dev server's SQLite files in `dataDir` with their bytes: the database and whichever journal exists at the moment
 * (SQLite creates and deletes its journal as it writes, so one listed a moment ago may be gone when read).
 */
export function serverDatabaseFiles(dataDir: string): Array<{ file: string; bytes: Buffer }> {
  return readdirSync(dataDir)
    .filter((f) => f.startsWith('temporal.db'))
    .flatMap((file) => {
      try {
        return [{ file, bytes: readFileSync(path.join(dataDir, file)) }];
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
    });
}
