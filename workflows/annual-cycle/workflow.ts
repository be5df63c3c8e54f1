// A jurisdiction's supervision year (DESIGN §3, seeds 000 and 003), one workflow per jurisdiction and year:
// full-coverage inspection from the plan's coverage start, the closure review of last year's cases in March, flying
// checks in the second half, and the year-end summary to leadership by the plan's date. Each part is its own workflow
// (abandoned on close, so an operator may restart the cycle without touching open inspections); this one keeps the
// calendar and the summary.
// A Temporal Schedule starts `yearStarter` every 1 January, which starts this cycle under its business-key id.
import { ParentClosePolicy, setCurrentDetails, setHandler, sleep, startChild, workflowInfo } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { annualCampaignId, annualCycleId, closureReviewWorkflowId, coverageWorkflowId, flyingWorkflowId } from '../../domain/business-keys';
import { formatLocal, localInstant, localYear } from '../../domain/calendar';
import { runActivity } from '../activities';
import { ONE_RUN_PER_KEY } from '../business-key';
import { closureReview } from '../closure-review/workflow';
import { fullCoverage } from '../coverage/workflow';
import { flyingChecks } from '../flying/workflow';
import { ANNUAL_STAGE_LABELS } from '../../domain/stages';
import { upsertWithLabels } from '../upsert';
import { msUntil } from '../waiting';
import { AnnualCycleInput, AnnualCycleStatus, annualCycleStatusQuery, YearStarterInput } from './api';

/** Starts a part of the year under its business-key id; an already running part (after a restart) is kept. */
export async function startPart(workflowId: string, start: () => Promise<unknown>): Promise<string> {
  try {
    await start();
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return workflowId;
}

export async function annualCycle(input: AnnualCycleInput): Promise<AnnualCycleStatus> {
  const { jurisdiction, year } = input;
  const plan = await runActivity('loadPlanDigest', '读取监管计划', jurisdiction);
  const tz = plan.jurisdiction.timeZone;
  const summaryAt = localInstant(year, plan.calendar.yearEndSummary, plan.reminders.timeOfDay, tz);
  const status: AnnualCycleStatus = { year, stage: 'running', parts: [] };
  setHandler(annualCycleStatusQuery, () => status);
  upsertWithLabels(
    { jurisdiction, campaignId: annualCampaignId(jurisdiction, year), campaignKind: 'annual', year, dueAt: summaryAt, stage: status.stage },
    { stageLabel: ANNUAL_STAGE_LABELS[status.stage] },
  );

  const common = {
    ...ONE_RUN_PER_KEY,
    parentClosePolicy: ParentClosePolicy.ABANDON,
    args: [{ jurisdiction, year }] as [{ jurisdiction: string; year: number }],
  };
  // Each part waits for its own start date, so all start now and the UI shows the whole year at once.
  // The parts by name, for the UI: their ids are in the status query.
  const titles = { coverage: '全覆盖现场检查', closure: `${year - 1}年案件结案检查`, flying: '飞行检查' };
  const coverageId = coverageWorkflowId(jurisdiction, year);
  status.parts.push(
    await startPart(coverageId, () =>
      startChild(fullCoverage, {
        ...common,
        workflowId: coverageId,
        staticSummary: `${year}年 ${plan.jurisdiction.name} ${titles.coverage}`,
      }),
    ),
  );
  const closureId = closureReviewWorkflowId(jurisdiction, year);
  status.parts.push(
    await startPart(closureId, () =>
      startChild(closureReview, {
        ...common,
        workflowId: closureId,
        staticSummary: `${year}年 ${plan.jurisdiction.name} ${titles.closure}`,
      }),
    ),
  );
  const flyingId = flyingWorkflowId(jurisdiction, year);
  status.parts.push(
    await startPart(flyingId, () =>
      startChild(flyingChecks, { ...common, workflowId: flyingId, staticSummary: `${year}年 ${plan.jurisdiction.name} ${titles.flying}` }),
    ),
  );
  setCurrentDetails(
    `${year}年 ${plan.jurisdiction.name} 年度监管：${Object.values(titles).join('、')}；年度总结 ${formatLocal(summaryAt, tz)}`,
  );

  await sleep(msUntil(summaryAt), { summary: `年度总结 ${formatLocal(summaryAt, tz)}` });
  status.summary = await runActivity('sendYearSummary', '年度总结报送领导小组', {
    key: `${workflowInfo().workflowId}:year-summary`,
    jurisdiction,
    jurisdictionName: plan.jurisdiction.name,
    year,
    to: [{ name: `${plan.jurisdiction.name}医保基金监管领导小组`, email: plan.notifications.leadershipEmail }],
  });
  status.stage = 'summarised';
  upsertWithLabels({ stage: status.stage }, { stageLabel: ANNUAL_STAGE_LABELS[status.stage] });
  setCurrentDetails(`${year}年 ${plan.jurisdiction.name} 年度监管：年度总结已报送（检查任务 ${status.summary.inspections} 个）`);
  return status;
}

/** What the yearly Schedule runs: starts this year's cycle (idempotently) under `annual:{jurisdiction}:{year}`. */
export async function yearStarter(input: YearStarterInput): Promise<string> {
  const year = localYear(new Date(), input.timeZone);
  const workflowId = annualCycleId(input.jurisdiction, year);
  return startPart(workflowId, () =>
    startChild(annualCycle, {
      workflowId,
      ...ONE_RUN_PER_KEY,
      args: [{ jurisdiction: input.jurisdiction, year }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      staticSummary: `${year}年 年度监管周期（${input.jurisdiction}）`,
    }),
  );
}
