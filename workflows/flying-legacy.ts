// The flying checks as they ran before the eligible pool and paged starts (histories v2/v3, and any execution that had
// passed its start date when workers were upgraded): every drawn target started as a child, each extra inspection
// labelled by a clue or else 'data-lead', look-backs run inside this workflow. Kept unchanged so those histories replay
// (test/replay): do not edit the command sequence below. New executions take the path in ./flying.ts
// (FLYING_ELIGIBLE_POOL_PATCH).
import { ApplicationFailure, setCurrentDetails, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { FlyingDrawResult } from '../activities/flying';
import type { PlanDigest } from '../activities/plan';
import { daysLaterAt, formatLocal } from '../domain/calendar';
import { runActivity } from './activities';
import { STAGE } from './search-attributes';
import { contextFromPlan, startInspection, type InspectionContext } from './start-inspection';
import { msUntil } from './waiting';

/** DESIGN §5: no workflow holds more than 1,000 pending children (targets plus their look-backs). */
const MAX_TARGETS = 500;

export interface LegacyFlyingState {
  stage: 'waiting' | 'inspecting' | 'completed';
  seed?: string;
  random: string[];
  risk: string[];
  lookBacks: string[];
}

/** Everything after the start date, as before FLYING_ELIGIBLE_POOL_PATCH. */
export async function legacyFlyingAfterStart(args: {
  jurisdiction: string;
  year: number;
  plan: PlanDigest;
  endAt: Date;
  campaignId: string;
  lookBackId: string;
  title: string;
  status: LegacyFlyingState;
}): Promise<void> {
  const { workflowId } = workflowInfo();
  const { jurisdiction, year, plan, endAt, campaignId, lookBackId, title, status } = args;
  const tz = plan.jurisdiction.timeZone;

  // Visits are due within the plan's findings period, and never after the flying-check season ends.
  const dueAt = new Date(Math.min(daysLaterAt(new Date(), plan.inspection.findingsPeriodDays, '23:59', tz).getTime(), endAt.getTime()));
  const register = (id: string, kind: string, name: string) =>
    runActivity(
      'registerCampaign',
      `登记${name}`,
      { id, jurisdiction, kind, title: name, year, startsAt: new Date().toISOString(), dueAt: dueAt.toISOString(), drawSeed: `${workflowInfo().runId}:${id}` },
      [],
      { key: `${workflowId}:registered:${id}`, actor: 'system', action: 'campaign-registered', subjectType: 'campaign', subjectId: id, reason: name, detail: {}, at: new Date().toISOString() },
    );
  const campaign = await register(campaignId, 'flying', title);
  await register(lookBackId, 'look-back', `${year}年飞行检查回头看`);
  status.seed = campaign.drawSeed;

  const { flyingCheck } = plan;
  const draw: FlyingDrawResult = await runActivity('drawFlyingTargets', '双随机抽取检查对象（结果暂不公开）', {
    workflowId,
    jurisdiction,
    year,
    campaignId,
    seed: campaign.drawSeed,
    randomCount: flyingCheck.randomCount,
    riskCount: flyingCheck.riskCount,
    weights: flyingCheck.riskWeights,
    at: new Date().toISOString(),
  });
  if (draw.targets.length > MAX_TARGETS) {
    throw ApplicationFailure.nonRetryable(`${draw.targets.length} flying-check targets exceed ${MAX_TARGETS}; lower flyingCheck.randomCount/riskCount`, 'TooManyTargets');
  }
  status.random = draw.random;
  status.risk = draw.risk;
  status.stage = 'inspecting';
  upsertSearchAttributes([{ key: STAGE, value: status.stage }]);
  setCurrentDetails(`${title}：随机抽取 ${draw.random.length} 家，风险加权抽取 ${draw.risk.length} 家（候选 ${draw.poolSize} 家）；不预先通知`);

  const context: InspectionContext = {
    ...contextFromPlan(plan, { id: campaignId, kind: 'flying', title, year, dueAt: dueAt.toISOString(), announced: false }, campaign.drawSeed),
    reportToParent: false,
    // Digests of these executions were loaded before `statementPeriod` (so they carry the days); the fallbacks only
    // keep the type whole.
    statementPeriodDays: flyingCheck.statementPeriodDays ?? flyingCheck.statementPeriod?.days ?? flyingCheck.statementPeriod?.workingDays,
  };
  const lookBack = async (target: FlyingDrawResult['targets'][number]) => {
    const at = daysLaterAt(new Date(), flyingCheck.lookBackAfterDays, plan.reminders.timeOfDay, tz);
    await sleep(msUntil(at), { summary: `回头看 ${target.id} ${formatLocal(at, tz)}` });
    const lookBackDue = daysLaterAt(new Date(), plan.inspection.findingsPeriodDays, '23:59', tz);
    status.lookBacks.push(target.id);
    const campaign = { id: lookBackId, kind: 'look-back', title: `${year}年飞行检查回头看`, year, dueAt: lookBackDue.toISOString(), announced: false };
    // A different seed from the first visit's, so the look-back is not done by the same team by construction.
    const handle = await startInspection({ ...context, campaign, drawSeed: `${context.drawSeed}:lookback`, statementPeriodDays: undefined }, target);
    await handle.result();
  };
  // Flying checks are extra on-site inspections: recorded with their reason (a clue, else the data lead of the draw).
  for (const reason of ['clue', 'data-lead'] as const) {
    const institutionIds = draw.targets.filter((t) => (t.risk.clues > 0) === (reason === 'clue')).map((t) => t.id);
    if (institutionIds.length > 0) await runActivity('claimOnSite', `登记额外现场检查（${reason}）`, { campaignId, jurisdiction, year, institutionIds, reason, at: new Date().toISOString() });
  }
  const visits = draw.targets.map(async (target) => {
    const handle = await startInspection(context, target);
    const result = await handle.result();
    if (result.findings?.violation) await lookBack(target);
  });
  await Promise.allSettled(visits);

  status.stage = 'completed';
  upsertSearchAttributes([{ key: STAGE, value: status.stage }]);
  setCurrentDetails(`${title}：已完成 ${draw.targets.length} 家，回头看 ${status.lookBacks.length} 家`);
}
