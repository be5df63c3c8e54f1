// The ledger register's api: its input, workflow id and query.
import { defineQuery } from '@temporalio/workflow';

export interface LedgerIdentityInput {
  ledgerId: string;
}

export const ledgerIdQuery = defineQuery<string>('ledgerId');

/** The workflow type's name and signature, to start it by name from outside the workflow bundle. */
export const LEDGER_IDENTITY_WORKFLOW_TYPE = 'ledgerIdentity';
export type LedgerIdentityWorkflow = (input: LedgerIdentityInput) => Promise<void>;
