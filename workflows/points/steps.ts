// The points workflow's shared steps: notices, the standing in the ledger, a deduction, a carried restriction, and the
// wait for deductions still being written.
import { allHandlersFinished, condition } from '@temporalio/workflow';
import { formatLocal } from '../../domain/calendar';
import { SIGNATURE } from '../../domain/inspection-messages';
import { applyDeduction, withCarried } from '../../domain/points';
import type { AuditEntry } from '../../records/types';
import { runActivity } from '../activities';
import type { CarriedOver, PointsDeduction } from './api';
import { ELIGIBILITY_LABELS, showDetails, standingRow, type PointsYearState } from './state';

const EFFECT_LABELS = { none: '', suspended: '，暂停医保支付资格', ended: '，终止医保支付资格' } as const;

export async function notify(s: PointsYearState, event: string, subject: string, text: string): Promise<void> {
  await runActivity('sendNotification', `通知：${subject}`, {
    key: `${s.workflowId}:${event}`,
    kind: `points-${event.split(':')[0]}`,
    to: s.input.notify,
    subject,
    text: text + SIGNATURE,
  });
}

function audit(s: PointsYearState, event: string, action: string, reason: string, detail: Record<string, unknown>): AuditEntry {
  return {
    key: `${s.workflowId}:${event}`,
    actor: 'system',
    action,
    subjectType: 'practitioner',
    subjectId: s.input.practitionerId,
    reason,
    detail,
    at: new Date().toISOString(),
  };
}

/** Writes the current standing and an audit entry (idempotent: the audit key, the row's version). */
export async function recordStanding(
  s: PointsYearState,
  event: string,
  action: string,
  reason: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  const row = standingRow(s);
  await runActivity('recordPointsStatus', `台账：${reason}`, row, audit(s, event, action, reason, { ...detail, standing: row }));
}

/** Applies one deduction: the state changes at once (so the next validator sees it), then ledger and notice. */
export async function deduct(s: PointsYearState, d: PointsDeduction): Promise<void> {
  const { input, tz } = s;
  const result = applyDeduction(s.points, d, new Date(), tz, input.rules);
  s.points = result.state;
  s.deductions.push(d);
  s.version++;
  s.changed = true;
  const row = standingRow(s);
  const reason = `${d.reason}（第${d.tier}档 ${d.points} 分，累计 ${s.points.total} 分${EFFECT_LABELS[result.effect]}）`;
  await runActivity(
    'recordPointsDeduction',
    `记分 ${d.points} 分，累计 ${s.points.total} 分`,
    {
      key: d.key,
      practitionerId: input.practitionerId,
      year: input.year,
      tier: d.tier,
      points: d.points,
      caseId: d.caseId,
      reason: d.reason,
      decidedBy: d.decidedBy,
      decidedAt: d.decidedAt,
    },
    {
      key: `${s.workflowId}:deduct:${d.key}`,
      actor: d.decidedBy,
      action: `points-${result.effect === 'none' ? 'deducted' : result.effect}`,
      subjectType: 'practitioner',
      subjectId: input.practitionerId,
      reason,
      detail: { ...d, total: s.points.total, until: result.until },
      at: d.decidedAt,
    },
    row,
  );
  const until = result.until ? `，至 ${formatLocal(new Date(result.until), tz)}` : '';
  await notify(
    s,
    `deduction:${s.deductions.length}`,
    `【医保支付资格记分】${input.practitionerId}：${d.points} 分（累计 ${s.points.total} 分）`,
    `${input.jurisdiction.name}医疗保障局对医保医师/药师 ${input.practitionerId} 记 ${d.points} 分。${reason}${until}。`,
  );
  showDetails(s);
}

/** Takes last year's restriction into this year's state (once per year it comes from). */
export async function takeCarried(s: PointsYearState, carried: CarriedOver): Promise<void> {
  if (s.carriedFrom.includes(carried.fromYear)) return;
  s.carriedFrom.push(carried.fromYear);
  s.points = withCarried(s.points, carried);
  s.version++;
  s.changed = true;
  showDetails(s);
  const until = s.points.suspendedUntil ?? s.points.barredUntil;
  await recordStanding(
    s,
    `carried-in:${carried.fromYear}`,
    'points-carried-over',
    `${carried.fromYear}年延续：${ELIGIBILITY_LABELS[s.points.eligibility]}${until ? `至 ${formatLocal(new Date(until), s.tz)}` : ''}，${s.input.year}年记分自 0 分起算`,
    { carried },
  );
}

/**
 * Waits until no deduction is being written any more (before continuing as new, and before the year's close), round
 * by round of `closingGraceMinutes`; after the first round the bureau is told that the ledger is late.
 */
export async function drained(s: PointsYearState, what: string): Promise<void> {
  if (allHandlersFinished()) return;
  const { input, settings } = s;
  const grace = settings.closingGraceMinutes * 60_000;
  for (let round = 1; !(await condition(allHandlersFinished, grace, { summary: `${what}：等待记分写入台账` })); round++) {
    if (round === 1) {
      await notify(
        s,
        `ledger-late:${s.version}`,
        `【医保支付资格记分】${input.practitionerId}：记分写入台账延迟`,
        `医保医师/药师 ${input.practitionerId} ${input.year}年的记分在 ${settings.closingGraceMinutes} 分钟内仍未写入台账（${what}），系统继续等待，请检查台账系统。`,
      );
    }
  }
}
