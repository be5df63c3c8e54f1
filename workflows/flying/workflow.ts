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
// that year) and run as workflows of their own (workflows/look-back/), also past the flying period and the
// year-end summary: the campaign orders them and does not wait for them.
//
// The shared state is state.ts; the steps up to the visits are steps.ts; the follow-ups and the outcome follow-up.ts.
import { setHandler } from '@temporalio/workflow';
import { runActivity } from '../activities';
import { FLYING_STAGE_LABELS } from '../../domain/stages';
import { upsertWithLabels } from '../upsert';
import { flyingChecksStatusQuery, type FlyingChecksInput, type FlyingChecksStatus } from './api';
import { followUntilOver, recordOutcome } from './follow-up';
import { createFlyingRun } from './state';
import { drawTargets, registerCampaigns, startTargets, visitsDueAt, waitForSeason } from './steps';

export async function flyingChecks(input: FlyingChecksInput): Promise<FlyingChecksStatus> {
  const { jurisdiction, year } = input;
  const plan = await runActivity('loadPlanDigest', '读取监管计划', jurisdiction);
  const s = createFlyingRun(input, plan);
  const { status, campaignId } = s;
  setHandler(flyingChecksStatusQuery, () => status);
  upsertWithLabels(
    { jurisdiction, campaignId, campaignKind: 'flying', year, dueAt: s.endAt, stage: status.stage },
    { stageLabel: FLYING_STAGE_LABELS[status.stage] },
  );
  await waitForSeason(s);
  const dueAt = visitsDueAt(s);
  const seed = await registerCampaigns(s, dueAt);
  const drawn = await drawTargets(s, seed);
  await startTargets(s, seed, dueAt);
  const trackUntil = await followUntilOver(s, seed, drawn);
  await recordOutcome(s, trackUntil);
  return status;
}
