// A verified clue's flying check: an unannounced on-site inspection (四不两直) of the institution, ordered now rather
// than left to the year's draw. Its campaign `{jurisdiction}-clue-{clueNo}` is registered in the ledger, the on-site
// claim is recorded with the clue as its reason (so it may be a further inspection of the year), and the inspection
// runs as a workflow of its own (abandoned by the clue): its findings open cases on the ladder like any inspection's.
import { ParentClosePolicy, startChild, workflowInfo } from '@temporalio/workflow';
import { clueCheckCampaignId, inspectionWorkflowId } from '../../domain/business-keys';
import { localYear } from '../../domain/calendar';
import { flyingStatementPeriod } from '../../domain/flying';
import { deadlineAfter } from '../../domain/period';
import { holidayCalendar } from '../../domain/workdays';
import { runActivity } from '../activities';
import { contextFromPlan, inspectionStartOptions } from '../inspection/start';
import { inspection } from '../inspection/workflow';
import type { ClueState } from './state';

export async function orderFlyingCheck(s: ClueState): Promise<string> {
  const { input } = s;
  const institution = input.subject.institution!;
  const jurisdiction = input.jurisdiction.code;
  const plan = await runActivity('loadPlanDigest', '读取监管计划', jurisdiction);
  const year = localYear(new Date(), s.tz);
  const campaignId = clueCheckCampaignId(jurisdiction, input.clueNo);
  const title = `举报线索 ${input.clueNo} 飞行检查`;
  const dueAt = deadlineAfter(
    new Date(),
    { days: plan.inspection.findingsPeriodDays },
    plan.calendar.endOfDay,
    s.tz,
    holidayCalendar(plan.calendar.holidays),
  );
  const campaign = await runActivity(
    'registerCampaign',
    `登记${title}`,
    {
      id: campaignId,
      jurisdiction,
      kind: 'clue-check',
      title,
      year,
      startsAt: new Date().toISOString(),
      dueAt: dueAt.toISOString(),
      drawSeed: `${workflowInfo().runId}:${campaignId}`,
    },
    [],
    {
      key: `${s.workflowId}:flying-check-registered`,
      actor: 'system',
      action: 'campaign-registered',
      subjectType: 'campaign',
      subjectId: campaignId,
      reason: title,
      detail: { clueNo: input.clueNo },
      at: new Date().toISOString(),
    },
  );
  const inspectionId = inspectionWorkflowId(campaignId, institution.id);
  await runActivity('claimClueCheck', `登记现场检查：${institution.name}`, {
    jurisdiction,
    year,
    institutionId: institution.id,
    inspectionId,
    clueNo: input.clueNo,
    at: new Date().toISOString(),
  });
  const context = {
    ...contextFromPlan(
      plan,
      { id: campaignId, kind: 'clue-check', title, year, dueAt: dueAt.toISOString(), announced: false },
      campaign.drawSeed,
    ),
    reportToParent: false,
  };
  const options = inspectionStartOptions(context, {
    id: institution.id,
    name: institution.name,
    kind: institution.kind,
    contacts: institution.contacts,
    responsibleUnitId: institution.responsibleUnitId ?? null,
  });
  const args: typeof options.args = [{ ...options.args[0], statementPeriod: flyingStatementPeriod(plan.flyingCheck) }];
  await startChild(inspection, { ...options, args, parentClosePolicy: ParentClosePolicy.ABANDON });
  return inspectionId;
}
