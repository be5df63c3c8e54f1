// A rehearsal's run: the real workflows and activities on an embedded time-skipping server, against a throwaway
// in-memory ledger (PGlite, never the configured one; empty, or a copy of the configured one) and a mailer that
// delivers nowhere (never the outbox or SMTP), every notice recorded with its server time. Time moves in bounded
// steps — to the next local 00:01, one day at a time — and only when what was answered is at rest: one long sleep over
// thousands of pending timers stalled the server's clock, and a timer firing while an Update's task cancels it leaves
// the workflow stuck (workers/time-skipping.ts, temporalio/sdk-java#2606). So time must not move while a workflow task
// or an activity is outstanding. A step is settled by what happened in it, not by a quiet spell of wall time: once the
// worker has no activity and no workflow activation in flight, each workflow that ran an activity (or was started by
// one) in the round is looked at by its history (untilSettled), and the rounds go on until one brings nothing new.
import { Context } from '@temporalio/activity';
import { Client, type WorkflowClientInterceptor, type WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { randomBytes } from 'node:crypto';
import { createActivities, type Activities } from '../../activities';
import { keyringOf } from '../../codec/keyring';
import { createSealer, type Sealer } from '../../codec/sealer';
import type { Answering, HistoryFigures } from '../../domain/rehearsal';
import { openStore, type Db } from '../../records';
import type { LedgerCopy } from '../../records/copy';
import {
  bundleWorkflows,
  historyLength,
  mapLimit,
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
  history: HistoryFigures;
}

const TASK_QUEUE = 'rehearsal';

/**
 * What the worker is doing, followed as it happens: how many activities and workflow activations it has in flight
 * (its own counters, which drop only once the outcome is handed back), and the workflows that ran an activity or were
 * started by one since the settling last took them — the only ones a round must look at, by their histories.
 */
class Pulse {
  private activities = 0;
  private activations = 0;
  private touched = new Set<string>();
  private wakers: Array<() => void> = [];

  /** Follows the worker's in-flight counters. */
  follow(worker: Worker): void {
    worker.numInFlightActivities$.subscribe((n) => this.update(() => (this.activities = n)));
    worker.numInFlightActivations$.subscribe((n) => this.update(() => (this.activations = n)));
  }

  /** A workflow that ran an activity, or that an activity started (page activities start self-checks and inspections). */
  touch(workflowId: string): void {
    this.touched.add(workflowId);
  }

  /** The workflows touched since the last call. */
  take(): string[] {
    const ids = [...this.touched];
    this.touched.clear();
    return ids;
  }

  /** Resolves once the worker has no activity and no workflow activation in flight; rejects after QUIET_LIMIT_MS. */
  async idle(): Promise<void> {
    if (this.isIdle()) return;
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the rehearsal's activities did not come to rest in ${QUIET_LIMIT_MS / 60_000} minutes`)),
        QUIET_LIMIT_MS,
      );
    });
    try {
      await Promise.race([this.nextIdle(), stuck]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves the next time the worker becomes idle, or after `ms` (a workflow task not yet polled leaves it idle). */
  idleAgainOr(ms: number): Promise<void> {
    return Promise.race([this.nextIdle(), new Promise<void>((resolve) => setTimeout(resolve, ms))]);
  }

  private nextIdle(): Promise<void> {
    return new Promise((resolve) => this.wakers.push(resolve));
  }

  private isIdle(): boolean {
    return this.activities === 0 && this.activations === 0;
  }

  private update(change: () => void): void {
    const wasIdle = this.isIdle();
    change();
    if (!wasIdle && this.isIdle()) for (const wake of this.wakers.splice(0)) wake();
  }
}

/** The activity client's interceptor that notes each workflow an activity starts. */
function noteStarts(pulse: Pulse, started: Set<string>): WorkflowClientInterceptor {
  return {
    async start(input, next) {
      const runId = await next(input);
      pulse.touch(input.options.workflowId);
      started.add(input.options.workflowId);
      return runId;
    },
  };
}

/** The activities, each noting the workflow it runs for. */
function noted(activities: Activities, pulse: Pulse): Activities {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities) as Array<[string, (...args: unknown[]) => Promise<unknown>]>) {
    wrapped[name] = (...args: unknown[]) => {
      const workflowId = Context.current().info.workflowExecution?.workflowId;
      if (workflowId) pulse.touch(workflowId);
      return fn(...args);
    };
  }
  return wrapped as Activities;
}

/** A step whose activities are still busy after this much wall time has a stuck activity: the rehearsal stops, saying so. */
const QUIET_LIMIT_MS = 10 * 60_000;
/**
 * How many workflows are looked at, or answered, at once: each look and each Update is a round trip that waits on the
 * server and the worker, not on this process, so many in flight keep both busy without queueing behind each other.
 */
const CONCURRENCY = 64;

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
    const pulse = new Pulse();
    const started = new Set<string>();
    const mailer = recordingMailer(NOWHERE_MAILER, env, (notice) => notices.push(notice));
    // An empty ledger's sealer key lives as long as the throwaway ledger it seals into.
    const sealer = run.from?.sealer ?? createSealer(keyringOf([{ id: 'rehearsal', key: randomBytes(32) }]));
    const activities = noted(createActivities({ store, mailer, sealer, planFile: run.planFile }), pulse);
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: TASK_QUEUE,
      workflowBundle: await bundleWorkflows(),
      activities,
      interceptors: { client: { workflow: [noteStarts(pulse, started)] } },
    });
    pulse.follow(worker);
    const client = new Client({ connection: env.connection, ...(env.namespace && { namespace: env.namespace }) });
    return await worker.runUntil(async () => {
      const now = async () => Number(await env.currentTimeMs());
      if (run.startAt && run.startAt.getTime() > (await now())) await env.sleep(run.startAt.getTime() - (await now()));
      const startedAt = new Date(await now());
      const handle: WorkflowHandle = client.workflow.getHandle(await run.start(client, TASK_QUEUE, startedAt));
      const horizon = run.horizon(startedAt).getTime();
      const answers = new Answers(client, notices, run.answering);
      const ending = async (completed: boolean) => ({
        notices,
        startedAt,
        endedAt: new Date(await now()),
        completed,
        answered: answers.sent,
        history: await historyFigures(client, handle, started),
        copied,
        notes: (await run.notes?.(handle)) ?? [],
      });
      for (;;) {
        await settle(client, handle, pulse, answers, await now());
        const { status } = await handle.describe();
        const nowMs = await now();
        if (status.name !== 'RUNNING') return ending(true);
        if (nowMs >= horizon) return ending(false);
        await env.sleep(nextStep(nowMs, run.timeZone) - nowMs);
      }
    });
  } finally {
    await store.close();
    await env.teardown();
  }
}

/**
 * Settles the step: the rehearsed workflow at rest; then, round after round, once the worker is idle, every workflow
 * that ran an activity or was started by one in the round at rest (their notices sent), and what the notices asked
 * answered (those due now), the answered ones to be settled in the next round — until a round brings nothing new. The
 * server's clock stands still meanwhile: it moves only in env.sleep.
 */
async function settle(client: Client, handle: WorkflowHandle, pulse: Pulse, answers: Answers, nowMs: number): Promise<void> {
  // A workflow not yet at rest is looked at again when the worker next falls idle: its next task or activity is done.
  const settled = (id: string) => untilSettled(client.workflow.getHandle(id), (ms) => pulse.idleAgainOr(ms));
  await untilSettled(handle);
  for (;;) {
    // Looked at once the worker is idle, most workflows are at rest at the first look.
    await pulse.idle();
    const touched = pulse.take();
    await mapLimit(touched, CONCURRENCY, settled);
    const due = await answers.due(nowMs);
    await mapLimit(due, CONCURRENCY, async (a) => {
      await sendAnswer(client, a, nowMs);
      pulse.touch(a.workflowId);
    });
    if (touched.length === 0 && due.length === 0) return;
  }
}

/** The answers the notices ask for, queued until they are due; a team of two gets two notices and answers once. */
class Answers {
  sent = 0;
  private seen = 0;
  private queue: Answer[] = [];
  private asked = new Set<string>();

  constructor(
    private readonly client: Client,
    private readonly notices: readonly SentNotification[],
    private readonly answering: (target: string) => Answering,
  ) {}

  /** The answers due at `nowMs`, taken from the queue (counted as sent). */
  async due(nowMs: number): Promise<Answer[]> {
    for (; this.seen < this.notices.length; this.seen++) {
      const answer = await scheduleAnswer(this.client, this.notices[this.seen], this.answering);
      if (answer && !this.asked.has(answer.updateId)) this.queue.push(answer);
      if (answer) this.asked.add(answer.updateId);
    }
    const due = this.queue.filter((a) => a.notBefore <= nowMs);
    this.queue = this.queue.filter((a) => a.notBefore > nowMs);
    this.sent += due.length;
    return due;
  }
}

/**
 * The rehearsed workflow's history and children at its end, and the longest history among the other workflows of the
 * rehearsal: its children (full coverage, a campaign's 台账 loop) and those the activities started.
 */
async function historyFigures(client: Client, handle: WorkflowHandle, started: ReadonlySet<string>): Promise<HistoryFigures> {
  const events = (await handle.fetchHistory()).events ?? [];
  const children = events.flatMap((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? []);
  const lengths = await mapLimit([...children, ...started], CONCURRENCY, (id) => historyLength(client.workflow.getHandle(id)));
  return { events: events.length, children: children.length, largestStarted: Math.max(0, ...lengths) };
}
