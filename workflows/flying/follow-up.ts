// After the visits: the campaign follows its targets up in the ledger (ordering look-backs) until all are over or the
// tracking bound has passed, then records how it ended.
import { setCurrentDetails, sleep } from '@temporalio/workflow';
import { lookBackWorkflowId } from '../../domain/business-keys';
import { formatLocal } from '../../domain/calendar';
import { deadlineAfter, maxCalendarDays } from '../../domain/period';
import { runActivity, runPageActivity } from '../activities';
import { FLYING_STAGE_LABELS } from '../../domain/stages';
import { upsertWithLabels } from '../upsert';
import { msUntil } from '../waiting';
import type { FlyingRun } from './state';

/** The season's end plus the inspections' own windows (late findings and statement period): tracking stops there. */
function trackingBound(s: FlyingRun): Date {
  const { plan } = s;
  const windowDays = plan.inspection.lateWindowDays + maxCalendarDays(s.statementPeriod) + 1;
  return deadlineAfter(s.endAt, { days: windowDays }, plan.calendar.endOfDay, s.tz, s.holidays);
}

/** Follow-ups every `trackEveryDays` until every target is over or the bound has passed; returns the bound. */
export async function followUntilOver(s: FlyingRun, seed: string, drawn: string): Promise<Date> {
  const { status, plan, tz } = s;
  const trackUntil = trackingBound(s);
  status.trackUntil = trackUntil.toISOString();
  const trackEveryDays = plan.flyingCheck.trackEveryDays ?? 7;
  for (;;) {
    const pending = await followUp(s, seed, drawn, trackUntil);
    if (pending === 0) {
      status.outcome = 'all-finished';
      return trackUntil;
    }
    if (new Date() >= trackUntil) {
      status.outcome = 'bound-passed';
      return trackUntil;
    }
    const next = new Date(
      Math.min(
        deadlineAfter(new Date(), { days: trackEveryDays }, plan.reminders.timeOfDay, tz, s.holidays).getTime(),
        trackUntil.getTime(),
      ),
    );
    await sleep(msUntil(next), { summary: `跟进检查进展 ${formatLocal(next, tz)}` });
  }
}

/** One follow-up: the targets' progress from the ledger, look-backs ordered; returns how many are not over. */
async function followUp(s: FlyingRun, seed: string, drawn: string, trackUntil: Date): Promise<number> {
  const { input, status, campaignId } = s;
  const follow = await runPageActivity('followUpFlyingTargets', '跟进检查进展，安排回头看', {
    campaignId,
    jurisdiction: input.jurisdiction,
    year: input.year,
    drawSeed: seed,
    at: new Date().toISOString(),
  });
  status.lookBacks.push(...follow.lookBacksStarted.map((id) => id.slice(lookBackWorkflowId(campaignId, '').length)));
  status.pending = follow.pending;
  status.unfinished = follow.unfinished;
  setCurrentDetails(
    `${s.title}：${drawn}；已启动 ${status.started} 家，已结束 ${follow.finished} 家，未结束 ${follow.pending} 家，回头看 ${status.lookBacks.length} 家；跟踪至 ${formatLocal(trackUntil, s.tz)}`,
  );
  return follow.pending;
}

/** The campaign's end in the audit trail, the stage and the Overdue search attribute. */
export async function recordOutcome(s: FlyingRun, trackUntil: Date): Promise<void> {
  const { status, title } = s;
  const ended =
    status.outcome === 'all-finished'
      ? `${title}结束：检查 ${status.started} 家，回头看 ${status.lookBacks.length} 家（各自进行）`
      : `${title}跟踪期限 ${formatLocal(trackUntil, s.tz)} 已到，仍有 ${status.pending} 家检查未结束（${status.unfinished!.join('、')}${status.pending! > status.unfinished!.length ? ' 等' : ''}），由各检查按其期限继续`;
  await runActivity('recordFlyingOutcome', status.outcome === 'all-finished' ? '记录：飞行检查结束' : '记录：跟踪期限已到', {
    key: `${s.workflowId}:outcome`,
    actor: 'system',
    action: 'flying-campaign-ended',
    subjectType: 'campaign',
    subjectId: s.campaignId,
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
  upsertWithLabels({ stage: status.stage, overdue: status.outcome === 'bound-passed' }, { stageLabel: FLYING_STAGE_LABELS[status.stage] });
  setCurrentDetails(ended);
}
