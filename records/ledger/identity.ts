// The ledger's identity (0009): a random id written once when the ledger was created. Workers of one task queue must
// share one ledger; comparing this id is how they find out (workers/ledger-identity.ts, activities/ledger-check.ts).
import type { Db } from '../db';

export interface LedgerIdentity {
  /** The ledger's identity, written once when it was created (0009): workers of one task queue must share it. */
  ledgerId(): Promise<string>;
}

export function createLedgerIdentity(db: Db): LedgerIdentity {
  return {
    async ledgerId() {
      const [row] = await db.query<{ id: string }>('SELECT id::text AS id FROM ledger_identity');
      return row.id;
    },
  };
}
