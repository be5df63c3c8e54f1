// A targeted campaign launched from a file (专项检查, `jianguan campaign start FILE`): the file recorded in the ledger at
// once; at its first phase's start the targets its selectors pick are frozen there, and their on-site inspections are
// started page by page like full coverage's (workflows/fan-out.ts), each its own workflow found by its CampaignId;
// progress is re-read from the ledger until every inspection has ended or the late window after the last phase has
// passed. Cancelled (`jianguan campaign cancel`), it withdraws the inspections not yet made and ends as cancelled.
// A re-check (kind `recheck`, ./recheck.ts) draws its targets from the year's finished inspections instead of
// selecting them, and compares its findings with the district's at the end.
import {
  CancellationScope,
  isCancellation,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { PlanDigest } from '../../activities/plan';
import { dayInstant } from '../../domain/campaign-file';
import { daysLaterAt, formatLocal } from '../../domain/calendar';
import { DEFAULT_PAGE_SIZE } from '../coverage/api';
import { runActivity, runPageActivity } from '../activities';
import { startInspectionPages } from '../fan-out';
import { contextFromPlan } from '../inspection/start';
import { finishedCount, showCampaignProgress } from '../progress';
import { searchAttributes, type SearchAttributeValues } from '../search-attributes';
import { FILE_CAMPAIGN_STAGE_LABELS } from '../../domain/stages';
import { msUntil } from '../waiting';
import { compareFindings, drawSample, recheckClaim } from './recheck';
import { campaignFileRecord, fileCampaignStatusQuery, type FileCampaignInput, type FileCampaignStatus } from './api';

export async function campaignFromFile(input: FileCampaignInput): Promise<FileCampaignStatus> {
  const { file } = input;
  const plan = await runActivity('loadPlanDigest', '读取监管计划', input.jurisdiction);
  const tz = plan.jurisdiction.timeZone;
  const record = campaignFileRecord(input.jurisdiction, tz, file, new Date());
  const { phases, year } = record;
  const startAt = dayInstant(phases[0].startsOn, '00:00', tz);
  const dueAt = dayInstant(phases[phases.length - 1].endsOn, plan.calendar.endOfDay, tz);
  const status: FileCampaignStatus = {
    campaignId: file.id,
    stage: 'waiting',
    year,
    phases,
    dueAt: dueAt.toISOString(),
    members: 0,
    started: 0,
    notStarted: [],
  };
  setHandler(fileCampaignStatusQuery, () => status);
  const headline = `${plan.jurisdiction.name} ${file.title}（期限 ${formatLocal(dueAt, tz)}）`;
  setCurrentDetails(`${headline}\n\n${phases.map((p) => `- ${p.name}：${p.startsOn} 至 ${p.endsOn}`).join('\n')}`);
  showStage(status, { jurisdiction: input.jurisdiction, campaignId: file.id, campaignKind: file.kind, year, dueAt });

  await runActivity('recordCampaignFile', '登记专项行动方案', record);
  try {
    if (new Date() < startAt) await sleep(msUntil(startAt), { summary: `${phases[0].name}开始 ${formatLocal(startAt, tz)}` });
    await inspectTargets({ input, plan, status, dueAt, headline });
  } catch (error) {
    if (!isCancellation(error)) throw error;
    await CancellationScope.nonCancellable(() => withdraw(status, headline));
    throw error;
  }
  return status;
}

/** The stage in the search attributes, in Chinese too for the Web UI's list (this path is newer than 1.0: no patch). */
function showStage(status: FileCampaignStatus, values: SearchAttributeValues = {}): void {
  upsertSearchAttributes(searchAttributes({ ...values, stage: status.stage, stageLabel: FILE_CAMPAIGN_STAGE_LABELS[status.stage] }));
}

interface Run {
  input: FileCampaignInput;
  plan: PlanDigest;
  status: FileCampaignStatus;
  dueAt: Date;
  headline: string;
}

/** Freezes the targets, starts their inspections, and follows them until they end or the late window has passed. */
async function inspectTargets({ input, plan, status, dueAt, headline }: Run): Promise<void> {
  const { file } = input;
  const tz = plan.jurisdiction.timeZone;
  const recheck = file.kind === 'recheck';
  const campaign = { id: file.id, kind: file.kind, title: file.title, year: status.year, dueAt: dueAt.toISOString() };
  const selectors = recheck ? await drawSample(input, status) : file.targets;
  const frozen = await runActivity(
    'freezeCampaignTargets',
    '锁定检查对象名单',
    { ...campaign, jurisdiction: input.jurisdiction, startsAt: new Date().toISOString(), drawSeed: uuid4() },
    selectors,
  );
  status.members = frozen.members;
  status.drawSeed = frozen.drawSeed;
  status.stage = 'running';
  showStage(status);
  const context = contextFromPlan(plan, { ...campaign, announced: file.announced ?? plan.inspection.announced }, frozen.drawSeed);
  // A re-check is always an on-site inspection of the year: a further one, claimed as the city's re-check.
  const further = recheck ? recheckClaim(file.id) : undefined;
  await startInspectionPages(context, frozen.members, input.pageSize ?? DEFAULT_PAGE_SIZE, recheck || file.claimsOnSite, status, further);

  // The inspections are not children, so the details link to them: the Web UI's list filtered by CampaignId.
  const query = encodeURIComponent(`CampaignId="${file.id}" AND WorkflowType="inspection"`);
  const link = `[查看全部 ${frozen.members} 家机构的检查](/namespaces/${workflowInfo().namespace}/workflows?query=${query})`;
  const refresh = async () => {
    status.progress = await showCampaignProgress(file.id, `${headline}\n\n${link}`, { local: true });
  };
  await refresh();
  // Each inspection ends by its late-findings window after the deadline (violations go on in a case).
  const trackUntil = daysLaterAt(dueAt, plan.inspection.lateWindowDays, plan.calendar.endOfDay, tz);
  const open = () => status.progress!.members - finishedCount(status.progress!) - status.notStarted.length;
  while (open() > 0 && new Date() < trackUntil) {
    if (new Date() >= dueAt && status.stage === 'running') {
      status.stage = 'tracking';
      showStage(status, { overdue: true });
    }
    const next = new Date(
      Math.min(
        daysLaterAt(new Date(), plan.calendar.coverage.progressEveryDays, plan.reminders.timeOfDay, tz).getTime(),
        trackUntil.getTime(),
      ),
    );
    await sleep(msUntil(next), { summary: `更新检查进度 ${formatLocal(next, tz)}` });
    await refresh();
  }
  if (recheck) await compareFindings(input, plan, status);
  status.stage = 'completed';
  showStage(status, { overdue: open() > 0 });
}

/** After a cancellation (recorded in the ledger by whoever asked for it): the inspections not yet made are withdrawn. */
async function withdraw(status: FileCampaignStatus, headline: string): Promise<void> {
  if (status.members > 0) status.withdrawn = await runPageActivity('cancelUninspected', '撤销尚未检查的机构的检查', status.campaignId);
  status.stage = 'cancelled';
  showStage(status);
  setCurrentDetails(`${headline}\n\n已撤销${status.withdrawn ? `，撤回尚未检查的 ${status.withdrawn} 家` : ''}`);
}
