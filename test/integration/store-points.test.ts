// The record system's points part (migration 0006) against both backends: a practitioner's standing per year, saved
// with its audit entry, where a late retry of an older version changes nothing and the database refuses a standing
// that contradicts itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type SqlStore } from '../../records/store';
import type { AuditEntry, PointsStatusRecord } from '../../records/types';
import { BACKENDS, isolatedStoreOptions } from '../helpers/db';

const standing = (over: Partial<PointsStatusRecord> = {}): PointsStatusRecord => ({
  practitionerId: 'D0123',
  year: 2027,
  total: 9,
  eligibility: 'suspended',
  suspendedUntil: '2027-08-06T02:00:00.000Z',
  barredUntil: null,
  closed: false,
  version: 2,
  updatedAt: '2027-05-06T02:00:00.000Z',
  ...over,
});

const audit = (key: string, action: string): AuditEntry => ({
  key,
  actor: 'system',
  action,
  subjectType: 'practitioner',
  subjectId: 'D0123',
  reason: action,
  detail: {},
  at: '2027-05-06T02:00:00.000Z',
});

describe.each(BACKENDS)('points standing on %s', (backend) => {
  let store: SqlStore;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const place = await isolatedStoreOptions(backend);
    cleanup = place.cleanup;
    store = await openStore(place.options);
  });
  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });

  it('keeps the latest version per practitioner and year, with each audit entry once', async () => {
    await store.savePointsStatus(standing(), audit('points:D0123:2027:deduct:k2', 'points-suspended'));
    const lifted = standing({ eligibility: 'eligible', suspendedUntil: null, version: 3, updatedAt: '2027-08-06T02:00:00.000Z' });
    await store.savePointsStatus(lifted, audit('points:D0123:2027:lifted', 'points-lifted'));
    // A late retry of the older save: the row stays as it is; its audit key was taken already.
    await store.savePointsStatus(standing(), audit('points:D0123:2027:deduct:k2', 'points-suspended'));
    expect(await store.getPointsStatus('D0123', 2027)).toEqual(lifted);
    expect((await store.listAudit('D0123')).map((a) => a.action)).toEqual(['points-suspended', 'points-lifted']);
    // Another year is another row; a save without an audit entry only saves the standing.
    await store.savePointsStatus(standing({ year: 2028, total: 0, version: 1 }));
    expect(await store.getPointsStatus('D0123', 2028)).toMatchObject({ total: 0, eligibility: 'suspended' });
    expect(await store.getPointsStatus('D0999', 2027)).toBeUndefined();
  });

  it('refuses a standing that contradicts itself', async () => {
    await expect(store.savePointsStatus(standing({ practitionerId: 'D0124', suspendedUntil: null }))).rejects.toThrow();
    await expect(
      store.savePointsStatus(standing({ practitionerId: 'D0124', eligibility: 'ended', suspendedUntil: null })),
    ).rejects.toThrow();
    expect(await store.getPointsStatus('D0124', 2027)).toBeUndefined();
  });
});
