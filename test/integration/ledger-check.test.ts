// A campaign activity on a worker whose ledger does not hold the campaign refuses to answer (an empty membership would
// end the campaign as if nobody were in it): it fails retryably with LedgerMismatch and tells the worker to stop. On
// the ledger that holds it, it answers. The real activity over an embedded PGlite ledger.
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoverageActivities } from '../../activities/coverage';
import { ledgerAreas } from '../helpers/ledger-areas';
import { LEDGER_MISMATCH } from '../../activities/ledger-check';
import { openStore, type SqlStore } from '../../records/store';

let store: SqlStore;
beforeAll(async () => {
  store = await openStore({});
});
afterAll(async () => {
  await store.close();
});

describe('a campaign activity on another ledger', () => {
  it('fails retryably naming the campaign and the ledger, and tells the worker; answers where the campaign is', async () => {
    const told: Array<{ campaignId: string; ledgerId: string }> = [];
    const { campaignProgress, prepareCampaign } = createCoverageActivities({
      ...ledgerAreas(store),
      send: async () => undefined,
      onLedgerMismatch: (d) => told.push(d),
    });
    const error = await campaignProgress('349901-coverage-2027').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: LEDGER_MISMATCH, nonRetryable: false });
    const ledgerId = await store.ledgerId();
    expect((error as Error).message).toContain(ledgerId);
    expect(told).toEqual([{ campaignId: '349901-coverage-2027', ledgerId }]);

    await prepareCampaign({
      id: '349901-coverage-2027',
      jurisdiction: '349901',
      kind: 'coverage',
      title: '2027年全覆盖现场检查',
      year: 2027,
      startsAt: '2027-01-01T00:00:00+08:00',
      dueAt: '2027-07-31T23:59:00+08:00',
      drawSeed: 's',
    });
    expect(await campaignProgress('349901-coverage-2027')).toMatchObject({ members: 0 });
    expect(told).toHaveLength(1);
  });

  it('gives every new ledger an identity of its own', async () => {
    const id = await store.ledgerId();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const other = await openStore({});
    expect(await other.ledgerId()).not.toBe(id);
    await other.close();
  });
});
