// An inspection campaign over a list of institutions: records the campaign and its draw seed, starts one inspection
// per institution as a child (each with its own deadline, reminders and escalation), and shows live progress. A
// campaign launched from a file takes its own path (./from-file.ts): its input says which, so a history recorded with
// the list replays the list's commands.
import { setCurrentDetails, setHandler, startChild, uuid4, workflowInfo, type ChildWorkflowHandle } from '@temporalio/workflow';
import { FINAL_STAGES, STAGE_LABELS, type InspectionStage } from '../../domain/inspection';
import { concludedCount } from '../../domain/inspection-progress';
import { runActivity } from '../activities';
import { inspection } from '../inspection/workflow';
import { inspectionStageChangedSignal } from '../inspection/api';
import { CAMPAIGN_STAGE_LABELS } from '../../domain/stages';
import { setsWebUiLabels, upsertWithLabels } from '../upsert';
import { inspectionStartOptions, type InspectionContext } from '../inspection/start';
import { CampaignInput, CampaignStatus, campaignStatusQuery, isFileCampaign, type FileCampaignInput, type FileCampaignStatus } from './api';
import { campaignFromFile } from './from-file';

export async function inspectionCampaign(input: CampaignInput | FileCampaignInput): Promise<CampaignStatus | FileCampaignStatus> {
  return isFileCampaign(input) ? campaignFromFile(input) : listCampaign(input);
}

async function listCampaign(input: CampaignInput): Promise<CampaignStatus> {
  const { campaign, jurisdiction } = input;
  const stages = new Map<string, { stage: InspectionStage; overdue: boolean }>();
  let drawSeed = '';
  const status = (): CampaignStatus => {
    const byStage: Partial<Record<InspectionStage, number>> = {};
    for (const { stage } of stages.values()) byStage[stage] = (byStage[stage] ?? 0) + 1;
    return {
      campaignId: campaign.id,
      drawSeed,
      total: input.institutions.length,
      byStage,
      overdue: [...stages].filter(([, s]) => s.overdue && !FINAL_STAGES.includes(s.stage)).map(([id]) => id),
      finished: concludedCount([...stages.values()].map((s) => s.stage)),
    };
  };
  const showProgress = () => {
    const s = status();
    const inspected = input.institutions.length - (s.byStage.assigned ?? 0) - (s.byStage.overdue ?? 0) - (s.byStage.unreported ?? 0);
    setCurrentDetails(
      `已检查 ${inspected}/${s.total} 家，逾期 ${s.overdue.length} 家，已办结 ${s.finished} 家\n\n` +
        Object.entries(s.byStage)
          .map(([stage, n]) => `- ${STAGE_LABELS[stage as InspectionStage]}：${n}`)
          .join('\n'),
    );
  };
  setHandler(campaignStatusQuery, status);
  setHandler(inspectionStageChangedSignal, ({ institutionId, stage, overdue }) => {
    stages.set(institutionId, { stage, overdue });
    showProgress();
  });

  // The draw seed is generated once (deterministically, by Temporal) and recorded; a re-registration keeps the first.
  const registered = await runActivity(
    'registerCampaign',
    '登记检查活动与抽取种子',
    {
      id: campaign.id,
      jurisdiction: jurisdiction.code,
      kind: campaign.kind,
      title: campaign.title,
      year: campaign.year,
      startsAt: new Date().toISOString(),
      dueAt: campaign.dueAt,
      drawSeed: uuid4(),
    },
    input.institutions.map(({ id, name, kind, level, ownership, district }) => ({
      jurisdiction: jurisdiction.code,
      id,
      name,
      kind,
      level,
      ownership,
      district,
    })),
    {
      key: `${workflowInfo().workflowId}:registered`,
      actor: 'system',
      action: 'campaign-registered',
      subjectType: 'campaign',
      subjectId: campaign.id,
      reason: campaign.title,
      detail: { institutions: input.institutions.length },
      at: new Date().toISOString(),
    },
  );
  drawSeed = registered.drawSeed;
  upsertWithLabels({ stage: 'running' }, { stageLabel: CAMPAIGN_STAGE_LABELS.running });
  showProgress();

  const handles: ChildWorkflowHandle<typeof inspection>[] = [];
  const context: InspectionContext = { ...input, drawSeed, reportToParent: true };
  for (const institution of input.institutions) {
    stages.set(institution.id, { stage: 'assigned', overdue: false });
    handles.push(await startChild(inspection, inspectionStartOptions(context, institution, setsWebUiLabels())));
  }
  showProgress();
  // One failed inspection (e.g. no conflict-free team) must not stop the others; it stays visible as failed in the UI.
  await Promise.allSettled(handles.map((handle) => handle.result()));
  upsertWithLabels({ stage: 'completed' }, { stageLabel: CAMPAIGN_STAGE_LABELS.completed });
  showProgress();
  return status();
}
