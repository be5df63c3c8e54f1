// PostgreSQL stopped for a minute (fast shutdown: the workers' pooled connections get 57P01) while the demo campaign's
// notices go out, then started again: the campaign settles with one run per id and every notice delivered once
// (issue 9 defect 4: a notice delivered while the ledger could not mark it sent went out again on the retry), and
// both worker processes still run (defect 8: an error on a pooled connection must not end the process).
import { afterAll, beforeAll, describe, it } from 'vitest';
import { demoCampaignThrough, FAULT_TEST_TIMEOUT_MS } from './demo-campaign';

let campaign: Awaited<ReturnType<typeof demoCampaignThrough>>;

beforeAll(async () => {
  campaign = await demoCampaignThrough('PostgreSQL down for 60 s', { begin: ({ ledger }) => ledger.stop(), end: ({ ledger }) => ledger.start() });
});

afterAll(async () => {
  await campaign?.close();
});

describe('PostgreSQL down for a minute while notices go out', () => {
  it('loses no notice and sends none twice; the workers live through it', { timeout: FAULT_TEST_TIMEOUT_MS }, () => campaign.run());
});
