// The second line of the shared-ledger rule (the first: workers/ledger-identity.ts at start). An activity that works
// on a campaign must find it in its own ledger: every campaign is registered there before its members are worked on,
// so a campaign this ledger does not know means this worker opened another ledger than the one the campaign was
// registered in. Answering from it (no members, nothing in progress) would end the campaign as if it were empty; the
// activity fails instead (retryable: a worker on the right ledger takes the retry) and the worker is told to stop.
import { ApplicationFailure } from '@temporalio/common';
import type { CampaignLedger, LedgerIdentity } from '../records/types';

export const LEDGER_MISMATCH = 'LedgerMismatch';

export type OnLedgerMismatch = (detail: { campaignId: string; ledgerId: string }) => void;

/** The ledger areas the check reads: the campaign, and the ledger's identity to name in the failure. */
export interface LedgerCheckAreas {
  campaigns: CampaignLedger;
  identity: LedgerIdentity;
}

export function campaignLedgerCheck({ campaigns, identity }: LedgerCheckAreas, onMismatch?: OnLedgerMismatch) {
  return async function assertCampaignInLedger(campaignId: string): Promise<void> {
    if (await campaigns.getCampaign(campaignId)) return;
    const ledgerId = await identity.ledgerId();
    onMismatch?.({ campaignId, ledgerId });
    throw ApplicationFailure.create({
      type: LEDGER_MISMATCH,
      message: `campaign ${campaignId} is not in this worker's ledger (${ledgerId}): the worker opened another ledger than its task queue's other workers`,
    });
  };
}
