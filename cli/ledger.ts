// Reading the ledger (台账) from the command line. Only a PostgreSQL ledger (DATABASE_URL) is opened here: the embedded
// PGlite ledger under var/records is a single-process database that belongs to the running worker, and opening its
// directory from a second process corrupts it (PGlite takes no lock, see electric-sql/pglite#1106). Without
// DATABASE_URL the commands fall back to what Temporal knows (status queries, visibility) and say so.
import type { RuntimeConfig } from '../config';
import { openStore, type Store } from '../records';
import { UsageError } from './context';

/** What the CLI reads from the ledger (a subset of records' Store). */
export type LedgerReader = Pick<Store, 'listCases' | 'getCase' | 'listAudit' | 'listPayments' | 'listReferrals' | 'listPointsDeductions' | 'getPointsStatus' | 'getFlyingDraw'>;

export const NO_LEDGER_NOTE = 'the ledger is the embedded PGlite database of the running worker, which no second process may open; set DATABASE_URL (PostgreSQL) to read it from the CLI';

/** Whether the CLI may open the ledger with these settings. */
export function ledgerReadable(config: RuntimeConfig): boolean {
  return Boolean(config.databaseUrl);
}

/** Runs `fn` with the PostgreSQL ledger, closing it afterwards; undefined (fn not run) without DATABASE_URL. */
export async function withLedger<T>(config: RuntimeConfig, fn: (ledger: LedgerReader) => Promise<T>): Promise<T | undefined> {
  if (!ledgerReadable(config)) return undefined;
  const store = await openStore({ databaseUrl: config.databaseUrl }).catch((error: Error) => {
    throw new UsageError(`cannot open the ledger (DATABASE_URL): ${error.message}`);
  });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
