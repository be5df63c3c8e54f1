// A worker on the time-skipping server with the real activities: an in-memory PGlite store, served on a free port as
// `npm start`'s worker serves its ledger (the CLI reads it there: LEDGER_PORT = `ledgerPort`), and an outbox mailer in a
// temporary folder. It records, for each delivered notification, the server (virtual) time the attempt was
// scheduled at (a local activity's: the server's time while it ran), so tests can check reminders against the calendar.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import type { DataConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities, type Activities } from '../../activities';
import { createMailer, type Mailer } from '../../activities/mailer';
import { DEFAULT_PLAN_FILE } from '../../config';
import { openStore, type SqlStore, type StoreOptions } from '../../records';
import { freePort } from './ports';
import { startSmtpCatcher } from './smtp';
import { workflowBundle } from './temporal';
import { testSealer } from './sealer';

export interface SentNotification {
  key: string;
  kind: string;
  to: string[];
  subject: string;
  text: string;
  /** The attachments' file names and contents. */
  attachments: Array<{ filename: string; content: Uint8Array }>;
  /** Virtual time at which the delivering attempt was scheduled. */
  at: Date;
}

export interface Harness {
  store: SqlStore;
  /** Where the in-memory ledger is served (LEDGER_PORT for the CLI); undefined on PostgreSQL. */
  ledgerPort?: number;
  sent: SentNotification[];
  taskQueue: string;
  /** Runs `fn` while a worker polls the harness's task queue. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

let queueCounter = 0;

/**
 * The server time of the current activity attempt. The server stamps an activity's attempt when it schedules it; a
 * local activity never reaches the server, and the worker stamps it from its own clock, which time skipping leaves
 * behind (a notice "sent" in 2027 would read as today). While the local activity runs, the workflow task that started
 * it is still open, which keeps the test server from skipping: its clock then reads the workflow's time.
 */
async function serverTimeOfAttempt(env: TestWorkflowEnvironment): Promise<Date> {
  const { info } = Context.current();
  return new Date(info.isLocal ? await env.currentTimeMs() : info.currentAttemptScheduledTimestampMs);
}

export interface HarnessOptions {
  planFile?: string;
  /** Replaces some of the real activities (e.g. one that stalls, to catch a workflow mid-activity). */
  activities?: (real: Activities) => Partial<Activities>;
  /** Where the ledger lives (default: an in-memory PGlite); e.g. a PostgreSQL schema that the CLI can read too. */
  storeOptions?: StoreOptions;
  /**
   * The worker's data converter (default: plain payloads), e.g. the payload codec over the CLI's keys when CLI
   * commands run against the harness: they encrypt what they send (cli/context.ts).
   */
  dataConverter?: DataConverter;
  /** Deliver through a real (in-process) SMTP server that refuses these recipients, instead of the outbox. */
  smtpRefusing?: (address: string) => boolean;
}

export async function createHarness(env: TestWorkflowEnvironment, options: HarnessOptions = {}): Promise<Harness> {
  const ledgerPort = options.storeOptions?.databaseUrl ? undefined : await freePort();
  const store = await openStore({ ...options.storeOptions, servePort: ledgerPort });
  const outboxDir = mkdtempSync(path.join(tmpdir(), 'jianguan-outbox-'));
  const smtp = options.smtpRefusing && (await startSmtpCatcher(0, { refuse: options.smtpRefusing }));
  const outbox = createMailer({
    outboxDir,
    from: '测试 <test@example.org>',
    ...(smtp && { smtp: { url: `smtp://127.0.0.1:${smtp.port}` } }),
  });
  const sent: SentNotification[] = [];
  // Records each delivery (every activity that notifies goes through the mailer) with the virtual time of its attempt.
  const mailer: Mailer = {
    channel: outbox.channel,
    close: () => outbox.close(),
    async deliver(msg, opts) {
      const result = await outbox.deliver(msg, opts);
      const at = await serverTimeOfAttempt(env);
      sent.push({
        key: msg.key,
        kind: msg.kind ?? '',
        to: msg.to.map((r) => r.email),
        subject: msg.subject,
        text: msg.text,
        attachments: (msg.attachments ?? []).map(({ filename, content }) => ({ filename, content })),
        at,
      });
      return result;
    },
  };
  const real = createActivities({ store, mailer, sealer: testSealer, planFile: options.planFile ?? DEFAULT_PLAN_FILE });
  const activities = { ...real, ...options.activities?.(real) };
  const taskQueue = `test-${process.pid}-${++queueCounter}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities,
    ...(options.dataConverter && { dataConverter: options.dataConverter }),
  });
  return {
    store,
    ledgerPort,
    sent,
    taskQueue,
    run: (fn) => worker.runUntil(fn),
    async close() {
      outbox.close();
      await smtp?.down(); // cuts a connection a refused delivery left open (close would wait for its timeout)
      await store.close();
      rmSync(outboxDir, { recursive: true, force: true });
    },
  };
}
