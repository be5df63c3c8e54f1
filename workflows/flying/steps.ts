// The flying checks' steps up to the visits: the season's start, the campaigns in the ledger, the draw, and the
// targets' inspections started page by page, unannounced.
import { setCurrentDetails, sleep, workflowInfo } from '@temporalio/workflow';
import type { FlyingDrawSummary, StartFlyingTargetsResult } from '../../activities/flying';
import { formatLocal } from '../../domain/calendar';
import { deadlineAfter, describePeriod } from '../../domain/period';
import { runActivity, runPageActivity } from '../activities';
import { contextFromPlan } from '../inspection/start';
import { FLYING_STAGE_LABELS } from '../../domain/stages';
import { upsertWithLabels } from '../upsert';
import { msUntil } from '../waiting';
import { MAX_FLYING_PAGE } from './api';
import type { FlyingRun } from './state';

export async function waitForSeason(s: FlyingRun): Promise<void> {
  if (new Date() < s.startAt) await sleep(msUntil(s.startAt), { summary: `飞行检查开始 ${formatLocal(s.startAt, s.tz)}` });
}

/** Visits are due within the plan's findings period, and never after the flying-check season ends. */
export function visitsDueAt(s: FlyingRun): Date {
  const { plan, tz } = s;
  return new Date(
    Math.min(
      deadlineAfter(new Date(), { days: plan.inspection.findingsPeriodDays }, plan.calendar.endOfDay, tz, s.holidays).getTime(),
      s.endAt.getTime(),
    ),
  );
}

/** Registers the campaign and its look-back campaign; returns the campaign's draw seed. */
export async function registerCampaigns(s: FlyingRun, dueAt: Date): Promise<string> {
  const campaign = await registerCampaign(s, s.campaignId, 'flying', s.title, dueAt);
  await registerCampaign(s, s.lookBackId, 'look-back', `${s.input.year}年飞行检查回头看`, dueAt);
  s.status.seed = campaign.drawSeed;
  return campaign.drawSeed;
}

function registerCampaign(s: FlyingRun, id: string, kind: string, name: string, dueAt: Date) {
  const { jurisdiction, year } = s.input;
  return runActivity(
    'registerCampaign',
    `登记${name}`,
    {
      id,
      jurisdiction,
      kind,
      title: name,
      year,
      startsAt: new Date().toISOString(),
      dueAt: dueAt.toISOString(),
      drawSeed: `${workflowInfo().runId}:${id}`,
    },
    [],
    {
      key: `${s.workflowId}:registered:${id}`,
      actor: 'system',
      action: 'campaign-registered',
      subjectType: 'campaign',
      subjectId: id,
      reason: name,
      detail: {},
      at: new Date().toISOString(),
    },
  );
}

/** The double-random and risk-weighted draw (recorded, not yet published); returns what was drawn, as text. */
export async function drawTargets(s: FlyingRun, seed: string): Promise<string> {
  const { input, status, plan } = s;
  const { flyingCheck } = plan;
  const draw: FlyingDrawSummary = await runActivity('drawEligibleTargets', '双随机抽取检查对象（结果暂不公开）', {
    workflowId: s.workflowId,
    jurisdiction: input.jurisdiction,
    year: input.year,
    campaignId: s.campaignId,
    seed,
    randomCount: flyingCheck.randomCount,
    riskCount: flyingCheck.riskCount,
    weights: flyingCheck.riskWeights,
    at: new Date().toISOString(),
  });
  status.random = draw.random;
  status.risk = draw.risk;
  status.eligible = draw.eligible;
  status.excluded = draw.excluded;
  status.stage = 'inspecting';
  upsertWithLabels({ stage: status.stage }, { stageLabel: FLYING_STAGE_LABELS[status.stage] });
  const drawn = `随机抽取 ${draw.random.length} 家，风险加权抽取 ${draw.risk.length} 家（候选 ${draw.eligible} 家，本年已检查且无线索或疑点未列入 ${draw.excluded} 家）`;
  setCurrentDetails(`${s.title}：${drawn}；不预先通知`);
  return drawn;
}

/** The targets, page by page, unannounced (no institution is told before its visit). */
export async function startTargets(s: FlyingRun, seed: string, dueAt: Date): Promise<void> {
  const { input, status, statementPeriod } = s;
  const { jurisdiction, year } = input;
  status.statementPeriod = describePeriod(statementPeriod);
  const context = contextFromPlan(
    s.plan,
    { id: s.campaignId, kind: 'flying', title: s.title, year, dueAt: dueAt.toISOString(), announced: false },
    seed,
  );
  const targets = status.random.length + status.risk.length;
  const pageSize = Math.min(MAX_FLYING_PAGE, Math.max(1, Math.floor(input.pageSize ?? MAX_FLYING_PAGE)));
  const pages = Math.ceil(targets / pageSize);
  status.pages = pages;
  const started: StartFlyingTargetsResult[] = await Promise.all(
    Array.from({ length: pages }, (_, k) =>
      runPageActivity('startFlyingTargets', `启动检查 第 ${k * pageSize + 1}–${Math.min(targets, (k + 1) * pageSize)} 家（不预先通知）`, {
        campaignId: s.campaignId,
        jurisdiction,
        year,
        context,
        statementPeriod,
        fromSeq: k * pageSize,
        limit: pageSize,
        at: new Date().toISOString(),
      }),
    ),
  );
  status.started = started.reduce((n, page) => n + page.started + page.alreadyStarted, 0);
  status.refused = started.flatMap((page) => page.refused.map((r) => r.id));
  status.extra = started.flatMap((page) => page.extra.map((e) => e.id));
}
