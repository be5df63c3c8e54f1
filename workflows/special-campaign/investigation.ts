// 严肃查处: at the phase's start, the institutions to inspect on site (domain/self-check.ts: the non-submitters, the
// high-risk, a seeded random share of the rest), recorded with why and the seed; their inspections fanned out in pages
// like full coverage's (workflows/fan-out.ts) under the derived campaign `{campaignId}-inspection`, each claimed as the
// institution's on-site inspection of the year (one a year: an institution inspected already is not started again and
// the audit trail says so); violations open cases, as every inspection's do. The phase's end bounds the findings.
import { workflowInfo } from '@temporalio/workflow';
import { specialInspectionCampaignId } from '../../domain/business-keys';
import { dayInstant } from '../../domain/campaign-file';
import { DEFAULT_INVESTIGATION_RULES } from '../../domain/self-check';
import { runActivity } from '../activities';
import { DEFAULT_PAGE_SIZE } from '../coverage/api';
import { startInspectionPages } from '../fan-out';
import { contextFromPlan } from '../inspection/start';
import { showCampaignProgress } from '../progress';
import { showDetails, sleepUntil, upsertStage, type SpecialRun } from './state';

export async function investigationPhase(r: SpecialRun): Promise<void> {
  const { input, plan, status, tz } = r;
  const { file } = input;
  const phase = status.phases[1];
  await sleepUntil(r, dayInstant(phase.startsOn, '00:00', tz), `${phase.name}开始`);
  const dueAt = dayInstant(phase.endsOn, plan.calendar.endOfDay, tz);
  const campaign = {
    id: specialInspectionCampaignId(file.id),
    kind: file.kind,
    title: `${file.title}（${phase.name}）`,
    year: status.year,
    dueAt: dueAt.toISOString(),
  };
  const chosen = await runActivity('selectInvestigation', '确定现场检查对象（未提交、高风险、随机抽取）', {
    campaignId: file.id,
    seed: `${status.drawSeed}:investigation`,
    rules: file.investigation ?? DEFAULT_INVESTIGATION_RULES,
    inspection: { ...campaign, jurisdiction: input.jurisdiction, startsAt: new Date().toISOString(), drawSeed: status.drawSeed! },
  });
  status.selected = chosen.selection.targets.length;
  status.stage = 'investigation';
  upsertStage(r, { dueAt, overdue: false });

  const context = contextFromPlan(plan, { ...campaign, announced: file.announced ?? plan.inspection.announced }, chosen.drawSeed);
  const tally = { started: 0, notStarted: status.notInspected };
  await startInspectionPages(context, chosen.members, input.pageSize ?? DEFAULT_PAGE_SIZE, file.claimsOnSite, tally);
  status.inspectionsStarted = tally.started;
  const query = encodeURIComponent(`CampaignId="${campaign.id}" AND WorkflowType="inspection"`);
  const link = `[查看全部 ${chosen.members} 家机构的现场检查](/namespaces/${workflowInfo().namespace}/workflows?query=${query})`;
  showDetails(r, `${phase.name}：列入现场检查 ${status.selected} 家，已启动 ${tally.started} 家`, link);

  await sleepUntil(r, dueAt, `${phase.name}结束`);
  await showCampaignProgress(campaign.id, `${r.headline}\n\n${phase.name}已结束\n\n${link}`);
}
