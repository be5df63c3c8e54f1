// Which activity errors no retry can mend. Data the ledger refuses (an amount past the safe-integer range, a NUL in a
// name, a broken reference) fails the same way on every attempt: retried forever it would only show "running". Such
// an error becomes a non-retryable failure of type PERMANENT_DATA_ERROR, which ends the workflow's step visibly
// (workflows/activities.ts). Everything else (the database or the mail server unreachable, a timeout) stays retryable
// on the workflows' bounded schedule.
import { ApplicationFailure } from '@temporalio/common';
import { LedgerDataError } from '../records/errors';
import { PERMANENT_DATA_ERROR } from '../workflows/failure-types';

/**
 * SQLSTATE classes of errors in the statement's data, not in the server's state (PostgreSQL appendix A): 22 data
 * exception, 23 integrity constraint violation, 42 syntax error or access rule violation.
 */
const PERMANENT_SQLSTATE_CLASSES = ['22', '23', '42'];

/** The SQLSTATE of a PostgreSQL or PGlite error, when it has one. */
function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The error as a non-retryable failure when no retry can mend it; otherwise the error itself. */
export function classifyActivityError(error: unknown): unknown {
  if (error instanceof ApplicationFailure) return error;
  if (error instanceof LedgerDataError)
    return ApplicationFailure.create({ message: error.message, type: PERMANENT_DATA_ERROR, nonRetryable: true, cause: error });
  const state = sqlState(error);
  if (state && PERMANENT_SQLSTATE_CLASSES.includes(state.slice(0, 2))) {
    // The message names the rule that was broken (a constraint, an encoding), never the row's values.
    return ApplicationFailure.create({
      message: `the ledger refused the data (SQLSTATE ${state}): ${(error as Error).message}`,
      type: PERMANENT_DATA_ERROR,
      nonRetryable: true,
    });
  }
  return error;
}

type AsyncFunctions = Record<string, (...args: never[]) => Promise<unknown>>;

/** The same activities, each failing non-retryably on an error that no retry can mend. */
export function failingPermanently<T extends AsyncFunctions>(activities: T): T {
  const wrapped = Object.entries(activities).map(([name, fn]) => [
    name,
    async (...args: never[]) => {
      try {
        return await fn(...args);
      } catch (error) {
        throw classifyActivityError(error);
      }
    },
  ]);
  return Object.fromEntries(wrapped) as T;
}
