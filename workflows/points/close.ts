// The year's close: points reset on 1 January, so the year's workflow stops taking deductions, finishes those in
// flight, writes its closing standing and hands a suspension or bar still running to next year's workflow.
import { formatLocal } from '../../domain/calendar';
import { restrictionRunningPast, type CarriedRestriction } from '../../domain/points';
import { runActivity } from '../activities';
import type { PointsInput } from './api';
import { ELIGIBILITY_LABELS, showDetails, type PointsYearState } from './state';
import { drained, notify, recordStanding } from './steps';

/** Closes the year; returns the restriction that runs on past its end, if any. */
export async function closeYear(s: PointsYearState): Promise<CarriedRestriction | undefined> {
  // Nothing new is taken from here; what is in flight is finished first.
  s.closing = true;
  showDetails(s);
  await drained(s, '年度结束');
  const carried = restrictionRunningPast(s.points, s.yearEnd);
  if (s.deductions.length > 0 || s.carriedFrom.length > 0 || s.points.eligibility !== 'eligible') await recordClose(s, carried);
  return carried;
}

/** The closing standing in the ledger, and a notice when a restriction goes on into next year. */
async function recordClose(s: PointsYearState, carried: CarriedRestriction | undefined): Promise<void> {
  const { input, tz } = s;
  s.version++;
  const until = carried ? (carried.suspendedUntil ?? carried.barredUntil)! : null;
  const going = carried
    ? `，${ELIGIBILITY_LABELS[carried.eligibility]}延续至 ${formatLocal(new Date(until!), tz)}（移交 ${s.nextYearId}）`
    : '';
  await recordStanding(s, `year-closed`, 'points-year-closed', `${input.year}年度结束：记分 ${s.points.total} 分清零${going}`, {
    carried: carried ?? null,
  });
  if (carried) {
    await notify(
      s,
      'year-closed',
      `【医保支付资格记分年度结转】${input.practitionerId}`,
      `医保医师/药师 ${input.practitionerId} ${input.year}年度记分 ${s.points.total} 分，自 ${input.year + 1}年1月1日起清零重新计算；${ELIGIBILITY_LABELS[carried.eligibility]}不因年度结转而解除，延续至 ${formatLocal(new Date(until!), tz)}。`,
    );
  }
}

/** Starts next year's workflow (or tells it, if January's deductions started it already) of the running restriction. */
export async function handOver(s: PointsYearState, carried: CarriedRestriction): Promise<void> {
  const { input } = s;
  const next: PointsInput = {
    practitionerId: input.practitionerId,
    jurisdiction: input.jurisdiction,
    year: input.year + 1,
    rules: input.rules,
    notify: input.notify,
    ...(input.officers && { officers: input.officers }),
    ...(input.settings && { settings: input.settings }),
  };
  await runActivity('handOverPoints', `移交${input.year + 1}年`, next, { ...carried, fromYear: input.year });
}
