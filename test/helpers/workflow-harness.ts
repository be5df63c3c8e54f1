// A worker on the time-skipping server with the real activities: an in-memory PGlite store, served on a free port as
// `npm start`'s worker serves its ledger (the CLI reads it there: LEDGER_PORT = `ledgerPort`), and an outbox mailer in a
// temporary folder. It records, for each delivered notification, the server (virtual) time the attempt was
// scheduled at (a local activity's: the server's time while it ran), so tests can check reminders against the calendar.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities, type Activities } from '../../activities';
import { createMailer } from '../../activities/mailer';
import { DEFAULT_PLAN_FILE } from '../../config';
import { openStore, type SqlStore, type StoreOptions } from '../../records';
import { recordingMailer, type SentNotification } from '../../workers/time-skipping';
import { freePort } from './ports';
import { startSmtpCatcher } from './smtp';
import { workflowBundle } from './temporal';
import { testSealer } from './sealer';

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

export type { SentNotification };

let queueCounter = 0;

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
  const mailer = recordingMailer(outbox, env, (notice) => sent.push(notice));
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
