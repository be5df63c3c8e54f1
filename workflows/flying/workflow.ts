// Flying checks (飞行检查, seed 000 item 4, seed 003): in the second half of the year, targets are drawn by the
// double-random method (a uniform draw, reproducible from the recorded seed) plus risk-weighted targets (clues, data
// anomalies, last year's findings, credit grade); teams of at least two are drawn with conflicts excluded; the visit is
// unannounced (四不两直: the institution gets no message before it); findings are fed back and the institution may state
// its case before the conclusion; institutions with findings get a look-back inspection (回头看) later.
//
// One on-site inspection per institution per year unless a clue or a data lead requires another (DESIGN §2): the draw
// works on the eligible pool (not inspected on site this year, or with a clue / data anomaly of the year) and records
// the excluded ones; each target's inspection is claimed in the ledger with the references that allow it
// (activities/flying.ts).
//
// Scale (DESIGN §5): the draw and its targets live in the ledger; targets are started through the client by a
// heartbeating activity, one page of at most 500 per activity, so this workflow holds no children and its history does
// not grow with the number of targets (about 6 events a page, 11 a follow-up). Every inspection carries the CampaignId.
//
// Waits are bounded: the campaign follows its targets up in the ledger every `flyingCheck.trackEveryDays` until all
// are over, or until the flying period's end plus the inspections' own windows (late findings and statement period;
// violations go on in a case) — then it ends with outcome 'bound-passed' and the list of what
// was still open, in the audit trail and on the Overdue search attribute; those inspections keep running by their own
// deadlines. Look-backs belong to the year they were ordered in (campaign `{campaignId}-lookback`, on-site claim of
// that year) and run as workflows of their own (workflows/look-back.ts), also past the flying period and the
// year-end summary: the campaign orders them and does not wait for them.
import { setCurrentDetails, setHandler, sleep, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { FlyingDrawSummary, StartFlyingTargetsResult } from '../../activities/flying';
import { flyingCampaignId, lookBackCampaignId, lookBackWorkflowId } from '../../domain/business-keys';
import { formatLocal, localInstant } from '../../domain/calendar';
import { DEFAULT_STATEMENT_PERIOD } from '../../domain/flying';
import { deadlineAfter, describePeriod, maxCalendarDays, type Period } from '../../domain/period';
import { runActivity, runPageActivity } from '../activities';
import { contextFromPlan } from '../inspection/start';
import { searchAttributes } from '../search-attributes';
import { msUntil } from '../waiting';
import { MAX_FLYING_PAGE, FlyingChecksInput, FlyingChecksStatus, flyingChecksStatusQuery } from './api';

export async function flyingChecks(input: FlyingChecksInput): Promise<FlyingChecksStatus> {
  const { workflowId } = workflowInfo();
  const { jurisdiction, year } = input;
  const plan = await runActivity('loadPlanDigest', '读取监管计划', jurisdiction);
  const tz = plan.jurisdiction.timeZone;
  const { endOfDay } = plan.calendar;
  const startAt = localInstant(year, plan.calendar.flyingChecks.start, plan.reminders.timeOfDay, tz);
  const endAt = localInstant(year, plan.calendar.flyingChecks.end, endOfDay, tz);
  const campaignId = flyingCampaignId(jurisdiction, year);
  const lookBackId = lookBackCampaignId(campaignId);
  const title = `${year}年飞行检查`;
  const status: FlyingChecksStatus = { stage: 'waiting', campaignId, random: [], risk: [], lookBacks: [] };
  setHandler(flyingChecksStatusQuery, () => status);
  upsertSearchAttributes(searchAttributes({ jurisdiction, campaignId, campaignKind: 'flying', year, dueAt: endAt, stage: status.stage }));
  if (new Date() < startAt) await sleep(msUntil(startAt), { summary: `飞行检查开始 ${formatLocal(startAt, tz)}` });

  // Visits are due within the plan's findings period, and never after the flying-check season ends.
  const dueAt = new Date(
    Math.min(deadlineAfter(new Date(), { days: plan.inspection.findingsPeriodDays }, endOfDay, tz).getTime(), endAt.getTime()),
  );
  const register = (id: string, kind: string, name: string) =>
    runActivity(
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
        key: `${workflowId}:registered:${id}`,
        actor: 'system',
        action: 'campaign-registered',
        subjectType: 'campaign',
        subjectId: id,
        reason: name,
        detail: {},
        at: new Date().toISOString(),
      },
    );
  const campaign = await register(campaignId, 'flying', title);
  await register(lookBackId, 'look-back', `${year}年飞行检查回头看`);
  status.seed = campaign.drawSeed;

  const { flyingCheck } = plan;
  const draw: FlyingDrawSummary = await runActivity('drawEligibleTargets', '双随机抽取检查对象（结果暂不公开）', {
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
  status.random = draw.random;
  status.risk = draw.risk;
  status.eligible = draw.eligible;
  status.excluded = draw.excluded;
  status.stage = 'inspecting';
  upsertSearchAttributes(searchAttributes({ stage: status.stage }));
  const drawn = `随机抽取 ${draw.random.length} 家，风险加权抽取 ${draw.risk.length} 家（候选 ${draw.eligible} 家，本年已检查且无线索或疑点未列入 ${draw.excluded} 家）`;
  setCurrentDetails(`${title}：${drawn}；不预先通知`);

  // The targets, page by page, unannounced (no institution is told before its visit).
  const statementPeriod: Period =
    flyingCheck.statementPeriod ?? (flyingCheck.statementPeriodDays ? { days: flyingCheck.statementPeriodDays } : DEFAULT_STATEMENT_PERIOD);
  status.statementPeriod = describePeriod(statementPeriod);
  const context = contextFromPlan(
    plan,
    { id: campaignId, kind: 'flying', title, year, dueAt: dueAt.toISOString(), announced: false },
    campaign.drawSeed,
  );
  const targets = draw.random.length + draw.risk.length;
  const pageSize = Math.min(MAX_FLYING_PAGE, Math.max(1, Math.floor(input.pageSize ?? MAX_FLYING_PAGE)));
  const pages = Math.ceil(targets / pageSize);
  status.pages = pages;
  const started: StartFlyingTargetsResult[] = await Promise.all(
    Array.from({ length: pages }, (_, k) =>
      runPageActivity('startFlyingTargets', `启动检查 第 ${k * pageSize + 1}–${Math.min(targets, (k + 1) * pageSize)} 家（不预先通知）`, {
        campaignId,
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

  // Follow-ups until every target is over, bounded by the season's end plus the inspections' own windows.
  const windowDays = plan.inspection.lateWindowDays + maxCalendarDays(statementPeriod) + 1;
  const trackUntil = deadlineAfter(endAt, { days: windowDays }, endOfDay, tz);
  status.trackUntil = trackUntil.toISOString();
  const trackEveryDays = flyingCheck.trackEveryDays ?? 7;
  for (;;) {
    const follow = await runPageActivity('followUpFlyingTargets', '跟进检查进展，安排回头看', {
      campaignId,
      jurisdiction,
      year,
      drawSeed: campaign.drawSeed,
      at: new Date().toISOString(),
    });
    status.lookBacks.push(...follow.lookBacksStarted.map((id) => id.slice(lookBackWorkflowId(campaignId, '').length)));
    status.pending = follow.pending;
    status.unfinished = follow.unfinished;
    setCurrentDetails(
      `${title}：${drawn}；已启动 ${status.started} 家，已结束 ${follow.finished} 家，未结束 ${follow.pending} 家，回头看 ${status.lookBacks.length} 家；跟踪至 ${formatLocal(trackUntil, tz)}`,
    );
    if (follow.pending === 0) {
      status.outcome = 'all-finished';
      break;
    }
    if (new Date() >= trackUntil) {
      status.outcome = 'bound-passed';
      break;
    }
    const next = new Date(
      Math.min(deadlineAfter(new Date(), { days: trackEveryDays }, plan.reminders.timeOfDay, tz).getTime(), trackUntil.getTime()),
    );
    await sleep(msUntil(next), { summary: `跟进检查进展 ${formatLocal(next, tz)}` });
  }

  const ended =
    status.outcome === 'all-finished'
      ? `${title}结束：检查 ${status.started} 家，回头看 ${status.lookBacks.length} 家（各自进行）`
      : `${title}跟踪期限 ${formatLocal(trackUntil, tz)} 已到，仍有 ${status.pending} 家检查未结束（${status.unfinished!.join('、')}${status.pending! > status.unfinished!.length ? ' 等' : ''}），由各检查按其期限继续`;
  await runActivity('recordFlyingOutcome', status.outcome === 'all-finished' ? '记录：飞行检查结束' : '记录：跟踪期限已到', {
    key: `${workflowId}:outcome`,
    actor: 'system',
    action: 'flying-campaign-ended',
    subjectType: 'campaign',
    subjectId: campaignId,
    reason: ended,
    detail: {
      outcome: status.outcome,
      started: status.started,
      refused: status.refused,
      extra: status.extra,
      pending: status.pending,
      unfinished: status.unfinished,
      lookBacks: status.lookBacks,
      trackUntil: status.trackUntil,
    },
    at: new Date().toISOString(),
  });
  status.stage = 'completed';
  upsertSearchAttributes(searchAttributes({ stage: status.stage, overdue: status.outcome === 'bound-passed' }));
  setCurrentDetails(ended);
  return status;
}
