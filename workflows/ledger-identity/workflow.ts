// The register of which ledger a task queue's workers use (workers/ledger-identity.ts): one long-lived workflow per
// task queue, `ledger:{taskQueue}`, whose memo holds the ledger's id. It does nothing but stay open, so that every
// worker starting later can compare its own ledger with it; terminating it is how an operator accepts a new ledger.
import { makeContinueAsNewFunc, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { LedgerIdentityInput, ledgerIdQuery } from './api';

/** How long one run stays open before it continues as new (its history stays a few events long). */
const RUN_FOR = '365 days';

export async function ledgerIdentity(input: LedgerIdentityInput): Promise<void> {
  setHandler(ledgerIdQuery, () => input.ledgerId);
  await sleep(RUN_FOR, { summary: '台账标识：一年后续期' });
  await makeContinueAsNewFunc<typeof ledgerIdentity>({ memo: workflowInfo().memo })(input);
}
