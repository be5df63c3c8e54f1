// Practitioner points (医保支付资格记分, DESIGN §5 "practitionerPoints"): one entity workflow per practitioner and year,
// `points:{practitionerId}:{year}`. Deductions arrive as a validated Update (`deduct`): by hand (`jianguan points
// deduct`) or from a case's penalty decision (the `deductPractitionerPoints` activity), so the sender always gets the
// real answer. Each deduction has a key: the same key again counts nothing (a retry returns the first result), another
// deduction under a used key is refused. Reaching the suspension threshold suspends the practitioner's billing
// eligibility for the decided months (a durable timer lifts it); reaching the end threshold ends it with a
// re-registration bar. Every change of standing is written to the ledger (`points_status`) and the audit trail.
//
// The year's reset (points start at zero each January) is the hand-over from this year's workflow to next year's,
// `points:{practitionerId}:{year+1}`, not a continue-as-new: the ids carry the year (DESIGN §5), so last year's
// deductions stay readable under last year's id. At the year's end the workflow
//   1. refuses further deductions (the validator names next year's workflow),
//   2. waits until every deduction still being written has reached the ledger and been notified,
//   3. writes the year's closing standing (ledger + audit) and,
//   4. when a suspension or bar runs on past the year's end, hands it to next year's workflow (which starts at zero
//      points, or already has January's deductions: the restriction is merged in, the stricter and later one wins),
//      then completes.
// Within a year the workflow continues as new when its history grows long (Temporal's suggestion, or the configured
// event bound `settings.historyEventsLimit`), after in-flight deductions have finished, carrying its whole state.
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  setCurrentDetails,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { z } from 'zod';
import { pointsWorkflowId } from '../../domain/business-keys';
import { formatLocal, localYear, yearStart } from '../../domain/calendar';
import { SIGNATURE } from '../../domain/inspection-messages';
import {
  applyDeduction,
  DEFAULT_POINTS_WORKFLOW,
  deductionProblems,
  initialPointsState,
  liftIfDue,
  pointsDeductionSchema,
  restrictionRunningPast,
  withCarried,
  type PointsState,
  type PointsWorkflowSettings,
} from '../../domain/points';
import { formatProblems, zodProblems } from '../../domain/validation';
import type { AuditEntry, PointsStatusRecord } from '../../records/types';
import { runActivity } from '../activities';
import { msUntil } from '../waiting';
import {
  PointsDeduction,
  CarriedOver,
  PointsInput,
  PointsStatus,
  PointsDeductionResult,
  pointsStatusQuery,
  deductPointsUpdate,
  carryOverUpdate,
  deductPointsSignal,
  carryOverSignal,
} from './api';

// (still exported here for cli/points.ts until it imports domain/business-keys)

const EFFECT_LABELS = { none: '', suspended: '，暂停医保支付资格', ended: '，终止医保支付资格' } as const;

const ELIGIBILITY_LABELS = { eligible: '正常', suspended: '暂停医保支付资格', ended: '终止医保支付资格' } as const;

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

export async function practitionerPoints(input: PointsInput): Promise<PointsStatus> {
  const { workflowId } = workflowInfo();
  const tz = input.jurisdiction.timeZone;
  const settings: PointsWorkflowSettings = { ...DEFAULT_POINTS_WORKFLOW, ...input.settings };
  const resume = input.resume;
  let state: PointsState = resume?.state ?? initialPointsState(input.year);
  const deductions: PointsDeduction[] = resume?.deductions ?? [];
  const rejected: PointsStatus['rejected'] = resume?.rejected ?? [];
  const carriedFrom: number[] = resume?.carriedFrom ?? [];
  let version = resume?.version ?? deductions.length;
  /** Set whenever the next wake-up may have moved (a new suspension, a carried one). */
  let changed = false;
  /** The year is over: deductions are refused, the workflow is finishing what is in flight before it hands over. */
  let closing = false;
  const yearEnd = yearStart(input.year + 1, tz);
  const nextYearId = pointsWorkflowId(input.practitionerId, input.year + 1);
  const status = (): PointsStatus => ({ ...state, practitionerId: input.practitionerId, deductions, rejected, closing });
  const yearClosed = () => closing || new Date() >= yearEnd;

  async function notify(event: string, subject: string, text: string): Promise<void> {
    await runActivity('sendNotification', `通知：${subject}`, {
      key: `${workflowId}:${event}`,
      kind: `points-${event.split(':')[0]}`,
      to: input.notify,
      subject,
      text: text + SIGNATURE,
    });
  }

  function details(): void {
    const until = state.suspendedUntil ?? state.barredUntil;
    setCurrentDetails(
      `**${input.practitionerId}** ${input.year}年 记分 ${state.total} 分：${state.eligibility}${until ? `（至 ${formatLocal(new Date(until), tz)}）` : ''}${closing ? '，年度已结束' : ''}`,
    );
  }

  function standing(): PointsStatusRecord {
    const { total, eligibility, suspendedUntil, barredUntil } = state;
    return {
      practitionerId: input.practitionerId,
      year: input.year,
      total,
      eligibility,
      suspendedUntil,
      barredUntil,
      closed: closing,
      version,
      updatedAt: new Date().toISOString(),
    };
  }

  function audit(event: string, actor: string, action: string, reason: string, detail: Record<string, unknown>): AuditEntry {
    return {
      key: `${workflowId}:${event}`,
      actor,
      action,
      subjectType: 'practitioner',
      subjectId: input.practitionerId,
      reason,
      detail,
      at: new Date().toISOString(),
    };
  }

  /** Writes the current standing and an audit entry (idempotent: the audit key, the row's version). */
  async function recordStanding(event: string, action: string, reason: string, detail: Record<string, unknown> = {}): Promise<void> {
    const row = standing();
    await runActivity('recordPointsStatus', `台账：${reason}`, row, audit(event, 'system', action, reason, { ...detail, standing: row }));
  }

  /** A refusal message for deductions once the year is over. */
  const closedMessage = () =>
    `the points year ${input.year} of ${input.practitionerId} is closing (it ended ${formatLocal(yearEnd, tz)}): deductions decided from then on count in next year's workflow ${nextYearId} (\`jianguan points deduct … --year ${input.year + 1}\`)`;

  /** Everything the rules and the sender's authority say against `d`, as one message; undefined when it may be applied. */
  function refusal(
    d: Omit<PointsDeduction, 'key' | 'decidedAt'> & { key?: string; decidedAt?: string },
  ): { message: string; type: string } | undefined {
    // The same deduction again (a retry, a command run twice) is answered with the first result, even once closing.
    const seen = d.key === undefined ? undefined : deductions.find((s) => s.key === d.key);
    if (seen) {
      if (sameDeduction(seen, d)) return undefined;
      return {
        message: `key: "${d.key}" is already used by another deduction (tier ${seen.tier}, ${seen.points} points, ${seen.reason}, decided ${formatLocal(new Date(seen.decidedAt), tz)} by ${seen.decidedBy}): give this deduction its own key`,
        type: 'DuplicateKey',
      };
    }
    if (yearClosed()) return { message: closedMessage(), type: 'YearClosed' };
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
    const problems = deductionProblems(state, d, input.rules);
    if (problems.length) return { message: `deduction refused: ${formatProblems(problems)}`, type: 'InvalidPayload' };
    return undefined;
  }

  /** Applies one deduction: the state changes at once (so the next validator sees it), then ledger and notice. */
  async function apply(d: PointsDeduction): Promise<void> {
    const result = applyDeduction(state, d, new Date(), tz, input.rules);
    state = result.state;
    deductions.push(d);
    version++;
    changed = true;
    const row = standing();
    const reason = `${d.reason}（第${d.tier}档 ${d.points} 分，累计 ${state.total} 分${EFFECT_LABELS[result.effect]}）`;
    await runActivity(
      'recordPointsDeduction',
      `记分 ${d.points} 分，累计 ${state.total} 分`,
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
        key: `${workflowId}:deduct:${d.key}`,
        actor: d.decidedBy,
        action: `points-${result.effect === 'none' ? 'deducted' : result.effect}`,
        subjectType: 'practitioner',
        subjectId: input.practitionerId,
        reason,
        detail: { ...d, total: state.total, until: result.until },
        at: d.decidedAt,
      },
      row,
    );
    const until = result.until ? `，至 ${formatLocal(new Date(result.until), tz)}` : '';
    await notify(
      `deduction:${deductions.length}`,
      `【医保支付资格记分】${input.practitionerId}：${d.points} 分（累计 ${state.total} 分）`,
      `${input.jurisdiction.name}医疗保障局对医保医师/药师 ${input.practitionerId} 记 ${d.points} 分。${reason}${until}。`,
    );
    details();
  }

  /** Takes last year's restriction into this year's state (once per year it comes from). */
  async function takeCarried(carried: CarriedOver): Promise<void> {
    if (carriedFrom.includes(carried.fromYear)) return;
    carriedFrom.push(carried.fromYear);
    state = withCarried(state, carried);
    version++;
    changed = true;
    details();
    const until = state.suspendedUntil ?? state.barredUntil;
    await recordStanding(
      `carried-in:${carried.fromYear}`,
      'points-carried-over',
      `${carried.fromYear}年延续：${ELIGIBILITY_LABELS[state.eligibility]}${until ? `至 ${formatLocal(new Date(until), tz)}` : ''}，${input.year}年记分自 0 分起算`,
      { carried },
    );
  }

  /**
   * Waits until no deduction is being written any more (before continuing as new, and before the year's close), round
   * by round of `closingGraceMinutes`; after the first round the bureau is told that the ledger is late.
   */
  async function drained(what: string): Promise<void> {
    if (allHandlersFinished()) return;
    const grace = settings.closingGraceMinutes * 60_000;
    for (let round = 1; !(await condition(allHandlersFinished, grace, { summary: `${what}：等待记分写入台账` })); round++) {
      if (round === 1) {
        await notify(
          `ledger-late:${version}`,
          `【医保支付资格记分】${input.practitionerId}：记分写入台账延迟`,
          `医保医师/药师 ${input.practitionerId} ${input.year}年的记分在 ${settings.closingGraceMinutes} 分钟内仍未写入台账（${what}），系统继续等待，请检查台账系统。`,
        );
      }
    }
  }

  setHandler(pointsStatusQuery, status);
  setHandler(
    deductPointsUpdate,
    async (payload): Promise<PointsDeductionResult> => {
      const parsed = pointsDeductionSchema.parse(payload);
      const seen = parsed.key === undefined ? undefined : deductions.find((s) => s.key === parsed.key);
      if (seen) return { ...status(), deduction: seen, duplicate: true };
      const d: PointsDeduction = {
        key: parsed.key ?? `${workflowId}:manual:${deductions.length + 1}`,
        tier: parsed.tier,
        points: parsed.points,
        ...(parsed.suspensionMonths !== undefined && { suspensionMonths: parsed.suspensionMonths }),
        caseId: parsed.caseId ?? null,
        reason: parsed.reason,
        decidedBy: parsed.decidedBy,
        decidedAt: parsed.decidedAt === undefined ? new Date().toISOString() : new Date(parsed.decidedAt).toISOString(),
      };
      await apply(d);
      return { ...status(), deduction: d, duplicate: false };
    },
    {
      validator: (payload) => {
        const parsed = pointsDeductionSchema.safeParse(payload);
        if (!parsed.success)
          throw ApplicationFailure.nonRetryable(`invalid deduction: ${formatProblems(zodProblems(parsed.error))}`, 'InvalidPayload');
        const refused = refusal({ ...parsed.data, caseId: parsed.data.caseId ?? null });
        if (refused) throw ApplicationFailure.nonRetryable(refused.message, refused.type);
      },
    },
  );
  setHandler(
    carryOverUpdate,
    async (payload) => {
      await takeCarried(carriedSchema.parse(payload));
      return status();
    },
    {
      validator: (payload) => {
        const parsed = carriedSchema.safeParse(payload);
        if (!parsed.success)
          throw ApplicationFailure.nonRetryable(
            `invalid carried restriction: ${formatProblems(zodProblems(parsed.error))}`,
            'InvalidPayload',
          );
        if (parsed.data.fromYear !== input.year - 1)
          throw ApplicationFailure.nonRetryable(`fromYear: ${parsed.data.fromYear} is not the year before ${input.year}`, 'InvalidPayload');
      },
    },
  );
  setHandler(deductPointsSignal, async (d) => {
    if (deductions.some((seen) => seen.key === d.key)) return;
    const problems = yearClosed() ? closedMessage() : formatProblems(deductionProblems(state, d, input.rules));
    if (!problems) {
      await apply(d);
      return;
    }
    if (rejected.some((r) => r.key === d.key)) return;
    rejected.push({ key: d.key, reason: problems });
    await recordStanding(`refused:${d.key}`, 'points-refused', `记分未执行：${d.reason}（第${d.tier}档 ${d.points} 分）：${problems}`, {
      deduction: d,
    });
    await notify(
      `refused:${rejected.length}`,
      `【医保支付资格记分未执行】${input.practitionerId}`,
      `对医保医师/药师 ${input.practitionerId} 的记分（${d.reason}，第${d.tier}档 ${d.points} 分${d.caseId ? `，案件 ${d.caseId}` : ''}）未执行：${problems}。请核实后重新作出记分决定。`,
    );
  });
  setHandler(carryOverSignal, (carried) => {
    state = withCarried(state, carried);
    changed = true;
    details();
  });

  details();
  // A run watches its history length: it wakes when it reaches the bound (or Temporal suggests a new run), not only
  // when a deduction changes the state, and continues as new (only once this run has grown: a bound below a fresh
  // run's few events must not continue as new for ever).
  const runStartLength = workflowInfo().historyLength;
  const historyLong = () => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || (info.historyLength >= settings.historyEventsLimit && info.historyLength > runStartLength);
  };
  if (input.carried && !resume) await takeCarried(input.carried);
  while (new Date() < yearEnd) {
    changed = false;
    const lift = state.eligibility === 'suspended' && state.suspendedUntil ? new Date(state.suspendedUntil) : undefined;
    const wake = lift && lift < yearEnd ? lift : yearEnd;
    await condition(() => changed || historyLong(), msUntil(wake), {
      summary: lift && wake === lift ? `暂停至 ${formatLocal(lift, tz)}` : `${input.year}年末记分清零`,
    });
    const lifted = liftIfDue(state, new Date());
    if (lifted.eligibility !== state.eligibility) {
      const was = state.suspendedUntil;
      state = lifted;
      version++;
      await recordStanding(`lifted:${was}`, 'points-lifted', `暂停期满（${formatLocal(new Date(was!), tz)}），恢复医保支付资格`);
      await notify(
        `lifted:${deductions.length}`,
        `【恢复医保支付资格】${input.practitionerId}`,
        `医保医师/药师 ${input.practitionerId} 的暂停期已满，自即日起恢复医保支付资格。`,
      );
      details();
    }
    if (historyLong()) {
      await drained('续新');
      await continueAsNew<typeof practitionerPoints>({
        ...input,
        carried: undefined,
        resume: { state, deductions, rejected, version, carriedFrom },
      });
    }
  }

  // The year is over: its points reset. Nothing new is taken; what is in flight is finished first.
  closing = true;
  details();
  await drained('年度结束');
  const carried = restrictionRunningPast(state, yearEnd);
  if (deductions.length > 0 || carriedFrom.length > 0 || state.eligibility !== 'eligible') {
    version++;
    const until = carried ? (carried.suspendedUntil ?? carried.barredUntil)! : null;
    const going = carried
      ? `，${ELIGIBILITY_LABELS[carried.eligibility]}延续至 ${formatLocal(new Date(until!), tz)}（移交 ${nextYearId}）`
      : '';
    await recordStanding(`year-closed`, 'points-year-closed', `${input.year}年度结束：记分 ${state.total} 分清零${going}`, {
      carried: carried ?? null,
    });
    if (carried) {
      await notify(
        'year-closed',
        `【医保支付资格记分年度结转】${input.practitionerId}`,
        `医保医师/药师 ${input.practitionerId} ${input.year}年度记分 ${state.total} 分，自 ${input.year + 1}年1月1日起清零重新计算；${ELIGIBILITY_LABELS[carried.eligibility]}不因年度结转而解除，延续至 ${formatLocal(new Date(until!), tz)}。`,
      );
    }
  }
  if (carried) {
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
  return status();
}
