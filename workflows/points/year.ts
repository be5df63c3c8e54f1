// The year's run: wait for the next suspension to be lifted or for the year's end, and continue as new when the
// history grows long.
import { condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import { formatLocal } from '../../domain/calendar';
import { liftIfDue } from '../../domain/points';
import { msUntil } from '../waiting';
import type { PointsWorkflow } from './api';
import { showDetails, type PointsYearState } from './state';
import { drained, notify, recordStanding } from './steps';

/**
 * Whether this run's history is long enough to continue as new: Temporal suggests it, or it has reached the configured
 * bound and grown since the run started (a bound below a fresh run's few events must not continue as new for ever).
 * Call it at the run's start, before anything is awaited.
 */
export function historyWatch(s: PointsYearState): () => boolean {
  const runStartLength = workflowInfo().historyLength;
  return () => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || (info.historyLength >= s.settings.historyEventsLimit && info.historyLength > runStartLength);
  };
}

/**
 * Runs until the year's end. The run wakes when a suspension is due to be lifted, when the state changes, and when
 * its history reaches the bound (not only when a deduction changes the state).
 */
export async function runYear(s: PointsYearState, historyLong: () => boolean): Promise<void> {
  while (new Date() < s.yearEnd) {
    s.changed = false;
    await nextWake(s, historyLong);
    await liftSuspensionIfDue(s);
    if (historyLong()) await continueWithState(s);
  }
}

/** Waits for the suspension's end or the year's end, whichever is first, or for a change. */
async function nextWake(s: PointsYearState, historyLong: () => boolean): Promise<void> {
  const { points, yearEnd, tz } = s;
  const lift = points.eligibility === 'suspended' && points.suspendedUntil ? new Date(points.suspendedUntil) : undefined;
  const wake = lift && lift < yearEnd ? lift : yearEnd;
  await condition(() => s.changed || historyLong(), msUntil(wake), {
    summary: lift && wake === lift ? `暂停至 ${formatLocal(lift, tz)}` : `${s.input.year}年末记分清零`,
  });
}

/** The suspension's end (the durable timer's work): eligibility comes back, in the ledger and by notice. */
async function liftSuspensionIfDue(s: PointsYearState): Promise<void> {
  const lifted = liftIfDue(s.points, new Date());
  if (lifted.eligibility === s.points.eligibility) return;
  const { input } = s;
  const was = s.points.suspendedUntil;
  s.points = lifted;
  s.version++;
  await recordStanding(s, `lifted:${was}`, 'points-lifted', `暂停期满（${formatLocal(new Date(was!), s.tz)}），恢复医保支付资格`);
  await notify(
    s,
    `lifted:${s.deductions.length}`,
    `【恢复医保支付资格】${input.practitionerId}`,
    `医保医师/药师 ${input.practitionerId} 的暂停期已满，自即日起恢复医保支付资格。`,
  );
  showDetails(s);
}

/** Continues as new with the whole state, once the deductions in flight have reached the ledger. */
async function continueWithState(s: PointsYearState): Promise<never> {
  await drained(s, '续新');
  const { points, deductions, rejected, version, carriedFrom } = s;
  return continueAsNew<PointsWorkflow>({
    ...s.input,
    carried: undefined,
    resume: { state: points, deductions, rejected, version, carriedFrom },
  });
}
