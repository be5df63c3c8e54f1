// What every area of the ledger shares: the mapping of database values to record fields, the guard on amounts in fen,
// and the transaction-scoped advisory lock. One copy here, so both backends read and write every area alike.
import type { Db } from '../db';
import { LedgerDataError } from '../errors';

export type Timestamp = Date | string;
/** pg and PGlite both return timestamptz as Date; normalise to ISO-8601 whatever arrives. */
export const iso = (v: Timestamp): string => new Date(v).toISOString();
export const isoOrNull = (v: Timestamp | null): string | null => (v === null ? null : iso(v));
/** jsonb parameters go in as text and are cast in SQL, which both drivers pass through unchanged. */
export const json = (v: unknown): string => JSON.stringify(v);

/** A bigint amount column as either driver returns it. */
export type FenColumn = string | number | bigint;

/**
 * An amount in fen as a JS number. bigint columns arrive as strings (pg), numbers or bigints (PGlite), sums as numeric
 * strings; anything beyond Number.MAX_SAFE_INTEGER would lose precision, so it is refused rather than rounded.
 */
export function toFen(v: FenColumn, what = 'amount'): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new LedgerDataError(`${what} ${String(v)} fen is not a safe integer`);
  return n;
}
/** An amount about to be written: an integer the database can hold exactly and JS can read back exactly. */
export function fenParam(v: number, what: string): number {
  if (!Number.isSafeInteger(v)) throw new LedgerDataError(`${what} must be a safe integer amount in fen, got ${String(v)}`);
  return v;
}

/**
 * Serialises the writers of one business key until the transaction ends, for keys that may have no row to lock yet.
 * A hash collision only makes unrelated writers wait for each other.
 */
export async function advisoryXactLock(tx: Db, key: unknown[]): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [JSON.stringify(key)]);
}

/**
 * `WHERE jurisdiction = $1 AND …` for the filters given (undefined ones left out, so each combination can use its
 * index), with its parameters.
 */
export function whereEqual(jurisdiction: string, filters: Array<[column: string, value: unknown]>): { where: string; params: unknown[] } {
  const params: unknown[] = [jurisdiction];
  const conditions = ['jurisdiction = $1'];
  for (const [column, value] of filters) {
    if (value === undefined) continue;
    params.push(value);
    conditions.push(`${column} = $${params.length}`);
  }
  return { where: conditions.join(' AND '), params };
}
