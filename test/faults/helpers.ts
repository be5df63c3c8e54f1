// What every fault test checks at its end (issue 9): one run per workflow id, every notice delivered exactly once
// (counted at the SMTP server), no ledger stage moved backwards, nothing left retrying, no worker process died. Soft
// assertions, so a test reports every condition that failed, not only the first. And
// the one way these tests run a worker: `npm run worker` as its own process, as production runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import path from 'node:path';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import { expect } from 'vitest';
import { messageIdFor } from '../../activities/mailer';
import { inspectionStageRank } from '../../domain/inspection-progress';
import { openStore, type SqlStore } from '../../records/store';
import type { InspectionRecord, NotificationRecord, Store } from '../../records/types';
import { freshDatabase } from '../helpers/db';
import { eventually, mapLimit, startDevStack, terminateAll, type DevStack } from '../helpers/dev-stack';
import { startSmtpCatcher, type SmtpCatcher } from '../helpers/smtp';

const root = path.resolve(__dirname, '../..');

export interface WorkerProcess {
  process: ChildProcess;
  /** Everything it printed so far (pino JSON lines). */
  output(): string;
}

/**
 * `npm run worker` as its own process on the stack's Temporal server, with `env` (DATABASE_URL, SMTP_HOST/PORT, …)
 * over the stack's settings. Resolves once it logged "worker running"; fails with its output if it exits before.
 */
export async function startWorkerProcess(stack: DevStack, env: Record<string, string>): Promise<WorkerProcess> {
  const worker = spawnWorkerProcess(stack, env);
  const up = await eventually(async () => worker.output().includes('"worker running"') || !running(worker), Boolean, {
    timeoutMs: 90_000,
    intervalMs: 200,
  });
  if (!up || !running(worker)) {
    worker.process.kill('SIGKILL');
    throw new Error(`the worker process did not come up:\n${worker.output()}`);
  }
  return worker;
}

/** The same process, returned at once: for a worker that is expected to refuse to run. */
export function spawnWorkerProcess(stack: DevStack, env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    cwd: root,
    env: { ...process.env, ...stack.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return { process: child, output: () => out };
}

const running = (worker: WorkerProcess) => worker.process.exitCode === null && worker.process.signalCode === null;

/** Every worker process still runs (none exited on its own); a dead one's last output says why. */
export function assertWorkersAlive(workers: readonly WorkerProcess[]): void {
  const dead = workers
    .filter((w) => !running(w))
    .map((w) => `pid ${w.process.pid} exited (code ${w.process.exitCode}, signal ${w.process.signalCode}):\n${w.output().slice(-2_000)}`);
  expect.soft(dead, 'worker processes that died').toEqual([]);
}

/** Kills the worker processes that still run and waits for them to go. */
export async function stopWorkers(workers: readonly WorkerProcess[]): Promise<void> {
  await Promise.all(
    workers.filter(running).map((w) => {
      const gone = new Promise((resolve) => w.process.once('exit', resolve));
      w.process.kill('SIGKILL');
      return gone;
    }),
  );
}

/** Every run, open or closed, of the workflows a visibility query matches. */
export async function listRuns(client: Client, query: string): Promise<WorkflowExecutionInfo[]> {
  const runs: WorkflowExecutionInfo[] = [];
  for await (const run of client.workflow.list({ query })) runs.push(run);
  return runs;
}

/** The workflows `query` matches are exactly `expectedIds`, each with a single run (closed runs count). */
export async function assertOneRunPerId(client: Client, query: string, expectedIds: readonly string[]): Promise<void> {
  const runs = await listRuns(client, query);
  const perId = new Map<string, number>();
  for (const run of runs) perId.set(run.workflowId, (perId.get(run.workflowId) ?? 0) + 1);
  expect.soft([...perId.keys()].sort(), `workflow ids of ${query}`).toEqual([...expectedIds].sort());
  expect
    .soft(
      [...perId].filter(([, n]) => n > 1).map(([id, n]) => `${id}: ${n} runs`),
      'ids with more than one run',
    )
    .toEqual([]);
}

/**
 * Every ledger notification under `keyPrefix` is sent and reached the SMTP server exactly once (its Message-ID is
 * derived from its key), and nothing reached it that the ledger does not know. Returns the counts, for the log.
 *
 * One exception when a test killed workers (`recordedByKilled` given): a notice a killed worker delivered and had not
 * yet recorded as sent may arrive a second time, under its one Message-ID. Between the server's acceptance and the
 * ledger's commit there is no place a SIGKILL cannot land; the server may even accept the first copy after the kill,
 * the last bytes being on their way while the sender never heard the answer (SMTP's duplicate-message window,
 * RFC 1047). The receiving end recognises that copy by its Message-ID. A notice recorded before the kill arrives once.
 */
export async function assertEachNoticeOnce(
  smtp: SmtpCatcher,
  store: Store,
  keyPrefix: string,
  recordedByKilled?: ReadonlySet<string>,
): Promise<{ notices: number; deliveries: number; cutOff: number }> {
  const notices = await store.listNotifications({ keyPrefix });
  expect
    .soft(
      notices.filter((n) => n.status !== 'sent').map((n) => n.key),
      'notices not marked sent',
    )
    .toEqual([]);
  const received = await Promise.all(smtp.messages.map(async (raw) => (await simpleParser(raw)).messageId ?? '(no Message-ID)'));
  const known = new Set((await store.listNotifications()).map((n: NotificationRecord) => messageIdFor(n.key)));
  expect
    .soft(
      received.filter((id) => !known.has(id)),
      'messages the ledger has no notice for',
    )
    .toEqual([]);
  const expected = new Set(notices.map((n) => messageIdFor(n.key)));
  const deliveries = received.filter((id) => expected.has(id));
  const counts = new Map<string, number>();
  for (const id of deliveries) counts.set(id, (counts.get(id) ?? 0) + 1);
  const cutOff = (key: string) => counts.get(messageIdFor(key)) === 2 && recordedByKilled !== undefined && !recordedByKilled.has(key);
  const wrong = notices
    .filter((n) => counts.get(messageIdFor(n.key)) !== 1 && !cutOff(n.key))
    .map((n) => `${n.key}: delivered ${counts.get(messageIdFor(n.key)) ?? 0} times`);
  expect.soft(wrong, `${deliveries.length} deliveries for ${notices.length} notices`).toEqual([]);
  return { notices: notices.length, deliveries: deliveries.length, cutOff: notices.filter((n) => cutOff(n.key)).length };
}

/** The notification keys the workers logged as sent (they log it once the ledger has it). */
export function keysRecordedBy(workers: readonly WorkerProcess[]): Set<string> {
  return new Set(workers.flatMap(sentKeys));
}

function sentKeys(worker: WorkerProcess): string[] {
  return worker
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"notification sent"'))
    .map((line) => (JSON.parse(line) as { key: string }).key);
}

/**
 * What is still retrying in the running workflows `query` matches: pending activities past their first attempt or
 * with a failure, workflow tasks failing again and again. Empty once everything has recovered.
 */
export async function retrying(client: Client, query: string): Promise<string[]> {
  const open = (await listRuns(client, `(${query}) AND ExecutionStatus = "Running"`)).map((r) => r.workflowId);
  const problems = await mapLimit(open, 8, async (workflowId) => {
    const { raw } = await client.workflow.getHandle(workflowId).describe();
    const activities = (raw.pendingActivities ?? [])
      .filter((a) => (a.attempt ?? 1) > 1 || a.lastFailure)
      .map(
        (a) => `${workflowId}: activity ${a.activityType?.name} attempt ${a.attempt}${a.lastFailure ? `: ${a.lastFailure.message}` : ''}`,
      );
    const task = raw.pendingWorkflowTask;
    return task && (task.attempt ?? 1) > 1 ? [...activities, `${workflowId}: workflow task attempt ${task.attempt}`] : activities;
  });
  return problems.flat();
}

export async function assertNothingRetrying(client: Client, query: string): Promise<void> {
  expect.soft(await retrying(client, query), 'still retrying').toEqual([]);
}

/**
 * No inspection's ledger stage went back from what it was in `before` (by the ledger's own order of stages: an
 * inspection whose findings were recorded never returns to `assigned`).
 */
export function assertStagesNotBackwards(before: readonly InspectionRecord[], after: readonly InspectionRecord[]): void {
  const now = new Map(after.map((i) => [i.id, i.stage]));
  const backwards = before
    .filter((i) => !now.has(i.id) || inspectionStageRank(now.get(i.id)!) < inspectionStageRank(i.stage))
    .map((i) => `${i.id}: ${i.stage} → ${now.get(i.id) ?? '(gone)'}`);
  expect.soft(backwards, 'ledger stages moved backwards').toEqual([]);
}

/** Kills a worker process (SIGKILL: no drain, no goodbye; or `signal`) and waits until it has gone. */
export async function killWorker(worker: WorkerProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  const gone = new Promise((resolve) => worker.process.once('exit', resolve));
  worker.process.kill(signal);
  await gone;
}

/** The identity a worker process has at the server (the SDK's default, `pid@host`). */
export const identityOf = (worker: WorkerProcess): string => `${worker.process.pid}@${hostname()}`;

/** Worker identities that took a workflow or activity task of these workflows, with how many tasks each took. */
export async function tasksByIdentity(client: Client, workflowIds: readonly string[]): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  await mapLimit(workflowIds, 8, async (workflowId) => {
    for (const event of (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? []) {
      const identity = event.workflowTaskStartedEventAttributes?.identity ?? event.activityTaskStartedEventAttributes?.identity;
      if (identity) seen.set(identity, (seen.get(identity) ?? 0) + 1);
    }
  });
  return seen;
}

/**
 * Holds the ledger's claim of an institution's on-site inspection of a year (the advisory lock
 * `claimOnSiteInspection` takes), as a slow database would: a fan-out page reaching that member waits on it, with
 * the members it started before and beside it done. So a worker can be killed inside a page every time.
 */
export async function claimLocks(databaseUrl: string) {
  const session = new pg.Client({ connectionString: databaseUrl });
  await session.connect();
  const key = (jurisdiction: string, institutionId: string, year: number) => JSON.stringify(['onsite', jurisdiction, institutionId, year]);
  return {
    hold: (jurisdiction: string, institutionId: string, year: number) =>
      session.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key(jurisdiction, institutionId, year)]),
    release: (jurisdiction: string, institutionId: string, year: number) =>
      session.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key(jurisdiction, institutionId, year)]),
    close: () => session.end(),
  };
}

/**
 * The parts of a worker fault test: the Temporal dev server (no in-process worker), a fresh database on the test
 * PostgreSQL for the ledger, and the in-process SMTP server. Worker processes run on them (`env`); `ledger()` opens
 * the test's own view of the ledger (at first call: a test may let the workers be the first to open it); `close()`
 * kills the workers still running and undoes the rest.
 */
export async function startWorkerRig(options: { database: string; planFile?: string }) {
  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse())
      await cleanup().catch((error: unknown) => console.warn('fault rig clean-up:', error));
  };
  try {
    const database = await freshDatabase(options.database);
    cleanups.push(() => database.drop());
    const smtp = await startSmtpCatcher();
    cleanups.push(() => smtp.close());
    const stack = await startDevStack({ worker: false, planFile: options.planFile });
    cleanups.push(
      () => stack.stop(),
      () => terminateAll(stack.client, stack.config.temporal.namespace),
    );
    const workers: WorkerProcess[] = [];
    cleanups.push(() => stopWorkers(workers));
    const env = { DATABASE_URL: database.url, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port) };
    let store: Promise<SqlStore> | undefined;
    const ledger = () => {
      if (!store) {
        store = openStore({ databaseUrl: database.url });
        cleanups.push(async () => (await store!).close());
      }
      return store;
    };
    /** A worker process on the rig's ledger and SMTP server, `extra` over those settings. */
    const startWorker = async (extra: Record<string, string> = {}) => {
      const worker = await startWorkerProcess(stack, { ...env, ...extra });
      workers.push(worker);
      return worker;
    };
    return { stack, client: stack.client, smtp, databaseUrl: database.url, env, workers, ledger, startWorker, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export type WorkerRig = Awaited<ReturnType<typeof startWorkerRig>>;
