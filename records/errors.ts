// Errors by which the ledger refuses data that no retry can mend. Activities turn them (and the database's own data
// and integrity errors) into non-retryable failures: see activities/failures.ts.

/** Data the ledger cannot hold as given (an amount beyond the safe-integer range, a value it must refuse). */
export class LedgerDataError extends Error {
  override name = 'LedgerDataError';
}

/**
 * A write the ledger refuses because it contradicts what is already recorded under the same key (e.g. a payment key
 * reused for another amount): a caller's mistake that no retry can mend.
 */
export class LedgerConflictError extends LedgerDataError {
  override name = 'LedgerConflictError';
}
