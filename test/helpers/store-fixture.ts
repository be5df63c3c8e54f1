// The usual set-up of a ledger test block: one isolated store on a backend (./db.ts), opened and seeded before the
// block's tests, closed and dropped after them.
import { afterAll, beforeAll } from 'vitest';
import { openStore, type SqlStore } from '../../records/store';
import { isolatedStoreOptions, type Backend } from './db';

/** Opens an isolated store on `backend` before the block's tests and hands it to `seed`; closes and drops it after. */
export function useIsolatedStore(backend: Backend, seed: (store: SqlStore) => Promise<void>, timeoutMs?: number): void {
  let store: SqlStore | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const isolated = await isolatedStoreOptions(backend);
    cleanup = isolated.cleanup;
    store = await openStore(isolated.options);
    await seed(store);
  }, timeoutMs);
  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });
}
