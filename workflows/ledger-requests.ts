// Ledger work the CLI asks the worker to do when it cannot open the ledger itself: the embedded PGlite ledger belongs
// to the running worker (cli/ledger.ts), so without DATABASE_URL `jianguan risk import` and `jianguan draw export`
// run one of these short workflows, whose activity reads or writes the worker's ledger. One activity each; the
// payloads are validated again in the activity. Ids are business keys (see cli/risk.ts, cli/draw.ts).
import type { FlyingDrawRecord, RiskImportResult } from '../records/types';
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

/** `jianguan draw export` through the worker: the campaign's recorded draw, or null when it has none. */
export async function exportFlyingDraw(input: { campaignId: string }): Promise<FlyingDrawRecord | null> {
  return runActivity('getFlyingDraw', `读取抽取记录 ${input.campaignId}`, input.campaignId);
}
