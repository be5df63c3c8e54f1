// The usual set-up of a ledger test block: one isolated store on a backend (./db.ts), opened and seeded before the
// block's tests, closed and dropped after them; and an institution as the plan loads it into the ledger.
import { afterAll, beforeAll } from 'vitest';
import { openStore, type SqlStore } from '../../records/store';
import type { InstitutionRecord } from '../../records/types';
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

/** The sample plan's first hospital as the ledger holds it, with `over` changed. */
export const ledgerInstitution = (over: Partial<InstitutionRecord> = {}): InstitutionRecord => ({
  jurisdiction: '349901',
  id: 'H001',
  name: '清溪区人民医院',
  kind: 'hospital',
  level: 'III',
  ownership: 'public',
  district: '城关街道',
  responsibleUnitId: 'fund-supervision',
  ...over,
});
