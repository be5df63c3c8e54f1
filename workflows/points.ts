// Practitioner points (医保支付资格记分, DESIGN §5 "practitionerPoints"): one entity workflow per practitioner and year,
// `points:{practitionerId}:{year}`. Deductions arrive by hand (a validated Update, `jianguan points deduct`) or from a
// case's penalty decision (a signal, checked by the sending activity). Reaching the suspension threshold suspends the
// practitioner's billing eligibility for the decided months (a durable timer lifts it); reaching the end threshold ends
// it with a re-registration bar. Points reset every January: at the year's end a suspension or bar still running is
// handed to next year's workflow, which starts at zero points. A long year continues as new with its state.
import {
  ApplicationFailure,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { formatLocal, localInstant } from '../domain/calendar';
import { SIGNATURE } from '../domain/inspection-messages';
import {
  applyDeduction,
  deductionProblems,
  initialPointsState,
  liftIfDue,
  pointsDeductionSchema,
  type PointsRules,
  type PointsState,
} from '../domain/points';
import { formatProblems, zodProblems } from '../domain/validation';
import { runActivity } from './activities';
import { msUntil } from './waiting';

export interface PointsDeduction {
  /** Idempotency key: a deduction seen twice counts once. */
  key: string;
  tier: number;
  points: number;
  suspensionMonths?: number;
  caseId: string | null;
  reason: string;
  decidedBy: string;
  decidedAt: string;
}

type Carried = Pick<PointsState, 'eligibility' | 'suspendedUntil' | 'barredUntil'>;

export interface PointsInput {
  practitionerId: string;
  jurisdiction: { code: string; name: string; timeZone: string };
  year: number;
  rules: PointsRules;
  /** Who is told of every deduction, suspension and lift (the bureau's mailbox). */
  notify: Array<{ name: string; email: string }>;
  /** Set by continue-as-new within the year: the state so far. */
  resume?: { state: PointsState; deductions: PointsDeduction[] };
}

export interface PointsStatus extends PointsState {
  practitionerId: string;
  deductions: PointsDeduction[];
  rejected: Array<{ key: string; reason: string }>;
}

export const pointsStatusQuery = defineQuery<PointsStatus>('status');
/** By hand (`jianguan points deduct`): validated, rejected with a clear message. Payload: pointsDeductionSchema. */
export const deductPointsUpdate = defineUpdate<PointsStatus, [unknown]>('deduct');
/** From a case's penalty decision (signal-with-start by an activity that checked it first). */
export const deductPointsSignal = defineSignal<[PointsDeduction]>('deductPoints');
/** From last year's workflow: a suspension or bar that runs into this year. */
export const carryOverSignal = defineSignal<[Carried]>('carryOver');

export function pointsWorkflowId(practitionerId: string, year: number): string {
  return `points:${practitionerId}:${year}`;
}

const EFFECT_LABELS = { none: '', suspended: '，暂停医保支付资格', ended: '，终止医保支付资格' } as const;

export async function practitionerPoints(input: PointsInput): Promise<PointsStatus> {
  const { workflowId } = workflowInfo();
  const tz = input.jurisdiction.timeZone;
  let state: PointsState = input.resume?.state ?? initialPointsState(input.year);
  const deductions: PointsDeduction[] = input.resume?.deductions ?? [];
  const rejected: PointsStatus['rejected'] = [];
  /** Set whenever the next wake-up may have moved (a new suspension, a carried one). */
  let changed = false;
  const status = (): PointsStatus => ({ ...state, practitionerId: input.practitionerId, deductions, rejected });

  async function notify(event: string, subject: string, text: string): Promise<void> {
    await runActivity('sendNotification', `通知：${subject}`, { key: `${workflowId}:${event}`, kind: `points-${event.split(':')[0]}`, to: input.notify, subject, text: text + SIGNATURE });
  }

  function details(): void {
    const until = state.suspendedUntil ?? state.barredUntil;
    setCurrentDetails(`**${input.practitionerId}** ${input.year}年 记分 ${state.total} 分：${state.eligibility}${until ? `（至 ${formatLocal(new Date(until), tz)}）` : ''}`);
  }

  /** Applies one deduction: the state changes at once (so the next validator sees it), then ledger and notice. */
  async function apply(d: PointsDeduction): Promise<void> {
    if (deductions.some((seen) => seen.key === d.key)) return;
    const problems = deductionProblems(state, d, input.rules);
    if (problems.length) {
      rejected.push({ key: d.key, reason: formatProblems(problems) });
      return;
    }
    const result = applyDeduction(state, d, new Date(), tz, input.rules);
    state = result.state;
    deductions.push(d);
    changed = true;
    const reason = `${d.reason}（第${d.tier}档 ${d.points} 分，累计 ${state.total} 分${EFFECT_LABELS[result.effect]}）`;
    await runActivity(
      'recordPointsDeduction',
      `记分 ${d.points} 分，累计 ${state.total} 分`,
      { key: d.key, practitionerId: input.practitionerId, year: input.year, tier: d.tier, points: d.points, caseId: d.caseId, reason: d.reason, decidedBy: d.decidedBy, decidedAt: d.decidedAt },
      { key: `${workflowId}:deduct:${d.key}`, actor: d.decidedBy, action: `points-${result.effect === 'none' ? 'deducted' : result.effect}`, subjectType: 'practitioner', subjectId: input.practitionerId, reason, detail: { ...d, total: state.total, until: result.until }, at: d.decidedAt },
    );
    const until = result.until ? `，至 ${formatLocal(new Date(result.until), tz)}` : '';
    await notify(`deduction:${deductions.length}`, `【医保支付资格记分】${input.practitionerId}：${d.points} 分（累计 ${state.total} 分）`, `${input.jurisdiction.name}医疗保障局对医保医师/药师 ${input.practitionerId} 记 ${d.points} 分。${reason}${until}。`);
    details();
  }

  setHandler(pointsStatusQuery, status);
  setHandler(
    deductPointsUpdate,
    async (payload) => {
      const parsed = pointsDeductionSchema.parse(payload);
      await apply({ ...parsed, key: parsed.key ?? `${workflowId}:manual:${deductions.length + 1}`, caseId: parsed.caseId ?? null, decidedAt: new Date().toISOString() });
      return status();
    },
    {
      validator: (payload) => {
        const parsed = pointsDeductionSchema.safeParse(payload);
        if (!parsed.success) throw ApplicationFailure.nonRetryable(`invalid deduction: ${formatProblems(zodProblems(parsed.error))}`, 'InvalidPayload');
        const problems = deductionProblems(state, parsed.data, input.rules);
        if (problems.length) throw ApplicationFailure.nonRetryable(`deduction refused: ${formatProblems(problems)}`, 'InvalidPayload');
      },
    },
  );
  setHandler(deductPointsSignal, apply);
  setHandler(carryOverSignal, (carried) => {
    state = { ...state, ...carried };
    changed = true;
    details();
  });

  details();
  const yearEnd = localInstant(input.year + 1, '01-01', '00:00', tz);
  while (new Date() < yearEnd) {
    changed = false;
    const lift = state.eligibility === 'suspended' && state.suspendedUntil ? new Date(state.suspendedUntil) : undefined;
    const wake = lift && lift < yearEnd ? lift : yearEnd;
    await condition(() => changed, msUntil(wake), { summary: lift && wake === lift ? `暂停至 ${formatLocal(lift, tz)}` : `${input.year}年末记分清零` });
    const lifted = liftIfDue(state, new Date());
    if (lifted.eligibility !== state.eligibility) {
      state = lifted;
      await notify(`lifted:${deductions.length}`, `【恢复医保支付资格】${input.practitionerId}`, `医保医师/药师 ${input.practitionerId} 的暂停期已满，自即日起恢复医保支付资格。`);
      details();
    }
    if (workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof practitionerPoints>({ ...input, resume: { state, deductions } });
    }
  }

  // The year is over: points reset, but a suspension or bar still running goes on in next year's workflow.
  const runsOn = (until: string | null) => until !== null && new Date(until) > yearEnd;
  if ((state.eligibility === 'suspended' && runsOn(state.suspendedUntil)) || (state.eligibility === 'ended' && runsOn(state.barredUntil))) {
    const next: PointsInput = { practitionerId: input.practitionerId, jurisdiction: input.jurisdiction, year: input.year + 1, rules: input.rules, notify: input.notify };
    await runActivity('handOverPoints', `移交${input.year + 1}年`, next, { eligibility: state.eligibility, suspendedUntil: state.suspendedUntil, barredUntil: state.barredUntil });
  }
  return status();
}
