// Reading the ledger (台账) from the command line. A PostgreSQL ledger (DATABASE_URL) is opened here. The embedded
// PGlite ledger under var/records is a single-process database that belongs to the running worker, and opening its
// directory from a second process corrupts it (PGlite takes no lock, see electric-sql/pglite#1106): then each read is
// asked of the running worker, as a short `readLedger` workflow (workflows/ledger-requests.ts). When no worker
// answers, the commands fall back to what Temporal knows (status queries, visibility) and say so.
import { randomBytes } from 'node:crypto';
import { LEDGER_READS, type LedgerRead, type LedgerReader } from '../activities/ledger';
import type { RuntimeConfig } from '../config';
import { openStore } from '../records';
import { readLedger } from '../workflows/ledger-requests';
import { UsageError } from './context';
import { NoWorkerError, runThroughWorker } from './worker-request';

export type { LedgerReader } from '../activities/ledger';

/** How long a read waits for the worker: it answers in well under a second when it runs. */
const READ_TIMEOUT = '20 seconds';

export const NO_LEDGER_NOTE = `no worker answered within ${READ_TIMEOUT} to read its embedded ledger (is \`npm start\` running?); with DATABASE_URL (PostgreSQL) the CLI reads the ledger itself`;

/** Whether the CLI opens the ledger itself (PostgreSQL) rather than asking the worker. */
export function ledgerReadable(config: RuntimeConfig): boolean {
  return Boolean(config.databaseUrl);
}

/** Where `withLedger` reads, for the commands' notes. */
export function ledgerSource(config: RuntimeConfig): string {
  return ledgerReadable(config) ? 'the ledger (DATABASE_URL)' : "the running worker's embedded ledger";
}

/** The ledger read through the running worker; after one read found no worker, the others fail at once. */
function workerLedger(config: RuntimeConfig): LedgerReader {
  let noWorker: NoWorkerError | undefined;
  const read = (method: LedgerRead) => async (...args: unknown[]) => {
    if (noWorker) throw noWorker;
    try {
      const id = `ledger-read:${method}:${randomBytes(6).toString('hex')}`;
      return (await runThroughWorker(config, readLedger, id, [{ method, args }], `读取台账 ${method}`, READ_TIMEOUT)) ?? undefined;
    } catch (error) {
      if (error instanceof NoWorkerError) noWorker = error;
      throw error;
    }
  };
  return Object.fromEntries(LEDGER_READS.map((method) => [method, read(method)])) as unknown as LedgerReader;
}

/**
 * Runs `fn` with the ledger: PostgreSQL (DATABASE_URL, closed afterwards) or the running worker's. Undefined when no
 * worker answered, so that the caller can fall back to what Temporal knows.
 */
export async function withLedger<T>(config: RuntimeConfig, fn: (ledger: LedgerReader) => Promise<T>): Promise<T | undefined> {
  if (!ledgerReadable(config)) {
    try {
      return await fn(workerLedger(config));
    } catch (error) {
      if (error instanceof NoWorkerError) return undefined;
      throw error;
    }
  }
  const store = await openStore({ databaseUrl: config.databaseUrl }).catch((error: Error) => {
    throw new UsageError(`cannot open the ledger (DATABASE_URL): ${error.message}`);
  });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
