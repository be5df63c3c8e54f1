// Full-coverage on-site inspection (全覆盖现场检查, seed 000 item 3): every institution of the jurisdiction inspected
// on site once by the plan's deadline (default 31 July 23:59). The membership is frozen in the ledger and fanned out
// as a tree (this workflow → shards of ≤ 500 → inspections), so a province of 60,000 institutions keeps every history
// small. Responsible units are reminded of their uninspected institutions at the plan's offsets; at the deadline the
// uncovered list goes to each unit's leader, and the campaign keeps tracking late completions.
import { ParentClosePolicy, defineQuery, setHandler, sleep, startChild, upsertSearchAttributes, uuid4, workflowInfo, condition } from '@temporalio/workflow';
import { daysLaterAt, formatLocal, localInstant, reminderSchedule } from '../domain/calendar';
import type { CampaignProgress } from '../records/types';
import { runActivity } from './activities';
import { showCampaignProgress } from './progress';
import { CAMPAIGN_ID, CAMPAIGN_KIND, CAMPAIGN_YEAR, DUE_AT, JURISDICTION, OVERDUE, STAGE } from './search-attributes';
import { inspectionShard, type ShardInput } from './shard';
import { contextFromPlan } from './start-inspection';
import { msUntil } from './waiting';

/** DESIGN §5: no workflow holds more than 1,000 pending children; 500 leaves room for both levels of the tree. */
export const DEFAULT_SHARD_SIZE = 500;

export interface CoverageInput {
  jurisdiction: string;
  year: number;
  shardSize?: number;
}

export interface CoverageStatus {
  campaignId: string;
  stage: 'waiting' | 'running' | 'tracking' | 'completed';
  members: number;
  shards: number;
  dueAt: string;
  uncoveredAtDeadline?: number;
  progress?: CampaignProgress;
}

export const coverageStatusQuery = defineQuery<CoverageStatus>('status');

export function coverageCampaignId(jurisdiction: string, year: number): string {
  return `${jurisdiction}-coverage-${year}`;
}

export async function fullCoverage(input: CoverageInput): Promise<CoverageStatus> {
  const { workflowId } = workflowInfo();
  const plan = await runActivity('loadPlanDigest', '读取监管计划', input.jurisdiction);
  const tz = plan.jurisdiction.timeZone;
  const { coverage } = plan.calendar;
  const startAt = localInstant(input.year, coverage.start, '00:00', tz);
  const dueAt = localInstant(input.year, coverage.deadline, coverage.deadlineTime, tz);
  const due = formatLocal(dueAt, tz);
  const campaignId = coverageCampaignId(input.jurisdiction, input.year);
  const title = `${input.year}年全覆盖现场检查`;
  const headline = `${plan.jurisdiction.name} ${title}（期限 ${due}）`;
  const status: CoverageStatus = { campaignId, stage: 'waiting', members: 0, shards: 0, dueAt: dueAt.toISOString() };
  setHandler(coverageStatusQuery, () => status);
  upsertSearchAttributes([
    { key: JURISDICTION, value: input.jurisdiction },
    { key: CAMPAIGN_ID, value: campaignId },
    { key: CAMPAIGN_KIND, value: 'coverage' },
    { key: CAMPAIGN_YEAR, value: input.year },
    { key: DUE_AT, value: dueAt },
    { key: STAGE, value: status.stage },
  ]);

  if (new Date() < startAt) await sleep(msUntil(startAt), { summary: `全覆盖检查开始 ${formatLocal(startAt, tz)}` });

  const prepared = await runActivity('prepareCampaign', '登记检查活动并锁定机构名单', {
    id: campaignId,
    jurisdiction: input.jurisdiction,
    kind: 'coverage',
    title,
    year: input.year,
    startsAt: new Date().toISOString(),
    dueAt: dueAt.toISOString(),
    drawSeed: uuid4(),
  });
  const shardSize = input.shardSize ?? DEFAULT_SHARD_SIZE;
  status.members = prepared.members;
  status.shards = Math.ceil(prepared.members / shardSize);
  status.stage = 'running';
  upsertSearchAttributes([{ key: STAGE, value: status.stage }]);

  const context: ShardInput['context'] = contextFromPlan(
    plan,
    { id: campaignId, kind: 'coverage', title, year: input.year, dueAt: dueAt.toISOString(), announced: plan.inspection.announced },
    prepared.drawSeed,
  );
  const shards = [];
  for (let k = 0; k < status.shards; k++) {
    shards.push(
      await startChild(inspectionShard, {
        workflowId: `coverage-shard:${campaignId}:${k}`,
        args: [{ context, fromSeq: k * shardSize, limit: shardSize }],
        // Shards and their inspections outlive an operator's restart of this workflow.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        staticSummary: `${plan.jurisdiction.name} ${title} 分片 ${k + 1}/${status.shards}`,
        typedSearchAttributes: [
          { key: JURISDICTION, value: input.jurisdiction },
          { key: CAMPAIGN_ID, value: campaignId },
          { key: CAMPAIGN_KIND, value: 'coverage-shard' },
          { key: CAMPAIGN_YEAR, value: input.year },
        ],
      }),
    );
  }
  let allFinished = false;
  void Promise.allSettled(shards.map((shard) => shard.result())).then(() => {
    allFinished = true;
  });
  status.progress = await showCampaignProgress(campaignId, headline);

  const notice = {
    units: context.responsibleUnits,
    leaders: context.leaders,
    campaignId,
    campaignTitle: title,
    due,
  };
  for (const reminder of reminderSchedule(dueAt, plan.reminders.offsetsDays, plan.reminders.timeOfDay, tz, new Date())) {
    await sleep(msUntil(reminder.at), { summary: `提前${reminder.offsetDays}天催办未检查机构 ${formatLocal(reminder.at, tz)}` });
    await runActivity('noticeUninspected', `催办未检查机构（提前${reminder.offsetDays}天）`, {
      ...notice,
      keyPrefix: `${workflowId}:uninspected-reminder:${reminder.offsetDays}`,
      escalate: false,
      offsetDays: reminder.offsetDays,
    });
    status.progress = await showCampaignProgress(campaignId, headline);
  }

  await sleep(msUntil(dueAt), { summary: `全覆盖检查期限 ${due}` });
  const uncovered = await runActivity('noticeUninspected', '期限已到：未检查机构名单报送责任领导', { ...notice, keyPrefix: `${workflowId}:uncovered`, escalate: true, offsetDays: 0 });
  status.uncoveredAtDeadline = uncovered.pending;
  status.stage = 'tracking';
  upsertSearchAttributes([
    { key: STAGE, value: status.stage },
    { key: OVERDUE, value: uncovered.pending > 0 },
  ]);
  status.progress = await showCampaignProgress(campaignId, `${headline}：期限已过，未完成 ${uncovered.pending} 家，继续跟踪`);

  // Late completions: each inspection ends by its own windows (late findings, rectification, recheck); wait for the
  // last of them, bounded by the longest such chain.
  const { rectification } = plan;
  const trackUntil = daysLaterAt(dueAt, plan.inspection.lateWindowDays + rectification.periodDays + rectification.recheckWindowDays + 1, '23:59', tz);
  await condition(() => allFinished, msUntil(trackUntil), { summary: `跟踪逾期完成情况至 ${formatLocal(trackUntil, tz)}` });
  status.stage = 'completed';
  upsertSearchAttributes([{ key: STAGE, value: status.stage }]);
  status.progress = await showCampaignProgress(campaignId, `${headline}：已结束`);
  return status;
}
