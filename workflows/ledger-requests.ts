// Ledger work the CLI asks the worker to do when it cannot open the ledger itself: the embedded PGlite ledger belongs
// to the running worker (cli/ledger.ts), so without DATABASE_URL `jianguan risk import` and the CLI's ledger reads
// (`case list|show`, `points show`, `draw export`) run one of these short workflows, whose activity writes or reads
// the worker's ledger. One activity each; the payloads are validated again in the activity.
import type { LedgerReadRequest } from '../activities/ledger';
import type { RiskImportResult } from '../records/types';
import type { RiskSignalRow } from '../domain/risk';
import { runActivity } from './activities';

export interface ImportRiskSignalsInput {
  jurisdiction: string;
  rows: RiskSignalRow[];
}

/** `jianguan risk import` through the worker: fails (nothing written) when a reference conflicts. */
export async function importRiskSignals(input: ImportRiskSignalsInput): Promise<RiskImportResult> {
  return runActivity('importRiskSignals', `导入风险信号 ${input.rows.length} 条`, input);
}

/** One ledger read for the CLI (cli/ledger.ts), e.g. `listCases`: what the store returns, null for an absent row. */
export async function readLedger(request: LedgerReadRequest): Promise<unknown> {
  return runActivity('readLedger', `读取台账 ${request.method}`, request);
}
