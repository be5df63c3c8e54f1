// 建章立制: at its start, a look-back (回头看, seed 000 item 6) ordered for each institution whose inspection found
// violations, the flying checks' look-back workflow `lookBackAfterDays` (the plan's flyingCheck) after its findings;
// at its end (the campaign's deadline), the summary's figures — targets, reports on time and late, missing, refunds,
// inspections, violations, cases — recorded in the ledger and mailed to the leadership group.
import { workflowInfo } from '@temporalio/workflow';
import { specialInspectionCampaignId } from '../../domain/business-keys';
import { dayInstant } from '../../domain/campaign-file';
import { formatYuan } from '../../domain/inspection';
import { runActivity, runPageActivity } from '../activities';
import { showDetails, sleepUntil, upsertStage, type SpecialRun } from './state';

export async function summaryPhase(r: SpecialRun): Promise<void> {
  const { input, plan, status, tz } = r;
  const phase = status.phases[2];
  await sleepUntil(r, dayInstant(phase.startsOn, '00:00', tz), `${phase.name}开始`);
  status.stage = 'rules';
  upsertStage(r);
  status.lookBacks = await runPageActivity('startSpecialLookBacks', '对发现问题的机构安排回头看', {
    jurisdiction: input.jurisdiction,
    year: status.year,
    inspectionCampaignId: specialInspectionCampaignId(input.file.id),
    drawSeed: status.drawSeed!,
    origin: input.file.title,
  });
  const dueAt = dayInstant(phase.endsOn, plan.calendar.endOfDay, tz);
  await sleepUntil(r, dueAt, '专项整治总结');
  const f = await runActivity('sendSpecialSummary', '专项整治总结报送领导', {
    campaignId: input.file.id,
    inspectionCampaignId: specialInspectionCampaignId(input.file.id),
    jurisdictionName: plan.jurisdiction.name,
    campaignTitle: input.file.title,
    leaders: plan.leaders.map(({ id, name, email }) => ({ id, name, email })),
    keyPrefix: `${workflowInfo().workflowId}:summary`,
    at: new Date().toISOString(),
  });
  status.figures = f;
  status.stage = 'completed';
  upsertStage(r);
  showDetails(
    r,
    `已完成：对象 ${f.targets} 家，按期自查 ${f.submittedOnTime} 家、逾期 ${f.submittedLate} 家、未提交 ${f.missing} 家，` +
      `退回 ${formatYuan(f.refundedFen)}；现场检查 ${f.inspections} 家，发现违规 ${f.violations} 家，立案 ${f.cases} 件`,
  );
}
