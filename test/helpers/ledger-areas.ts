// The one store a test opened, as every ledger area an activity factory may ask for (activities/index.ts passes each
// factory only its own; a test may hand over all of them and let the factory's type take what it uses).
import type { Store } from '../../records/types';

export function ledgerAreas(store: Store) {
  return {
    identity: store,
    institutions: store,
    campaigns: store,
    inspections: store,
    riskSignals: store,
    flying: store,
    cases: store,
    points: store,
    closureReview: store,
    summary: store,
    audit: store,
    notifications: store,
  };
}
