// Workers of one task queue share one ledger: on the dev server, two workers on the same PostgreSQL database start,
// and a third on an embedded ledger of its own is refused at start ('ledger mismatch', LedgerMismatchError) before it
// polls a task. Terminating the register accepts a new ledger on purpose.
import { ledgerIdentityWorkflowId } from '../../domain/business-keys';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeConfig } from '../../config';
import { openStore } from '../../records/store';
import { connectWorker } from '../../workers/connect';
import { LedgerMismatchError } from '../../workers/ledger-identity';
import { createWorker } from '../../workers/worker';
import { freshDatabase } from '../helpers/db';
import { startDevStack, type DevStack } from '../helpers/dev-stack';

let stack: DevStack;
let database: Awaited<ReturnType<typeof freshDatabase>>;
let databaseUrl: string;
const embeddedDir = mkdtempSync(path.join(tmpdir(), 'jianguan-other-ledger-'));
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  database = await freshDatabase('jianguan_ledger');
  databaseUrl = database.url;
  stack = await startDevStack({ worker: false });
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await stack?.stop();
  await database?.drop();
  rmSync(embeddedDir, { recursive: true, force: true });
});

/** createWorker on the stack's server with `over`, and what it logged. */
async function startWorker(over: Partial<RuntimeConfig>) {
  const lines: string[] = [];
  const logger = pino({ base: undefined }, { write: (line: string) => void lines.push(line) });
  const connection = await connectWorker(stack.config);
  closers.push(() => connection.close());
  const config: RuntimeConfig = { ...stack.config, ...over };
  const started = await createWorker(config, connection, logger).then(
    (running) => {
      // Run it, so that it lets go of its connection when it is shut down at the end.
      const done = running.worker.run();
      closers.push(async () => {
        running.worker.shutdown();
        await done;
        await running.close();
      });
      return running;
    },
    (error: unknown) => error,
  );
  return { started, logged: lines.map((l) => JSON.parse(l) as { msg: string; level: number }) };
}

describe('the ledger workers share', () => {
  it('lets workers on the same ledger start and refuses one on another ledger before it polls', async () => {
    const first = await startWorker({ databaseUrl });
    const second = await startWorker({ databaseUrl });
    expect(first.started).not.toBeInstanceOf(Error);
    expect(second.started).not.toBeInstanceOf(Error);

    const other = await startWorker({ databaseUrl: undefined, dataDir: embeddedDir });
    expect(other.started).toBeInstanceOf(LedgerMismatchError);
    expect((other.started as Error).message).toContain(ledgerIdentityWorkflowId(stack.config.temporal.taskQueue));
    expect(other.logged.filter((l) => l.msg === 'ledger mismatch' && l.level >= 50)).toHaveLength(1);

    // The register holds the first ledger's id.
    const store = await openStore({ databaseUrl });
    const registered = await stack.client.workflow.getHandle(ledgerIdentityWorkflowId(stack.config.temporal.taskQueue)).describe();
    expect(registered.memo?.ledgerId).toBe(await store.ledgerId());
    await store.close();
  });

  it('accepts another ledger once an operator has terminated the register', async () => {
    await stack.client.workflow
      .getHandle(ledgerIdentityWorkflowId(stack.config.temporal.taskQueue))
      .terminate('test: the ledger is replaced on purpose');
    const other = await startWorker({ databaseUrl: undefined, dataDir: embeddedDir });
    expect(other.started).not.toBeInstanceOf(Error);
    const back = await startWorker({ databaseUrl });
    expect(back.started).toBeInstanceOf(LedgerMismatchError);
  });
});
