// A violation case (案件, DESIGN §5 "case"), opened by an inspection whose findings have violations. It can outlive its
// campaign and its year. Three strands run side by side until each has ended:
//  - the ladder: rectification order → recheck → interview (约谈) → suspension (a durable timer lifts it) →
//    termination of the agreement → blacklist, each rung waiting for a human decision or its deadline, reminding
//    before and escalating after;
//  - the money: the penalty decision (recovery + fine per article, separation of duties, a second approver above a
//    configured amount), then payments until paid in full;
//  - referrals (移送): a letter per agency, an acknowledgement awaited by a deadline; by rule when a crime is suspected.
// A withdrawal (with its reason) ends all three. Every step goes to the ledger and the audit trail, with a Chinese
// notification keyed so it is delivered once.
import {
  ApplicationFailure,
  condition,
  defineQuery,
  defineUpdate,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { daysLaterAt, formatLocal, localYear, monthsLater, reminderSchedule } from '../domain/calendar';
import {
  CASE_STAGE_LABELS,
  caseRecheckSchema,
  LADDER_ACTIONS,
  ladderDecisionSchema,
  paymentSchema,
  penaltyDecisionSchema,
  referralAckSchema,
  referralDecisionSchema,
  suspectedCrime,
  withdrawalSchema,
  type CaseStage,
  type LadderDecision,
  type PenaltyDecision,
  type ReferralAgency,
  type ReferralDecision,
  type Withdrawal,
} from '../domain/case';
import * as messages from '../domain/case-messages';
import { gradeInstitution, type CreditRules, type Sanction } from '../domain/credit';
import { totalLossFen, type FindingItem, type Recheck } from '../domain/inspection';
import type { MessageText } from '../domain/inspection-messages';
import { articleKey, assessPenalty, needsSecondApprover, penaltyProblems, type PenaltyAssessment, type PenaltyTable } from '../domain/penalty';
import type { PointsRules } from '../domain/points';
import { formatProblems, zodProblems } from '../domain/validation';
import type { z } from 'zod';
import { runActivity } from './activities';
import { DUE_AT, OVERDUE, STAGE } from './search-attributes';
import { msUntil, waitWithReminders } from './waiting';

export interface Person {
  id: string;
  name: string;
  email: string;
}

/** Periods and thresholds of the case, from the plan (`cases`, `penalties`, `points`, `rectification`). */
export interface CaseRules {
  timeOfDay: string;
  rectification: { periodDays: number; reminderOffsetsDays: number[]; recheckWindowDays: number };
  decisionPeriodDays: number;
  reminderOffsetsDays: number[];
  escalationWindowDays: number;
  maxEscalations: number;
  interviewPeriodDays: number;
  paymentPeriodDays: number;
  paymentLateWindowDays: number;
  referralAckDays: number;
  crimeReferral: { minLossFen: number; categories: string[]; agency: ReferralAgency };
  penalties: PenaltyTable;
  points: PointsRules;
  creditRules?: CreditRules;
}

export interface CaseInput {
  jurisdiction: { code: string; name: string; timeZone: string };
  caseNo: string;
  year: number;
  institution: { id: string; name: string; contacts: Person[] };
  source: { inspectionId: string | null; campaignId: string | null; origin: string; recordedBy: string; team: string[] };
  items: FindingItem[];
  responsibleUnit: Person;
  leader: Person;
  /** Who may decide on the case (leaders and inspectors); the inspector who recorded the findings never may. */
  officers: string[];
  /** Who may approve a decision above `penalties.secondApproverAboveFen` (leaders). */
  approvers: string[];
  agencies: Record<ReferralAgency, { name: string; email: string }>;
  /** The bureau's own mailbox (leadership), told of practitioner points. */
  bureau: { name: string; email: string };
  rules: CaseRules;
}

export type ReferralStatus = 'sent' | 'overdue' | 'acknowledged' | 'unacknowledged';
export type PenaltyStatus = 'awaiting-decision' | 'decision-overdue' | 'awaiting-payment' | 'payment-overdue' | 'paid' | 'unpaid' | 'no-decision';

export interface CaseReferral {
  agency: ReferralAgency;
  reason: string;
  decidedBy: string;
  status: ReferralStatus;
  sentAt: string;
  dueAt: string;
  acknowledgedBy?: string;
  reference?: string;
}

export interface CaseStatus {
  caseId: string;
  caseNo: string;
  institutionId: string;
  institutionName: string;
  stage: CaseStage;
  stageLabel: string;
  overdue: boolean;
  /** Deadline of the current ladder step, ISO-8601; null once the ladder has ended. */
  dueAt: string | null;
  openedAt: string;
  lossFen: number;
  recheck?: Recheck;
  decisions: Array<LadderDecision & { at: string }>;
  suspendedUntil?: string;
  publicCriticism: boolean;
  penaltyStatus: PenaltyStatus;
  penalty?: { decision: PenaltyDecision; assessment: PenaltyAssessment; decidedAt: string; dueAt: string; paidFen: number };
  referrals: CaseReferral[];
  withdrawal?: Withdrawal;
  /** How the case ended, or what keeps it open (read by the closure review). */
  outcome?: string;
  remindersSent: number;
  escalations: number;
}

export const caseStatusQuery = defineQuery<CaseStatus>('status');
export const caseRecheckUpdate = defineUpdate<CaseStatus, [unknown]>('recordRecheck');
export const decideUpdate = defineUpdate<CaseStatus, [unknown]>('decide');
export const decidePenaltyUpdate = defineUpdate<CaseStatus, [unknown]>('decidePenalty');
export const recordPaymentUpdate = defineUpdate<CaseStatus, [unknown]>('recordPayment');
export const referUpdate = defineUpdate<CaseStatus, [unknown]>('refer');
export const ackReferralUpdate = defineUpdate<CaseStatus, [unknown]>('ackReferral');
export const withdrawUpdate = defineUpdate<CaseStatus, [unknown]>('withdraw');

/** How long an Update waits for its effect before answering; a technical bound, not a business deadline. */
const UPDATE_SETTLE_TIMEOUT = '2 minutes';
const FINAL_STAGES: readonly CaseStage[] = ['closed', 'withdrawn'];

/** A rejected payload: the message names the field, and nothing changes. */
function reject(message: string, type = 'InvalidPayload'): never {
  throw ApplicationFailure.nonRetryable(message, type);
}

function parseOrReject<S extends z.ZodType>(schema: S, payload: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) reject(`invalid ${what}: ${formatProblems(zodProblems(parsed.error))}`);
  return parsed.data;
}

export async function caseWorkflow(input: CaseInput): Promise<CaseStatus> {
  const { workflowId } = workflowInfo();
  const { rules } = input;
  const tz = input.jurisdiction.timeZone;
  const facts: messages.CaseFacts = {
    jurisdictionName: input.jurisdiction.name,
    caseNo: input.caseNo,
    institutionName: input.institution.name,
    origin: input.source.origin,
  };
  const status: CaseStatus = {
    caseId: workflowId,
    caseNo: input.caseNo,
    institutionId: input.institution.id,
    institutionName: input.institution.name,
    stage: 'rectifying',
    stageLabel: CASE_STAGE_LABELS.rectifying,
    overdue: false,
    dueAt: null,
    openedAt: new Date().toISOString(),
    lossFen: totalLossFen(input.items),
    decisions: [],
    publicCriticism: false,
    penaltyStatus: 'awaiting-decision',
    referrals: [],
    remindersSent: 0,
    escalations: 0,
  };
  /** A ladder decision accepted by the Update, not yet acted on by the ladder. */
  let pendingDecision: LadderDecision | undefined;
  let suspensionLifted = false;
  /** Set once the ladder has recorded the recheck; ladder decisions applied so far (Updates answer after their effect). */
  let recheckRecorded = false;
  let decisionsApplied = 0;
  let highestSanction: Sanction | undefined;
  const withdrawn = () => status.withdrawal !== undefined;
  const ended = () => FINAL_STAGES.includes(status.stage);
  const strands: Promise<void>[] = [];

  // ---- who may decide ------------------------------------------------------------------------------------------------

  /** Separation of duties: a known officer, and never the inspector who recorded the findings. */
  function checkOfficer(id: string, field: string): void {
    if (!input.officers.includes(id)) reject(`${field}: "${id}" is not an officer of ${input.jurisdiction.name} who may decide cases`, 'NotAuthorised');
    if (id === input.source.recordedBy) {
      reject(`${field}: "${id}" recorded the findings of this case; the decision must come from someone else (separation of duties)`, 'SeparationOfDuties');
    }
  }

  function checkNotEnded(): void {
    if (ended()) reject(`the case is ${status.stageLabel}: nothing more can be decided`, 'InvalidStage');
  }

  // ---- handlers ------------------------------------------------------------------------------------------------------

  setHandler(caseStatusQuery, () => status);

  setHandler(
    caseRecheckUpdate,
    async (payload) => {
      status.recheck = caseRecheckSchema.parse(payload);
      return settled(() => recheckRecorded);
    },
    {
      validator: (payload) => {
        if ((status.stage !== 'rectifying' && status.stage !== 'rectification-overdue') || status.recheck) {
          reject(`recheck not accepted: the case is at stage ${status.stage}`, 'InvalidStage');
        }
        const recheck = parseOrReject(caseRecheckSchema, payload, 'recheck');
        if (!input.source.team.includes(recheck.inspectorId)) {
          reject(`invalid recheck: inspectorId: ${recheck.inspectorId} is not on the inspection team (${input.source.team.join(', ')})`);
        }
      },
    },
  );

  setHandler(
    decideUpdate,
    async (payload) => {
      const before = decisionsApplied;
      pendingDecision = ladderDecisionSchema.parse(payload);
      return settled(() => decisionsApplied > before);
    },
    {
      validator: (payload) => {
        checkNotEnded();
        const decision = parseOrReject(ladderDecisionSchema, payload, 'decision');
        const accepted = LADDER_ACTIONS[status.stage] ?? [];
        if (!accepted.includes(decision.action) || pendingDecision) {
          reject(`action: "${decision.action}" is not possible at stage ${status.stage}${accepted.length ? ` (possible: ${accepted.join(', ')})` : ''}`, 'InvalidStage');
        }
        if (status.stage === 'suspended' && decision.action === 'rectified' && !suspensionLifted) {
          reject('action: "rectified" is possible once the suspension has been lifted', 'InvalidStage');
        }
        if (decision.action === 'suspend') {
          const { min, max } = suspensionRange();
          if (decision.months < min || decision.months > max) reject(`months: ${decision.months} is outside ${min}–${max} months (${citedArticles()})`);
        }
        checkOfficer(decision.decidedBy, 'decidedBy');
      },
    },
  );

  setHandler(
    decidePenaltyUpdate,
    async (payload) => {
      const decision = penaltyDecisionSchema.parse(payload);
      const decidedAt = new Date();
      const dueAt = daysLaterAt(decidedAt, rules.paymentPeriodDays, '23:59', tz);
      status.penalty = { decision, assessment: assessPenalty(input.items, decision.fines, rules.penalties), decidedAt: decidedAt.toISOString(), dueAt: dueAt.toISOString(), paidFen: 0 };
      return settled(() => status.penaltyStatus !== 'awaiting-decision' && status.penaltyStatus !== 'decision-overdue');
    },
    {
      validator: (payload) => {
        checkNotEnded();
        if (status.penaltyStatus !== 'awaiting-decision' && status.penaltyStatus !== 'decision-overdue') {
          reject(`penalty decision not accepted: the penalty is ${status.penaltyStatus}`, 'InvalidStage');
        }
        const decision = parseOrReject(penaltyDecisionSchema, payload, 'penalty decision');
        checkOfficer(decision.decidedBy, 'decidedBy');
        const problems = penaltyProblems(input.items, decision.fines, rules.penalties);
        if (problems.length) reject(`invalid penalty decision: ${formatProblems(problems)}`);
        decision.practitioners.forEach((p, i) => {
          const tier = rules.points.tiers.find((t) => t.tier === p.tier);
          if (tier && (p.points < tier.min || p.points > tier.max)) reject(`practitioners[${i}].points: ${p.points} is outside tier ${p.tier} (${tier.min}–${tier.max})`);
        });
        const { totalFen } = assessPenalty(input.items, decision.fines, rules.penalties);
        if (needsSecondApprover(totalFen, rules.penalties)) {
          const approver = decision.approvedBy;
          const above = `the decision totals ${totalFen} fen, above ${rules.penalties.secondApproverAboveFen} fen`;
          if (!approver) reject(`approvedBy: required: ${above}, so a second approver must sign`, 'SecondApproverRequired');
          if (!input.approvers.includes(approver)) reject(`approvedBy: "${approver}" may not approve (approvers: ${input.approvers.join(', ')})`, 'NotAuthorised');
          if (approver === decision.decidedBy || approver === input.source.recordedBy) {
            reject(`approvedBy: "${approver}" must differ from the decider and from the inspector who recorded the findings`, 'SeparationOfDuties');
          }
        }
      },
    },
  );

  setHandler(
    recordPaymentUpdate,
    async (payload) => {
      const payment = paymentSchema.parse(payload);
      const penalty = status.penalty!;
      const at = new Date().toISOString();
      penalty.paidFen = await runActivity(
        'recordCasePayment',
        `缴款 ${payment.amountFen} 分`,
        { key: `${workflowId}:payment:${payment.reference}`, caseId: workflowId, ...payment },
        audit(`payment:${payment.reference}`, payment.recordedBy, 'payment-recorded', `缴款 ${payment.amountFen} 分（${payment.reference}）`, { ...payment }, at),
      );
      return status;
    },
    {
      validator: (payload) => {
        checkNotEnded();
        if (status.penaltyStatus !== 'awaiting-payment' && status.penaltyStatus !== 'payment-overdue') {
          reject(`payment not accepted: the penalty is ${status.penaltyStatus}`, 'InvalidStage');
        }
        const payment = parseOrReject(paymentSchema, payload, 'payment');
        const outstanding = status.penalty!.assessment.totalFen - status.penalty!.paidFen;
        if (payment.amountFen > outstanding) reject(`amountFen: ${payment.amountFen} is more than the ${outstanding} fen outstanding`);
        checkOfficer(payment.recordedBy, 'recordedBy');
      },
    },
  );

  setHandler(
    referUpdate,
    (payload) => {
      startReferral(referralDecisionSchema.parse(payload));
      return status;
    },
    {
      validator: (payload) => {
        checkNotEnded();
        const decision = parseOrReject(referralDecisionSchema, payload, 'referral');
        if (status.referrals.some((r) => r.agency === decision.agency)) reject(`agency: the case has already been referred to ${decision.agency}`, 'InvalidStage');
        if (decision.persons.length && decision.agency !== 'discipline') reject('persons: only a referral to the discipline commission (agency "discipline") names persons');
        checkOfficer(decision.decidedBy, 'decidedBy');
      },
    },
  );

  setHandler(
    ackReferralUpdate,
    async (payload) => {
      const ack = referralAckSchema.parse(payload);
      const referral = status.referrals.find((r) => r.agency === ack.agency)!;
      referral.acknowledgedBy = ack.acknowledgedBy;
      referral.reference = ack.reference;
      return settled(() => referral.status === 'acknowledged');
    },
    {
      validator: (payload) => {
        const ack = parseOrReject(referralAckSchema, payload, 'acknowledgement');
        const referral = status.referrals.find((r) => r.agency === ack.agency);
        if (!referral) reject(`agency: the case was not referred to ${ack.agency}`, 'InvalidStage');
        if (referral.acknowledgedBy || (referral.status !== 'sent' && referral.status !== 'overdue')) {
          reject(`agency: the referral to ${ack.agency} is ${referral.status}`, 'InvalidStage');
        }
      },
    },
  );

  setHandler(
    withdrawUpdate,
    async (payload) => {
      status.withdrawal = withdrawalSchema.parse(payload);
      return settled(() => status.stage === 'withdrawn');
    },
    {
      validator: (payload) => {
        checkNotEnded();
        if (status.withdrawal) reject('the case is already being withdrawn', 'InvalidStage');
        checkOfficer(parseOrReject(withdrawalSchema, payload, 'withdrawal').decidedBy, 'decidedBy');
      },
    },
  );

  /** The status once the workflow has acted on an accepted payload; bounded so the sender always gets an answer. */
  async function settled(done: () => boolean): Promise<CaseStatus> {
    await condition(() => done() || ended(), UPDATE_SETTLE_TIMEOUT);
    return status;
  }

  // ---- records, notifications, waits ---------------------------------------------------------------------------------

  function audit(action: string, actor: string, name: string, reason: string, detail: Record<string, unknown>, at: string) {
    return { key: `${workflowId}:${action}`, actor, action: name, subjectType: 'case', subjectId: workflowId, reason, detail, at };
  }

  /** The ledger row of the case as it stands. */
  function caseRow(at: string) {
    return {
      id: workflowId,
      jurisdiction: input.jurisdiction.code,
      caseNo: input.caseNo,
      year: input.year,
      institutionId: input.institution.id,
      inspectionId: input.source.inspectionId,
      campaignId: input.source.campaignId,
      stage: status.stage,
      overdue: status.overdue,
      open: !ended(),
      openedAt: status.openedAt,
      dueAt: status.dueAt,
      lossFen: status.lossFen,
      fineFen: status.penalty?.assessment.fineFen ?? 0,
      paidFen: status.penalty?.paidFen ?? 0,
      outcome: status.outcome ?? null,
      updatedAt: at,
    };
  }

  /** Records a step: ledger row + audit entry in one transaction, then search attributes and the UI's details. */
  async function record(step: string, action: string, reason: string, actor = 'system', detail: Record<string, unknown> = {}): Promise<void> {
    const at = new Date().toISOString();
    await runActivity('saveCase', `记录：${status.stageLabel} ${action}`, caseRow(at), audit(step, actor, action, reason, { stage: status.stage, ...detail }, at));
    upsertSearchAttributes([
      { key: STAGE, value: status.stage },
      { key: OVERDUE, value: status.overdue },
      ...(status.dueAt ? [{ key: DUE_AT, value: new Date(status.dueAt) }] : []),
    ]);
    const due = status.dueAt ? `\n\n期限：${formatLocal(new Date(status.dueAt), tz)}` : '';
    setCurrentDetails(`**${input.institution.name}** 案件 ${input.caseNo}：${status.stageLabel}${status.overdue ? '（逾期）' : ''}${due}\n\n处罚：${status.penaltyStatus}；移送 ${status.referrals.length} 件`);
  }

  async function enterStage(stage: CaseStage, step: string, reason: string, actor?: string, dueAt?: Date, overdue = false): Promise<void> {
    status.stage = stage;
    status.stageLabel = CASE_STAGE_LABELS[stage];
    status.dueAt = dueAt ? dueAt.toISOString() : null;
    status.overdue = overdue;
    await record(step, step, reason, actor);
  }

  async function notify(event: string, to: Person[], text: MessageText): Promise<void> {
    const recipients = to.map(({ name, email }) => ({ name, email }));
    await runActivity('sendNotification', `通知：${text.subject}`, { key: `${workflowId}:${event}`, kind: `case-${event.split(':')[0]}`, to: recipients, ...text });
  }

  const leadership = [input.leader, input.responsibleUnit];

  /**
   * Waits for `done` until `deadline`, reminding `remindTo` at the plan's offsets; past the deadline, escalates to the
   * responsible leader up to `maxEscalations` times, `escalationWindowDays` apart. False when nothing came (or the
   * case was withdrawn).
   */
  async function waitStep(options: { key: string; what: string; done: () => boolean; deadline: Date; remindTo: Person[]; offsets?: number[]; markOverdue: () => Promise<void> }): Promise<boolean> {
    const { key, what, deadline, remindTo } = options;
    const done = () => options.done() || withdrawn();
    const dueText = formatLocal(deadline, tz);
    const reminders = reminderSchedule(deadline, options.offsets ?? rules.reminderOffsetsDays, rules.timeOfDay, tz, new Date());
    const remind = async (r: { offsetDays: number }) => {
      status.remindersSent++;
      await notify(`${key}-reminder:${r.offsetDays}`, remindTo, messages.stepReminderMessage(facts, what, dueText, r.offsetDays));
    };
    if (await waitWithReminders({ done, deadline, reminders, timeZone: tz, what, remind })) return options.done();
    for (let round = 1; round <= rules.maxEscalations; round++) {
      status.escalations++;
      if (round === 1) await options.markOverdue();
      await notify(`${key}-escalation:${round}`, leadership, messages.escalationMessage(facts, input.leader.name, what, dueText, round));
      const until = daysLaterAt(deadline, round * rules.escalationWindowDays, '23:59', tz);
      if (await condition(done, msUntil(until), { summary: `${what}督办期限 ${formatLocal(until, tz)}` })) return options.done();
    }
    return false;
  }

  function suspensionRange(): { min: number; max: number } {
    const articles = rules.penalties.articles.filter((a) => citedKeys().includes(a.article));
    const cited = articles.length ? articles : rules.penalties.articles.filter((a) => a.article === rules.penalties.defaultArticle);
    return { min: Math.min(...cited.map((a) => a.suspensionMonths.min)), max: Math.max(...cited.map((a) => a.suspensionMonths.max)) };
  }
  function citedKeys(): string[] {
    return [...new Set(input.items.map((item) => articleKey(item.article, rules.penalties)))];
  }
  function citedArticles(): string {
    return rules.penalties.articles.filter((a) => citedKeys().includes(a.article)).map((a) => a.source).join('；') || rules.penalties.source;
  }

  // ---- the ladder ----------------------------------------------------------------------------------------------------

  /** Waits for the next ladder decision at the current stage; undefined when none came after all escalations. */
  async function awaitDecision(key: string, what: string, deadline: Date): Promise<LadderDecision | undefined> {
    const decided = await waitStep({
      key,
      what,
      done: () => pendingDecision !== undefined,
      deadline,
      remindTo: [input.responsibleUnit],
      markOverdue: async () => {
        status.overdue = true;
        await record(`${key}-overdue`, `${key}-overdue`, `${what}期限 ${formatLocal(deadline, tz)} 已过`);
      },
    });
    return decided ? pendingDecision : undefined;
  }

  /** Takes a decision into the records: audit, public criticism where decided, the decision notice. */
  async function accept(decision: LadderDecision, label: string): Promise<void> {
    status.decisions.push({ ...decision, at: new Date().toISOString() });
    await notify(`decision:${status.decisions.length}`, [...input.institution.contacts, ...leadership], messages.caseDecisionMessage(facts, label, decision.reason));
    if (decision.publicCriticism && !status.publicCriticism) {
      status.publicCriticism = true;
      await record('public-criticism', 'public-criticism', decision.reason, decision.decidedBy);
      await notify('public-criticism', [...input.institution.contacts, ...leadership], messages.publicCriticismMessage(facts, decision.reason));
    }
  }

  /** The decision has taken effect: its Update may answer, and the ladder may wait for the next one. */
  function applied(): void {
    pendingDecision = undefined;
    decisionsApplied++;
  }

  async function sanction(rung: Sanction, stage: CaseStage, reason: string, actor: string, dueAt?: Date): Promise<void> {
    highestSanction = rung;
    await enterStage(stage, stage, reason, actor, dueAt);
  }

  /** The ladder; returns the outcome in words (or the open item), and whether the institution rectified. */
  async function ladder(): Promise<{ outcome: string; rectified: boolean; concluded: boolean }> {
    // 1. Rectification order, recheck by the team, a last window after the deadline.
    const rectificationDue = daysLaterAt(new Date(), rules.rectification.periodDays, '23:59', tz);
    await enterStage('rectifying', 'case-opened', `发现问题 ${input.items.length} 项，限期整改至 ${formatLocal(rectificationDue, tz)}`, input.source.recordedBy, rectificationDue);
    await notify('rectification-order', input.institution.contacts, messages.rectificationOrderMessage(facts, input.items, formatLocal(rectificationDue, tz)));
    const recheckIn = () => status.recheck !== undefined;
    let rechecked = await waitWithReminders({
      done: () => recheckIn() || withdrawn(),
      deadline: rectificationDue,
      reminders: reminderSchedule(rectificationDue, rules.rectification.reminderOffsetsDays, rules.timeOfDay, tz, new Date()),
      timeZone: tz,
      what: '整改',
      remind: async (r) => {
        status.remindersSent++;
        await notify(`rectification-reminder:${r.offsetDays}`, input.institution.contacts, messages.stepReminderMessage(facts, '整改', formatLocal(rectificationDue, tz), r.offsetDays));
      },
    });
    if (withdrawn()) return { outcome: '撤销', rectified: false, concluded: true };
    if (!rechecked) {
      const until = daysLaterAt(rectificationDue, rules.rectification.recheckWindowDays, '23:59', tz);
      await enterStage('rectification-overdue', 'rectification-overdue', `整改期限 ${formatLocal(rectificationDue, tz)} 已过，尚无复查结果`, undefined, until, true);
      await notify('rectification-escalation:1', leadership, messages.escalationMessage(facts, input.leader.name, '整改', formatLocal(rectificationDue, tz), 1));
      rechecked = await condition(() => recheckIn() || withdrawn(), msUntil(until), { summary: `复查期限 ${formatLocal(until, tz)}` });
      if (withdrawn()) return { outcome: '撤销', rectified: false, concluded: true };
    }
    if (status.recheck) {
      const { recheck } = status;
      await record('rechecked', 'recheck-recorded', recheck.note || (recheck.rectified ? '复查确认已整改' : '复查确认未整改'), recheck.inspectorId, { recheck });
      if (recheck.rectified) {
        recheckRecorded = true;
        return { outcome: '按期整改', rectified: true, concluded: true };
      }
    }

    // 2. Interview (约谈) with its own deadline; then the decisions climb the ladder.
    const interviewDue = daysLaterAt(new Date(), rules.interviewPeriodDays, '23:59', tz);
    await sanction('interview', 'interview', status.recheck ? '经复查整改未到位，约谈' : '逾期未整改，约谈', 'system', interviewDue);
    await notify('interview-notice', input.institution.contacts, messages.interviewNoticeMessage(facts, formatLocal(interviewDue, tz)));
    recheckRecorded = true;
    let decision = await awaitDecision('interview', '约谈后处理决定', interviewDue);
    while (decision && !withdrawn()) {
      switch (decision.action) {
        case 'rectified':
          await accept(decision, '确认已整改');
          applied();
          return { outcome: highestSanction === 'suspension' ? '暂停服务期满后整改到位' : '约谈后整改到位', rectified: true, concluded: true };
        case 'suspend': {
          await accept(decision, `暂停医保服务 ${decision.months} 个月`);
          const until = monthsLater(new Date(), decision.months, tz);
          status.suspendedUntil = until.toISOString();
          await sanction('suspension', 'suspended', `${decision.reason}（${decision.months} 个月，至 ${formatLocal(until, tz)}）`, decision.decidedBy, until);
          await notify('suspension', input.institution.contacts, messages.suspensionMessage(facts, decision.months, formatLocal(until, tz)));
          applied();
          // The durable timer that lifts the suspension; an earlier termination decision cuts it short.
          await condition(() => pendingDecision !== undefined || withdrawn(), msUntil(until), { summary: `暂停医保服务至 ${formatLocal(until, tz)}` });
          if (withdrawn()) return { outcome: '撤销', rectified: false, concluded: true };
          if (!pendingDecision) {
            suspensionLifted = true;
            const recheckDue = daysLaterAt(until, rules.decisionPeriodDays, '23:59', tz);
            status.dueAt = recheckDue.toISOString();
            await record('suspension-lifted', 'suspension-lifted', `暂停期满（${formatLocal(until, tz)}），恢复医保服务`);
            await notify('suspension-lifted', [...input.institution.contacts, input.responsibleUnit], messages.suspensionLiftedMessage(facts));
            decision = await awaitDecision('after-suspension', '暂停期满后复查决定', recheckDue);
          } else {
            decision = pendingDecision;
          }
          continue;
        }
        case 'terminate': {
          await accept(decision, '解除定点协议');
          const due = daysLaterAt(new Date(), rules.decisionPeriodDays, '23:59', tz);
          await sanction('termination', 'terminated', decision.reason, decision.decidedBy, due);
          await notify('termination', [...input.institution.contacts, ...leadership], messages.terminationMessage(facts));
          applied();
          decision = await awaitDecision('termination', '是否列入黑名单的决定', due);
          continue;
        }
        case 'blacklist':
          await accept(decision, '列入黑名单');
          await sanction('blacklist', 'blacklisted', decision.reason, decision.decidedBy);
          await notify('blacklist', [...input.institution.contacts, ...leadership], messages.blacklistMessage(facts));
          applied();
          return { outcome: '解除协议并列入黑名单', rectified: false, concluded: true };
        case 'close':
          await accept(decision, '结案');
          applied();
          return { outcome: '解除定点协议', rectified: false, concluded: true };
      }
    }
    if (withdrawn()) return { outcome: '撤销', rectified: false, concluded: true };
    return { outcome: `${status.stageLabel}后逾期未作出决定`, rectified: false, concluded: false };
  }

  // ---- the money -----------------------------------------------------------------------------------------------------

  async function money(): Promise<void> {
    const decisionDue = daysLaterAt(new Date(), rules.decisionPeriodDays, '23:59', tz);
    const decided = await waitStep({
      key: 'penalty-decision',
      what: '行政处理决定',
      done: () => status.penalty !== undefined,
      deadline: decisionDue,
      remindTo: [input.responsibleUnit],
      markOverdue: async () => {
        status.penaltyStatus = 'decision-overdue';
        await record('penalty-decision-overdue', 'penalty-decision-overdue', `处理决定期限 ${formatLocal(decisionDue, tz)} 已过`);
      },
    });
    if (!decided) {
      if (!withdrawn()) status.penaltyStatus = 'no-decision';
      return;
    }
    const penalty = status.penalty!;
    const { decision, assessment } = penalty;
    const paymentDue = new Date(penalty.dueAt);
    status.penaltyStatus = assessment.totalFen > 0 ? 'awaiting-payment' : 'paid';
    await record('penalty-decided', 'penalty-decided', decision.reason, decision.decidedBy, { decision, assessment, ...(decision.approvedBy && { approvedBy: decision.approvedBy }) });
    if (assessment.totalFen > 0) {
      await notify('penalty-decision', [...input.institution.contacts, input.responsibleUnit], messages.penaltyDecisionMessage(facts, assessment, formatLocal(paymentDue, tz)));
    }
    await deductPoints(decision);
    if (assessment.totalFen === 0) return;

    const paid = () => penalty.paidFen >= assessment.totalFen;
    const inTime = await waitWithReminders({
      done: () => paid() || withdrawn(),
      deadline: paymentDue,
      reminders: reminderSchedule(paymentDue, rules.reminderOffsetsDays, rules.timeOfDay, tz, new Date()),
      timeZone: tz,
      what: '缴款',
      remind: async (r) => {
        status.remindersSent++;
        await notify(`payment-reminder:${r.offsetDays}`, input.institution.contacts, messages.paymentReminderMessage(facts, assessment.totalFen - penalty.paidFen, formatLocal(paymentDue, tz), r.offsetDays));
      },
    });
    if (withdrawn()) return;
    if (!inTime) {
      status.penaltyStatus = 'payment-overdue';
      status.escalations++;
      await record('payment-overdue', 'payment-overdue', `缴款期限 ${formatLocal(paymentDue, tz)} 已过，尚欠 ${assessment.totalFen - penalty.paidFen} 分`);
      await notify('payment-escalation:1', leadership, messages.escalationMessage(facts, input.leader.name, '缴款', formatLocal(paymentDue, tz), 1));
      const until = daysLaterAt(paymentDue, rules.paymentLateWindowDays, '23:59', tz);
      await condition(() => paid() || withdrawn(), msUntil(until), { summary: `逾期缴款等待至 ${formatLocal(until, tz)}` });
      if (withdrawn()) return;
    }
    status.penaltyStatus = paid() ? 'paid' : 'unpaid';
    await record('payment-concluded', paid() ? 'paid-in-full' : 'unpaid', paid() ? '罚没款已缴清' : '逾期仍未缴清，待申请强制执行');
  }

  /** Deducts the decided practitioner points; a deduction the rules refuse is recorded and reported, not lost. */
  async function deductPoints(decision: PenaltyDecision): Promise<void> {
    const decidedAt = status.penalty!.decidedAt;
    for (const p of decision.practitioners) {
      const result = await runActivity('deductPractitionerPoints', `记分：${p.practitionerId} ${p.points} 分`, {
        workflow: { jurisdiction: input.jurisdiction, rules: rules.points, notify: [input.bureau] },
        practitionerId: p.practitionerId,
        year: localYear(new Date(decidedAt), tz),
        deduction: { key: `${workflowId}:points:${p.practitionerId}`, tier: p.tier, points: p.points, ...(p.suspensionMonths && { suspensionMonths: p.suspensionMonths }), caseId: workflowId, reason: p.reason, decidedBy: decision.decidedBy, decidedAt },
      });
      if (!result.accepted) {
        await record(`points-rejected:${p.practitionerId}`, 'points-rejected', result.reason, 'system', { practitionerId: p.practitionerId });
        await notify(`points-rejected:${p.practitionerId}`, [input.responsibleUnit], messages.pointsRejectedMessage(facts, p.practitionerId, result.reason));
      }
    }
  }

  // ---- referrals -----------------------------------------------------------------------------------------------------

  function startReferral(decision: ReferralDecision): void {
    const sentAt = new Date();
    const dueAt = daysLaterAt(sentAt, rules.referralAckDays, '23:59', tz);
    const referral: CaseReferral = { agency: decision.agency, reason: decision.reason, decidedBy: decision.decidedBy, status: 'sent', sentAt: sentAt.toISOString(), dueAt: dueAt.toISOString() };
    status.referrals.push(referral);
    strands.push(followReferral(referral, decision.persons));
  }

  async function followReferral(referral: CaseReferral, persons: ReferralDecision['persons']): Promise<void> {
    const agency = input.agencies[referral.agency];
    const dueAt = new Date(referral.dueAt);
    const saveReferral = (action: string, actor: string, reason: string) => {
      const at = new Date().toISOString();
      const row = { caseId: workflowId, agency: referral.agency, reason: referral.reason, status: referral.status, sentAt: referral.sentAt, dueAt: referral.dueAt, acknowledgedAt: referral.status === 'acknowledged' ? at : null, acknowledgedBy: referral.acknowledgedBy ?? null, reference: referral.reference ?? null };
      return runActivity('saveReferral', `移送${referral.agency}：${referral.status}`, row, audit(`referral:${referral.agency}:${action}`, actor, `referral-${action}`, reason, { agency: referral.agency }, at));
    };
    await saveReferral('sent', referral.decidedBy, referral.reason);
    const agencyContact: Person = { id: referral.agency, name: agency.name, email: agency.email };
    await notify(`referral:${referral.agency}`, [agencyContact, input.leader], messages.referralLetterMessage(facts, referral.agency, agency.name, referral.reason, formatLocal(dueAt, tz), persons));
    const acknowledged = await waitStep({
      key: `referral-${referral.agency}`,
      what: `移送${agency.name}回执`,
      done: () => referral.acknowledgedBy !== undefined,
      deadline: dueAt,
      remindTo: [agencyContact],
      markOverdue: async () => {
        referral.status = 'overdue';
        await saveReferral('overdue', 'system', `回执期限 ${formatLocal(dueAt, tz)} 已过`);
      },
    });
    if (withdrawn() && !acknowledged) return;
    referral.status = acknowledged ? 'acknowledged' : 'unacknowledged';
    await saveReferral(referral.status, acknowledged ? referral.acknowledgedBy! : 'system', acknowledged ? `已受理（${referral.reference}）` : '督办后仍未回执');
  }

  // ---- the case ------------------------------------------------------------------------------------------------------

  if (suspectedCrime(input.items, rules.crimeReferral)) {
    startReferral({ agency: rules.crimeReferral.agency, decidedBy: 'system', reason: '涉嫌“三假”欺诈骗保且金额达到移送标准，依规移送', persons: [] });
  }
  const ladderDone = ladder();
  strands.push(money());
  const result = await ladderDone;
  // Referrals may be added while the others run: wait until no strand is left.
  for (let seen = 0; seen < strands.length; ) {
    const batch = strands.slice(seen);
    seen = strands.length;
    await Promise.all(batch);
  }

  if (withdrawn()) {
    status.outcome = `撤销：${status.withdrawal!.reason}`;
    await enterStage('withdrawn', 'withdrawn', status.withdrawal!.reason, status.withdrawal!.decidedBy);
    return status;
  }
  await grade(result.rectified);
  const open = [
    ...(result.concluded ? [] : [result.outcome]),
    ...(status.penaltyStatus === 'no-decision' ? ['未作出处理决定'] : status.penaltyStatus === 'unpaid' ? ['罚没款未缴清'] : []),
    ...status.referrals.filter((r) => r.status === 'unacknowledged').map((r) => `${input.agencies[r.agency].name}未回执`),
  ];
  if (open.length) {
    // Not closed: the case stays open in the ledger, and next March's closure review sets it a closing deadline.
    status.outcome = `未结：${open.join('；')}`;
    status.overdue = true;
    await record('left-open', 'left-open', status.outcome);
    return status;
  }
  status.outcome = result.outcome;
  await enterStage('closed', 'closed', result.outcome);
  return status;

  /** The institution's credit grade for the case's year from its outcome (DESIGN §2 credit grade). */
  async function grade(rectified: boolean): Promise<void> {
    const creditGrade = gradeInstitution(
      { violation: true, lossFen: status.lossFen, items: input.items.length, rectified, overdue: status.escalations > 0, ...(highestSanction && { sanction: highestSanction }) },
      rules.creditRules,
    );
    const at = new Date().toISOString();
    await runActivity(
      'saveCreditGrade',
      `信用等级评定：${creditGrade}`,
      { jurisdiction: input.jurisdiction.code, institutionId: input.institution.id, year: input.year, grade: creditGrade, inspectionId: workflowId, decidedAt: at },
      { key: `${workflowId}:credit-grade`, actor: 'system', action: 'credit-grade', subjectType: 'institution', subjectId: input.institution.id, reason: `案件 ${input.caseNo}：${result.outcome}`, detail: { grade: creditGrade, caseId: workflowId }, at },
    );
  }
}
