// A rehearsal's run: the real workflows and activities on an embedded time-skipping server, against a throwaway
// in-memory ledger (PGlite, never the configured one; empty, or a copy of the configured one) and a mailer that delivers nowhere (never the outbox or SMTP),
// every notice recorded with its server time. Time moves in bounded steps — to the next local 00:01, one day at a
// time — and only when what was answered is at rest: one long sleep over thousands of pending timers stalled the
// server's clock, and a timer firing while an Update's task cancels it leaves the workflow stuck (workers/time-skipping.ts).
import { Client, type WorkflowClientInterceptor, type WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { randomBytes } from 'node:crypto';
import { createActivities, type Activities } from '../../activities';
import { keyringOf } from '../../codec/keyring';
import { createSealer, type Sealer } from '../../codec/sealer';
import type { Answering } from '../../domain/rehearsal';
import { openStore, type Db } from '../../records';
import type { LedgerCopy } from '../../records/copy';
import {
  bundleWorkflows,
  NOWHERE_MAILER,
  recordingMailer,
  startTimeSkippingServer,
  untilSettled,
  type SentNotification,
} from '../../workers/time-skipping';
import { scheduleAnswer, sendAnswer, type Answer } from './answerer';

export interface RehearsalRun {
  /** The native time-skipping server (TEMPORAL_TEST_SERVER_PATH or the provisioned one). */
  testServerPath: string;
  planFile: string;
  timeZone: string;
  answering: (target: string) => Answering;
  /** Before the workflow starts, the server's clock may jump here at once (nothing is waiting yet). */
  startAt?: Date;
  /** Starts the rehearsed workflow on `taskQueue` at the server's time `now`; returns its id. */
  start: (client: Client, taskQueue: string, now: Date) => Promise<string>;
  /** Gives up (the workflow is left running) once the server's clock passes this. */
  horizon: (startedAt: Date) => Date;
  /** The bureau's ledger, only read: the throwaway one starts as its copy, read with its keys. Else it starts empty. */
  from?: { copyInto: (target: Db) => Promise<LedgerCopy>; sealer: Sealer };
  /** What the report says of the workflow's own state, read from it when the rehearsal ends. */
  notes?: (handle: WorkflowHandle) => Promise<string[]>;
}

export interface RehearsalOutcome {
  notices: SentNotification[];
  /** The server's time when the rehearsed workflow started. */
  startedAt: Date;
  /** The instant the rehearsed workflow ended, or the horizon when it had not. */
  endedAt: Date;
  completed: boolean;
  answered: number;
  /** What was copied from the bureau's ledger (`from`). */
  copied?: LedgerCopy;
  /** RehearsalRun.notes' lines. */
  notes: string[];
}

const TASK_QUEUE = 'rehearsal';

/**
 * Activities counted while they run, and the workflows they started (page activities start self-checks and
 * inspections through the activity's client): a step has settled when no activity runs and every workflow started
 * in it has come to rest — its first task done, its notice sent.
 */
interface Pulse {
  running: number;
  started: number;
  /** `started` when quiet() last returned. */
  quietAt: number;
  fresh: string[];
  /** The worker is still running workflow tasks (a burst of fresh workflows' first tasks). */
  busy: () => boolean;
}

/** The activity client's interceptor that notes each workflow an activity starts. */
function noteStarts(pulse: Pulse): WorkflowClientInterceptor {
  return {
    async start(input, next) {
      const runId = await next(input);
      pulse.fresh.push(input.options.workflowId);
      return runId;
    },
  };
}

function counted(activities: Activities, pulse: Pulse): Activities {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities) as Array<[string, (...args: unknown[]) => Promise<unknown>]>) {
    wrapped[name] = async (...args: unknown[]) => {
      pulse.running++;
      pulse.started++;
      try {
        return await fn(...args);
      } finally {
        pulse.running--;
      }
    };
  }
  return wrapped as Activities;
}

const QUIET_MS = 100;
/** A step whose activities are still busy after this much wall time has a stuck activity: the rehearsal stops, saying so. */
const QUIET_LIMIT_MS = 10 * 60_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until no activity runs and none has started for QUIET_MS: the notices of the step are all in. Returns at once
 * when nothing has started since it last returned (most days of a year), so that an idle step costs no wall time.
 */
async function quiet(pulse: Pulse): Promise<void> {
  const giveUpAt = Date.now() + QUIET_LIMIT_MS;
  while (pulse.running > 0 || pulse.started !== pulse.quietAt || pulse.busy()) {
    if (Date.now() > giveUpAt) throw new Error(`the rehearsal's activities did not come to rest in ${QUIET_LIMIT_MS / 60_000} minutes`);
    pulse.quietAt = pulse.started;
    await pause(QUIET_MS);
  }
}

/** The next local 00:01 after `nowMs`: a day's step, ending just after the midnight instants phases start at. */
export function nextStep(nowMs: number, timeZone: string): number {
  return DateTime.fromMillis(nowMs, { zone: timeZone }).startOf('day').plus({ days: 1, minutes: 1 }).toMillis();
}

/** Runs the rehearsal to the workflow's end (or the horizon) and returns every notice with its server time. */
export async function runRehearsal(run: RehearsalRun): Promise<RehearsalOutcome> {
  const env = await startTimeSkippingServer(run.testServerPath);
  const store = await openStore({});
  try {
    const copied = await run.from?.copyInto(store.db);
    const notices: SentNotification[] = [];
    const pulse: Pulse = { running: 0, started: 0, quietAt: 0, fresh: [], busy: () => false };
    const mailer = recordingMailer(NOWHERE_MAILER, env, (notice) => notices.push(notice));
    // An empty ledger's sealer key lives as long as the throwaway ledger it seals into.
    const sealer = run.from?.sealer ?? createSealer(keyringOf([{ id: 'rehearsal', key: randomBytes(32) }]));
    const activities = counted(createActivities({ store, mailer, sealer, planFile: run.planFile }), pulse);
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowBundle: await bundleWorkflows(),
      activities,
      interceptors: { client: { workflow: [noteStarts(pulse)] } },
    });
    pulse.busy = () => worker.getStatus().numInFlightWorkflowActivations > 0;
    const client = new Client({ connection: env.connection, ...(env.namespace && { namespace: env.namespace }) });
    return await worker.runUntil(async () => {
      const now = async () => Number(await env.currentTimeMs());
      if (run.startAt && run.startAt.getTime() > (await now())) await env.sleep(run.startAt.getTime() - (await now()));
      const startedAt = new Date(await now());
      const handle: WorkflowHandle = client.workflow.getHandle(await run.start(client, TASK_QUEUE, startedAt));
      const horizon = run.horizon(startedAt).getTime();
      const queue: Answer[] = [];
      const asked = new Set<string>();
      let seen = 0;
      let answered = 0;
      /**
       * Settles the step: the rehearsed workflow at rest, the workflows started in the step at rest (their notices
       * sent), then what the notices asked answered (those due now) and the answered at rest — again until a round
       * brings nothing new. The server's clock stands still meanwhile: it moves only in env.sleep.
       */
      const settle = async (): Promise<void> => {
        for (;;) {
          const before = pulse.started;
          await untilSettled(handle);
          await quiet(pulse);
          const fresh = pulse.fresh.splice(0);
          await inBatches(fresh, (id) => untilSettled(client.workflow.getHandle(id)));
          for (; seen < notices.length; seen++) {
            const answer = await scheduleAnswer(client, notices[seen], run.answering);
            // A team of two gets two notices and answers once.
            if (answer && !asked.has(answer.updateId)) queue.push(answer);
            if (answer) asked.add(answer.updateId);
          }
          const nowMs = await now();
          const due = queue.filter((a) => a.notBefore <= nowMs);
          queue.splice(0, queue.length, ...queue.filter((a) => a.notBefore > nowMs));
          await inBatches(due, (a) => sendAnswer(client, a, nowMs));
          await inBatches(due, (a) => untilSettled(client.workflow.getHandle(a.workflowId)));
          answered += due.length;
          if (fresh.length === 0 && due.length === 0 && pulse.started === before && pulse.running === 0) return;
        }
      };
      for (;;) {
        await settle();
        const { status } = await handle.describe();
        const nowMs = await now();
        const completed = status.name !== 'RUNNING';
        if (completed || nowMs >= horizon) {
          const notes = (await run.notes?.(handle)) ?? [];
          return { notices, startedAt, endedAt: new Date(nowMs), completed, answered, copied, notes };
        }
        await env.sleep(nextStep(nowMs, run.timeZone) - nowMs);
      }
    });
  } finally {
    await store.close();
    await env.teardown();
  }
}

/** Runs `fn` over `items`, a few at a time (the test server and the worker share two cores with the rest). */
async function inBatches<T>(items: readonly T[], fn: (item: T) => Promise<void>, size = 20): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}
