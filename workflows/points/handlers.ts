// The points workflow's query, Updates and the older senders' signals. An Update's validator refuses whatever would not
// be applied (a key used by another deduction, a closed year, a sender who is no officer, a decision date outside the
// year, what the rules forbid), so the sender always gets the real answer; a signal cannot be refused up front, so a
// refused signal is recorded and notified instead.
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import { z } from 'zod';
import { pointsWorkflowId } from '../../domain/business-keys';
import { formatLocal, localYear } from '../../domain/calendar';
import { deductionProblems, pointsDeductionSchema, withCarried } from '../../domain/points';
import { formatProblems, zodProblems } from '../../domain/validation';
import {
  carryOverSignal,
  carryOverUpdate,
  deductPointsSignal,
  deductPointsUpdate,
  pointsStatusQuery,
  type PointsDeduction,
  type PointsDeductionResult,
} from './api';
import { closedMessage, pointsStatus, showDetails, yearClosed, type PointsYearState } from './state';
import { deduct, notify, recordStanding, takeCarried } from './steps';

const carriedSchema = z
  .strictObject({
    fromYear: z.number().int(),
    eligibility: z.enum(['suspended', 'ended']),
    suspendedUntil: z.iso.datetime().nullable(),
    barredUntil: z.iso.datetime().nullable(),
  })
  .refine((c) => (c.eligibility === 'suspended' ? c.suspendedUntil !== null : c.barredUntil !== null), {
    message: 'a suspension needs suspendedUntil, an end barredUntil',
    path: ['eligibility'],
  });

type DeductionRequest = Omit<PointsDeduction, 'key' | 'decidedAt'> & { key?: string; decidedAt?: string };

/** Registers the status query, the `deduct` and `carryOverRestriction` Updates and the two older signals. */
export function registerHandlers(s: PointsYearState): void {
  setHandler(pointsStatusQuery, () => pointsStatus(s));
  setHandler(deductPointsUpdate, (payload) => deductByUpdate(s, payload), { validator: (payload) => validateDeduction(s, payload) });
  setHandler(
    carryOverUpdate,
    async (payload) => {
      await takeCarried(s, carriedSchema.parse(payload));
      return pointsStatus(s);
    },
    { validator: (payload) => validateCarried(s, payload) },
  );
  setHandler(deductPointsSignal, (d) => deductBySignal(s, d));
  setHandler(carryOverSignal, (carried) => {
    s.points = withCarried(s.points, carried);
    s.changed = true;
    showDetails(s);
  });
}

/** Whether two deductions are the same decision (a retry, a command run twice), whatever their decidedAt. */
function sameDeduction(a: PointsDeduction, b: Omit<PointsDeduction, 'key' | 'decidedAt'>): boolean {
  return (
    a.tier === b.tier &&
    a.points === b.points &&
    a.suspensionMonths === b.suspensionMonths &&
    a.caseId === b.caseId &&
    a.reason === b.reason &&
    a.decidedBy === b.decidedBy
  );
}

async function deductByUpdate(s: PointsYearState, payload: unknown): Promise<PointsDeductionResult> {
  const parsed = pointsDeductionSchema.parse(payload);
  const seen = parsed.key === undefined ? undefined : s.deductions.find((d) => d.key === parsed.key);
  if (seen) return { ...pointsStatus(s), deduction: seen, duplicate: true };
  const d: PointsDeduction = {
    key: parsed.key ?? `${s.workflowId}:manual:${s.deductions.length + 1}`,
    tier: parsed.tier,
    points: parsed.points,
    ...(parsed.suspensionMonths !== undefined && { suspensionMonths: parsed.suspensionMonths }),
    caseId: parsed.caseId ?? null,
    reason: parsed.reason,
    decidedBy: parsed.decidedBy,
    decidedAt: parsed.decidedAt === undefined ? new Date().toISOString() : new Date(parsed.decidedAt).toISOString(),
  };
  await deduct(s, d);
  return { ...pointsStatus(s), deduction: d, duplicate: false };
}

function validateDeduction(s: PointsYearState, payload: unknown): void {
  const parsed = pointsDeductionSchema.safeParse(payload);
  if (!parsed.success)
    throw ApplicationFailure.nonRetryable(`invalid deduction: ${formatProblems(zodProblems(parsed.error))}`, 'InvalidPayload');
  const refused = refusal(s, { ...parsed.data, caseId: parsed.data.caseId ?? null });
  if (refused) throw ApplicationFailure.nonRetryable(refused.message, refused.type);
}

/** Everything the rules and the sender's authority say against `d`, as one message; undefined when it may be applied. */
function refusal(s: PointsYearState, d: DeductionRequest): { message: string; type: string } | undefined {
  const { input, tz } = s;
  // The same deduction again (a retry, a command run twice) is answered with the first result, even once closing.
  const seen = d.key === undefined ? undefined : s.deductions.find((sd) => sd.key === d.key);
  if (seen) {
    if (sameDeduction(seen, d)) return undefined;
    return {
      message: `key: "${d.key}" is already used by another deduction (tier ${seen.tier}, ${seen.points} points, ${seen.reason}, decided ${formatLocal(new Date(seen.decidedAt), tz)} by ${seen.decidedBy}): give this deduction its own key`,
      type: 'DuplicateKey',
    };
  }
  if (yearClosed(s)) return { message: closedMessage(s), type: 'YearClosed' };
  if (input.officers && !input.officers.includes(d.decidedBy)) {
    return {
      message: `decidedBy: "${d.decidedBy}" is not an officer of ${input.jurisdiction.name} who may decide points deductions`,
      type: 'NotAuthorised',
    };
  }
  if (d.decidedAt !== undefined) {
    const at = new Date(d.decidedAt);
    if (localYear(at, tz) !== input.year)
      return {
        message: `decidedAt: ${d.decidedAt} is not in ${input.year}: points count in the year they are decided (workflow ${pointsWorkflowId(input.practitionerId, localYear(at, tz))})`,
        type: 'InvalidPayload',
      };
    if (at > new Date()) return { message: `decidedAt: ${d.decidedAt} is in the future`, type: 'InvalidPayload' };
  }
  const problems = deductionProblems(s.points, d, input.rules);
  if (problems.length) return { message: `deduction refused: ${formatProblems(problems)}`, type: 'InvalidPayload' };
  return undefined;
}

function validateCarried(s: PointsYearState, payload: unknown): void {
  const parsed = carriedSchema.safeParse(payload);
  if (!parsed.success)
    throw ApplicationFailure.nonRetryable(`invalid carried restriction: ${formatProblems(zodProblems(parsed.error))}`, 'InvalidPayload');
  if (parsed.data.fromYear !== s.input.year - 1)
    throw ApplicationFailure.nonRetryable(`fromYear: ${parsed.data.fromYear} is not the year before ${s.input.year}`, 'InvalidPayload');
}

/** An older sender's deduction: applied, or (it cannot be refused up front) recorded as refused and notified. */
async function deductBySignal(s: PointsYearState, d: PointsDeduction): Promise<void> {
  const { input } = s;
  if (s.deductions.some((seen) => seen.key === d.key)) return;
  const problems = yearClosed(s) ? closedMessage(s) : formatProblems(deductionProblems(s.points, d, input.rules));
  if (!problems) {
    await deduct(s, d);
    return;
  }
  if (s.rejected.some((r) => r.key === d.key)) return;
  s.rejected.push({ key: d.key, reason: problems });
  await recordStanding(s, `refused:${d.key}`, 'points-refused', `记分未执行：${d.reason}（第${d.tier}档 ${d.points} 分）：${problems}`, {
    deduction: d,
  });
  await notify(
    s,
    `refused:${s.rejected.length}`,
    `【医保支付资格记分未执行】${input.practitionerId}`,
    `对医保医师/药师 ${input.practitionerId} 的记分（${d.reason}，第${d.tier}档 ${d.points} 分${d.caseId ? `，案件 ${d.caseId}` : ''}）未执行：${problems}。请核实后重新作出记分决定。`,
  );
}
