// The worker's ledger read for the CLI (activities/ledger.ts readLedger): a request from another process reads, and
// only reads. A write method or a malformed request is refused naming the field; an absent row comes back as null.
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedgerActivities } from '../../activities/ledger';
import { openStore, type SqlStore } from '../../records';
import type { ReferralRecord, Store } from '../../records/types';

let store: SqlStore;
beforeAll(async () => {
  store = await openStore({});
});
afterAll(async () => {
  await store?.close();
});

describe('readLedger', () => {
  it('answers a read, null for an absent row', async () => {
    const { readLedger } = createLedgerActivities(store);
    expect(await readLedger({ method: 'listCases', args: [{ jurisdiction: '349901' }] })).toEqual([]);
    expect(await readLedger({ method: 'getCase', args: ['case:349901:NONE'] })).toBeNull();
  });

  it('refuses anything but a read, and writes nothing', async () => {
    const { readLedger } = createLedgerActivities(store);
    const audit = { key: 'k', actor: 'x', action: 'a', subjectType: 'case', subjectId: 'S1', reason: 'r', detail: {}, at: new Date().toISOString() };
    for (const request of [{ method: 'appendAudit', args: [audit] }, { method: 'listCases', args: 'x' }, null]) {
      const error = await readLedger(request as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApplicationFailure);
      expect((error as ApplicationFailure).nonRetryable).toBe(true);
      expect((error as ApplicationFailure).message).toMatch(/^readLedger: method must be one of listCases, getCase, .* with args an array/);
    }
    expect(await store.listAudit('S1')).toEqual([]);
  });

  it('answers referrals with the flagged persons’ roles, not their names (the CLI counts them)', async () => {
    const referral = { caseId: 'case:349901:C1', agency: 'discipline', persons: [{ name: '某某', role: '院长' }] } as unknown as ReferralRecord;
    // The store at the edge: what is under test is what the activity hands to Temporal.
    const { readLedger } = createLedgerActivities({ listReferrals: async () => [referral] } as unknown as Store);
    const answer = await readLedger({ method: 'listReferrals', args: ['case:349901:C1'] });
    expect(answer).toEqual([{ ...referral, persons: [{ name: '', role: '院长' }] }]);
    expect(JSON.stringify(answer)).not.toContain('某某');
  });
});
