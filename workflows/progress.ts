// Live progress of a ledger-backed campaign for the Web UI: "已检查 231/300 家，逾期 4 家".
import { setCurrentDetails } from '@temporalio/workflow';
import { FINAL_STAGES, STAGE_LABELS, type InspectionStage } from '../domain/inspection';
import type { CampaignProgress } from '../records/types';
import { runActivity, runLocalActivity } from './activities';

/** Members whose inspection has findings or a later outcome. */
export function inspectedCount(p: CampaignProgress): number {
  const pending = (p.byStage.assigned ?? 0) + (p.byStage.overdue ?? 0) + (p.byStage.unreported ?? 0);
  return p.members - p.notStarted - pending;
}

/** Members whose inspection has ended (nothing more happens in it). */
export function finishedCount(p: CampaignProgress): number {
  return FINAL_STAGES.reduce((n, stage) => n + (p.byStage[stage] ?? 0), 0);
}

/**
 * Reads the campaign's progress from the ledger and shows it as the workflow's current details. `local` reads it in a
 * local activity (a marker in the history instead of three events and a round trip): for campaigns that refresh often.
 */
export async function showCampaignProgress(
  campaignId: string,
  headline: string,
  options: { local?: boolean } = {},
): Promise<CampaignProgress> {
  const progress = options.local
    ? await runLocalActivity('campaignProgress', '统计检查进度', campaignId)
    : await runActivity('campaignProgress', '统计检查进度', campaignId);
  const overdue = progress.byStage.overdue ?? 0;
  setCurrentDetails(
    `${headline}\n\n已检查 ${inspectedCount(progress)}/${progress.members} 家，逾期 ${overdue} 家\n\n` +
      Object.entries(progress.byStage)
        .map(([stage, n]) => `- ${STAGE_LABELS[stage as InspectionStage]}：${n}`)
        .join('\n'),
  );
  return progress;
}
