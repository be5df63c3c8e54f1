// A look-back (回头看, seed 000 item 6) at an institution whose flying check found violations: `lookBackAfterDays`
// after those findings, a second unannounced on-site inspection by a team drawn from another seed. The rule of one
// on-site inspection a year allows it because it follows findings: it is claimed with reason 'look-back' and the
// inspection it follows. It belongs to the year it was ordered in (the flying campaign's year, campaign
// `{campaignId}-lookback`) even when it takes place next year, and it runs as a workflow of its own, ordered by the
// flying campaign's follow-up (activities/flying.ts), so neither the campaign's end nor the year-end summary waits
// for it. Its wait for the inspection is bounded by the inspection's own windows (findings period and late window;
// violations go on in a case); past that it ends with outcome 'bound-passed' and leaves the
// inspection running by its own deadlines.
import { ParentClosePolicy, condition, setCurrentDetails, setHandler, sleep, startChild } from '@temporalio/workflow';
import { inspectionWorkflowId, lookBackCampaignId } from '../../domain/business-keys';
import { daysLaterAt, formatLocal } from '../../domain/calendar';
import { deadlineAfter } from '../../domain/period';
import { holidayCalendar } from '../../domain/workdays';
import { runActivity } from '../activities';
import { inspection } from '../inspection/workflow';
import { contextFromPlan, inspectionStartOptions } from '../inspection/start';
import { LOOK_BACK_STAGE_LABELS } from '../../domain/stages';
import { upsertWithLabels } from '../upsert';
import { msUntil } from '../waiting';
import { FlyingLookBackInput, FlyingLookBackStatus, lookBackStatusQuery, lookBackTitle } from './api';

/** The look-back's list columns: its institution and stage. */
const lookBackLabels = (input: FlyingLookBackInput, status: FlyingLookBackStatus) => ({
  institutionName: input.institution.name,
  stageLabel: LOOK_BACK_STAGE_LABELS[status.stage],
});

export async function flyingLookBack(input: FlyingLookBackInput): Promise<FlyingLookBackStatus> {
  const { jurisdiction, year, institution } = input;
  const plan = await runActivity('loadPlanDigest', '读取监管计划', jurisdiction);
  const tz = plan.jurisdiction.timeZone;
  const { endOfDay } = plan.calendar;
  const holidays = holidayCalendar(plan.calendar.holidays);
  const lookBackAt = daysLaterAt(new Date(input.findingsAt), plan.flyingCheck.lookBackAfterDays, plan.reminders.timeOfDay, tz);
  const campaignId = lookBackCampaignId(input.campaignId);
  const title = lookBackTitle(input);
  const status: FlyingLookBackStatus = {
    stage: 'waiting',
    lookBackAt: lookBackAt.toISOString(),
    inspectionId: inspectionWorkflowId(campaignId, institution.id),
    follows: input.follows,
  };
  setHandler(lookBackStatusQuery, () => status);
  upsertWithLabels({ stage: status.stage, dueAt: lookBackAt }, lookBackLabels(input, status));
  setCurrentDetails(`**${institution.name}**：回头看 ${formatLocal(lookBackAt, tz)}（跟进${year}年飞行检查发现）`);
  if (new Date() < lookBackAt) await sleep(msUntil(lookBackAt), { summary: `回头看 ${institution.name} ${formatLocal(lookBackAt, tz)}` });

  await runActivity('claimLookBack', '登记回头看现场检查', {
    jurisdiction,
    year,
    institutionId: institution.id,
    inspectionId: status.inspectionId,
    follows: input.follows,
    at: new Date().toISOString(),
  });
  const dueAt = deadlineAfter(new Date(), { days: plan.inspection.findingsPeriodDays }, endOfDay, tz, holidays);
  status.dueAt = dueAt.toISOString();
  const context = {
    ...contextFromPlan(
      plan,
      { id: campaignId, kind: 'look-back', title, year, dueAt: status.dueAt, announced: false },
      `${input.drawSeed}:lookback`,
    ),
    reportToParent: false,
  };
  // Abandoned on close: an inspection still open when this wait ends goes on by its own deadlines.
  const handle = await startChild(inspection, {
    ...inspectionStartOptions(context, institution),
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
  status.stage = 'inspecting';
  upsertWithLabels({ stage: status.stage, dueAt }, lookBackLabels(input, status));

  const waitUntil = deadlineAfter(dueAt, { days: plan.inspection.lateWindowDays + 1 }, endOfDay, tz, holidays);
  status.waitUntil = waitUntil.toISOString();
  let done = false;
  void handle.result().then(
    (result) => {
      status.outcome = 'inspected';
      status.inspectionStage = result.stage;
      done = true;
    },
    () => {
      status.outcome = 'failed';
      done = true;
    },
  );
  setCurrentDetails(`**${institution.name}**：回头看检查中，期限 ${formatLocal(dueAt, tz)}（跟进${year}年飞行检查发现）`);
  if (!(await condition(() => done, msUntil(waitUntil), { summary: `回头看结果 ${formatLocal(waitUntil, tz)}` })))
    status.outcome = 'bound-passed';

  status.stage = 'completed';
  upsertWithLabels({ stage: status.stage, overdue: status.outcome !== 'inspected' }, lookBackLabels(input, status));
  setCurrentDetails(
    status.outcome === 'inspected'
      ? `**${institution.name}**：回头看已完成（跟进${year}年飞行检查发现）`
      : `**${institution.name}**：回头看${status.outcome === 'failed' ? '检查失败' : `至 ${formatLocal(waitUntil, tz)} 仍未结束，由检查按其期限继续`}（跟进${year}年飞行检查发现）`,
  );
  return status;
}
