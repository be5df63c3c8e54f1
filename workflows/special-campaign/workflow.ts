// The special campaign (专项整治, seed 002; DESIGN §5 specialCampaign), launched from a file of kind `special`
// (`jianguan campaign start FILE`): the file recorded in the ledger at once, then its three phases in order —
// 自查自纠 (./self-check-phase.ts), 严肃查处 (./investigation.ts), 建章立制 (./summary.ts); beside them, the tasks' weekly
// 问题台账 (./problem-lists.ts). Its history depends on pages and phases, not on targets: the self-checks and
// inspections are workflows of their own, started by page activities, and their outcomes are read from the ledger.
// Cancelled (`jianguan campaign cancel`), it withdraws the self-checks still open and the inspections not yet made,
// and ends as cancelled (its 台账 loop, a child, with it).
import { CancellationScope, isCancellation, setHandler } from '@temporalio/workflow';
import { specialInspectionCampaignId } from '../../domain/business-keys';
import { dayInstant } from '../../domain/campaign-file';
import { reportDueDate } from '../../domain/self-check';
import { runActivity, runPageActivity } from '../activities';
import { campaignFileRecord } from '../campaign/api';
import { specialCampaignStatusQuery, type SpecialCampaignInput, type SpecialCampaignStatus } from './api';
import { investigationPhase } from './investigation';
import { startProblemLists } from './problem-lists';
import { selfCheckPhase } from './self-check-phase';
import { showDetails, upsertStage, type SpecialRun } from './state';
import { summaryPhase } from './summary';

export async function specialCampaign(input: SpecialCampaignInput): Promise<SpecialCampaignStatus> {
  const { file } = input;
  const plan = await runActivity('loadPlanDigest', '读取监管计划', input.jurisdiction);
  const tz = plan.jurisdiction.timeZone;
  const record = campaignFileRecord(input.jurisdiction, tz, file, new Date());
  const { phases, year } = record;
  const status: SpecialCampaignStatus = {
    campaignId: file.id,
    stage: 'waiting',
    year,
    phases,
    reportDueAt: dayInstant(reportDueDate(phases[0], file.selfCheck!.reportDue), plan.calendar.endOfDay, tz).toISOString(),
    selfCheckClosesAt: dayInstant(phases[0].endsOn, plan.calendar.endOfDay, tz).toISOString(),
    members: 0,
    selfChecksStarted: 0,
    inspectionsStarted: 0,
    notInspected: [],
  };
  setHandler(specialCampaignStatusQuery, () => status);
  const run: SpecialRun = { input, plan, status, tz, headline: `${plan.jurisdiction.name} ${file.title}` };
  showDetails(run);
  upsertStage(run, { jurisdiction: input.jurisdiction, campaignId: file.id, campaignKind: file.kind, year });

  await runActivity('recordCampaignFile', '登记专项整治方案', record);
  try {
    const problemLists = await startProblemLists(run);
    await selfCheckPhase(run);
    await investigationPhase(run);
    await summaryPhase(run);
    // Its last week falls due by the campaign's end: it is done, or closing that week.
    await problemLists?.result();
  } catch (error) {
    if (!isCancellation(error)) throw error;
    await CancellationScope.nonCancellable(() => withdraw(run));
    throw error;
  }
  return status;
}

/** After a cancellation (recorded in the ledger by whoever asked for it): what is still open in the phase is withdrawn. */
async function withdraw(r: SpecialRun): Promise<void> {
  const { status } = r;
  if (status.stage === 'self-check')
    status.withdrawn = await runPageActivity('cancelSelfChecks', '撤销尚未提交的自查自纠', status.campaignId);
  if (status.stage === 'investigation')
    status.withdrawn = await runPageActivity(
      'cancelUninspected',
      '撤销尚未检查的机构的检查',
      specialInspectionCampaignId(status.campaignId),
    );
  status.stage = 'cancelled';
  upsertStage(r);
  showDetails(r, `已撤销${status.withdrawn ? `，撤回 ${status.withdrawn} 项` : ''}`);
}
