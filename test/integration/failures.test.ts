// Which activity errors end a step for good: the database's own data and integrity errors (as each backend raises
// them) and the ledger's refusals become non-retryable PermanentDataError failures; an outage stays retryable.
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyActivityError, failingPermanently } from '../../activities/failures';
import { LedgerConflictError } from '../../records/errors';
import { openStore, type SqlStore } from '../../records/store';
import { PERMANENT_DATA_ERROR } from '../../workflows/failure-types';
import { BACKENDS, isolatedStoreOptions } from '../helpers/db';

const permanent = (error: unknown) => {
  const classified = classifyActivityError(error);
  return classified instanceof ApplicationFailure && classified.type === PERMANENT_DATA_ERROR && classified.nonRetryable;
};

describe.each(BACKENDS)('errors of the %s ledger', (backend) => {
  let store: SqlStore;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const isolated = await isolatedStoreOptions(backend);
    cleanup = isolated.cleanup;
    store = await openStore(isolated.options);
  });
  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });

  const failure = (sql: string, params: unknown[] = []) =>
    store.db.query(sql, params).then(
      () => undefined,
      (e: unknown) => e,
    );

  it('ends the step on a foreign-key violation (23503), naming the constraint', async () => {
    const error = await failure(
      `INSERT INTO findings (inspection_id, inspector_id, inspected_at, violation, items, note, recorded_at) VALUES ('no-such-inspection', 'I01', now(), false, '[]', '', now())`,
    );
    expect((error as { code?: string }).code).toBe('23503');
    expect(permanent(error)).toBe(true);
    expect((classifyActivityError(error) as Error).message).toMatch(/SQLSTATE 23503/);
  });

  it('ends the step on text the database cannot store (a NUL character)', async () => {
    const error = await failure('SELECT $1::text AS t', ['name\u0000']);
    expect((error as { code?: string }).code).toMatch(/^22/);
    expect(permanent(error)).toBe(true);
  });
});

describe('errors that are not about the data', () => {
  it('keeps an outage retryable, and the ledger’s own refusals permanent', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(classifyActivityError(refused)).toBe(refused);
    const shutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    expect(classifyActivityError(shutdown)).toBe(shutdown);
    expect(permanent(new LedgerConflictError('payment key PAY-1 is already recorded'))).toBe(true);
    const failure = ApplicationFailure.retryable('as it was', 'Other');
    expect(classifyActivityError(failure)).toBe(failure);
  });

  it('wraps every activity, keeping its result', async () => {
    const activities = failingPermanently({
      ok: async (n: number) => n + 1,
      broken: async () => {
        throw new LedgerConflictError('reused key');
      },
    });
    expect(await activities.ok(1)).toBe(2);
    await expect(activities.broken()).rejects.toMatchObject({ type: PERMANENT_DATA_ERROR, nonRetryable: true });
  });
});
