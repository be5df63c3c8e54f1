// Full-coverage on-site inspection (全覆盖现场检查, seed 000 item 3): every institution of the jurisdiction inspected
// on site once by the plan's deadline (default 31 July 23:59). The membership is frozen in the ledger; its inspections
// are started page by page from a heartbeating activity (activities/fan-out.ts), so a province of 60,000 institutions
// costs this workflow a few events per page and no children, and each inspection is its own workflow that leadership
// finds by its CampaignId. Progress is re-read from the ledger every day for the Web UI. Responsible units are
// reminded of their uninspected institutions at the plan's offsets; at the deadline the uncovered list goes to each
// unit's leader; the campaign then tracks late completions until every inspection has ended or the longest chain of
// late windows has passed, and reports to the leaders what was made up and what is still missing.
import { setHandler, sleep, uuid4, workflowInfo } from '@temporalio/workflow';
import { coverageCampaignId } from '../../domain/business-keys';
import { daysLaterAt, formatLocal, localInstant, reminderSchedule } from '../../domain/calendar';
import type { PlanDigest } from '../../activities/plan';
import { runActivity } from '../activities';
import { startInspectionPages } from '../fan-out';
import { finishedCount, showCampaignProgress } from '../progress';
import { COVERAGE_STAGE_LABELS } from '../../domain/stages';
import { upsertWithLabels } from '../upsert';
import { contextFromPlan, type InspectionContext } from '../inspection/start';
import { msUntil } from '../waiting';
import { DEFAULT_PAGE_SIZE, CoverageInput, CoverageStatus, coverageStatusQuery } from './api';

export async function fullCoverage(input: CoverageInput): Promise<CoverageStatus> {
  const plan = await runActivity('loadPlanDigest', '读取监管计划', input.jurisdiction);
  const tz = plan.jurisdiction.timeZone;
  const { coverage } = plan.calendar;
  const startAt = localInstant(input.year, coverage.start, '00:00', tz);
  const dueAt = localInstant(input.year, coverage.deadline, coverage.deadlineTime, tz);
  const due = formatLocal(dueAt, tz);
  const campaignId = coverageCampaignId(input.jurisdiction, input.year);
  const title = `${input.year}年全覆盖现场检查`;
  const headline = `${plan.jurisdiction.name} ${title}（期限 ${due}）`;
  const status: CoverageStatus = { campaignId, stage: 'waiting', members: 0, dueAt: dueAt.toISOString() };
  setHandler(coverageStatusQuery, () => status);
  upsertWithLabels(
    { jurisdiction: input.jurisdiction, campaignId, campaignKind: 'coverage', year: input.year, dueAt, stage: status.stage },
    { stageLabel: COVERAGE_STAGE_LABELS[status.stage] },
  );

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
  return coverFromActivities({
    input,
    plan,
    status,
    drawSeed: prepared.drawSeed,
    members: prepared.members,
    title,
    headline,
    startAt,
    dueAt,
  });
}

/** What the campaign's notices to responsible units and leaders share. */
interface CoverageNotice {
  units: InspectionContext['responsibleUnits'];
  leaders: InspectionContext['leaders'];
  campaignId: string;
  campaignTitle: string;
  due: string;
}

/** Reminds each responsible unit of its institutions not yet inspected, `offsetDays` before the deadline. */
async function remindUninspected(notice: CoverageNotice, offsetDays: number): Promise<void> {
  await runActivity('noticeUninspected', `催办未检查机构（提前${offsetDays}天）`, {
    ...notice,
    keyPrefix: `${workflowInfo().workflowId}:uninspected-reminder:${offsetDays}`,
    escalate: false,
    offsetDays,
  });
}

/** At the deadline: the uncovered list to each unit's leader; the campaign moves on to tracking late completions. */
async function escalateUncovered(notice: CoverageNotice, status: CoverageStatus): Promise<{ pending: number }> {
  const uncovered = await runActivity('noticeUninspected', '期限已到：未检查机构名单报送责任领导', {
    ...notice,
    keyPrefix: `${workflowInfo().workflowId}:uncovered`,
    escalate: true,
    offsetDays: 0,
  });
  status.uncoveredAtDeadline = uncovered.pending;
  status.stage = 'tracking';
  upsertWithLabels({ stage: status.stage, overdue: uncovered.pending > 0 }, { stageLabel: COVERAGE_STAGE_LABELS[status.stage] });
  return uncovered;
}

interface Coverage {
  input: CoverageInput;
  plan: PlanDigest;
  status: CoverageStatus;
  drawSeed: string;
  members: number;
  title: string;
  headline: string;
  startAt: Date;
  dueAt: Date;
}

/** The campaign from the fan-out on: inspections started by page activities, progress from the ledger. */
async function coverFromActivities(c: Coverage): Promise<CoverageStatus> {
  const { input, plan, status, title, headline, dueAt } = c;
  const { workflowId } = workflowInfo();
  const tz = plan.jurisdiction.timeZone;
  const due = formatLocal(dueAt, tz);
  const { campaignId } = status;
  const pageSize = input.pageSize ?? DEFAULT_PAGE_SIZE;
  const context = contextFromPlan(
    plan,
    { id: campaignId, kind: 'coverage', title, year: input.year, dueAt: dueAt.toISOString(), announced: plan.inspection.announced },
    c.drawSeed,
  );
  Object.assign(status, { members: c.members, started: 0, notStarted: [], stage: 'running' } satisfies Partial<CoverageStatus>);
  upsertWithLabels({ stage: status.stage }, { stageLabel: COVERAGE_STAGE_LABELS[status.stage] });

  await startInspectionPages(context, c.members, pageSize, true, status as Required<Pick<CoverageStatus, 'started' | 'notStarted'>>);

  // The inspections are not children, so the details link to them: the Web UI's list filtered by CampaignId.
  const query = encodeURIComponent(`CampaignId="${campaignId}" AND WorkflowType="inspection"`);
  const link = `[查看全部 ${c.members} 家机构的检查](/namespaces/${workflowInfo().namespace}/workflows?query=${query})`;
  let line = headline;
  const refresh = async () => {
    status.progress = await showCampaignProgress(campaignId, `${line}\n\n${link}`, { local: true });
  };
  const nextRefresh = () => daysLaterAt(new Date(), plan.calendar.coverage.progressEveryDays, plan.reminders.timeOfDay, tz);
  /** Sleeps until `at`, refreshing the progress on the way. */
  const sleepUntil = async (at: Date, summary: string) => {
    for (let next = nextRefresh(); next < at; next = nextRefresh()) {
      await sleep(msUntil(next), { summary: `更新检查进度 ${formatLocal(next, tz)}` });
      await refresh();
    }
    await sleep(msUntil(at), { summary });
  };
  await refresh();

  const notice = { units: context.responsibleUnits, leaders: context.leaders, campaignId, campaignTitle: title, due };
  for (const reminder of reminderSchedule(dueAt, plan.reminders.offsetsDays, plan.reminders.timeOfDay, tz, new Date())) {
    await sleepUntil(reminder.at, `提前${reminder.offsetDays}天催办未检查机构 ${formatLocal(reminder.at, tz)}`);
    await remindUninspected(notice, reminder.offsetDays);
    await refresh();
  }

  await sleepUntil(dueAt, `全覆盖检查期限 ${due}`);
  const uncovered = await escalateUncovered(notice, status);
  line = `${headline}：期限已过，未完成 ${uncovered.pending} 家，继续跟踪`;
  await refresh();

  // Late completions: each inspection ends by its late-findings window (violations go on in a case); track until
  // all have ended, or at most until that window has passed.
  const trackUntil = daysLaterAt(dueAt, plan.inspection.lateWindowDays, plan.calendar.endOfDay, tz);
  const open = () => status.progress!.members - finishedCount(status.progress!) - status.notStarted!.length;
  while (open() > 0 && new Date() < trackUntil) {
    const next = new Date(Math.min(nextRefresh().getTime(), trackUntil.getTime()));
    await sleep(msUntil(next), { summary: `跟踪逾期完成情况 ${formatLocal(next, tz)}（至 ${formatLocal(trackUntil, tz)}）` });
    await refresh();
  }
  const closed = await runActivity('noticeCoverageClosed', '跟踪结束：补检情况报送领导', {
    ...notice,
    keyPrefix: `${workflowId}:closed`,
    escalate: true,
    uncoveredAtDeadline: uncovered.pending,
  });
  status.uninspectedAtEnd = closed.uninspected;
  status.stage = 'completed';
  upsertWithLabels({ stage: status.stage, overdue: closed.uninspected > 0 }, { stageLabel: COVERAGE_STAGE_LABELS[status.stage] });
  line = `${headline}：已结束，仍未检查 ${closed.uninspected} 家`;
  await refresh();
  return status;
}
