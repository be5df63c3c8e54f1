// `jianguan campaign status` of a re-check campaign (抽查复查, domain/recheck.ts): its recorded sample and, once its
// inspections are over, the comparison of its findings with the district's, from the ledger.
import type { RuntimeConfig } from '../../config';
import { publishedRecheckText, RECHECK_OUTCOME_LABELS, RECHECK_THIRD_LABELS } from '../../domain/recheck';
import { recheckFiguresText } from '../../domain/recheck-messages';
import type { CampaignProgress } from '../../records/types';
import { withLedger } from '../ledger';

export async function recheckStatusLines(config: RuntimeConfig, id: string, progress: CampaignProgress): Promise<string[]> {
  const read = await withLedger(config, async (store) => ({
    draw: await store.getRecheckDraw(id),
    compared: await store.getRecheckSummary(id),
  }));
  if (!read?.draw) return ['sample: not drawn yet (drawn when the first phase starts)'];
  const lines = [
    ...publishedRecheckText(read.draw).split('\n'),
    `inspections of the sample: ${progress.members} frozen, ${progress.notStarted} not started yet`,
  ];
  if (!read.compared) return [...lines, 'comparison with the districts’ findings: when the re-check’s inspections are over'];
  const { summary } = read.compared;
  return [
    ...lines,
    `comparison: ${recheckFiguresText(summary)}`,
    ...summary.lines.map((l) => `  ${l.institutionId} (${RECHECK_THIRD_LABELS[l.third]}): ${RECHECK_OUTCOME_LABELS[l.outcome]}`),
  ];
}
