// A violation case (案件, DESIGN §5 "case"), opened by an inspection whose findings have violations. It can outlive its
// campaign and its year. Three strands run side by side until each has ended:
//  - the ladder: rectification order → recheck → interview (约谈) → suspension (a durable timer lifts it) →
//    termination of the agreement → blacklist, each rung waiting for a human decision or its deadline, reminding
//    before and escalating after;
//  - the money: the penalty decision (recovery + fine per article, separation of duties, a second approver above a
//    configured amount), then payments until paid in full;
//  - referrals (移送): a letter per agency, an acknowledgement awaited by a deadline; by rule when a crime is suspected.
// A withdrawal (with its reason) ends all three. Every step goes to the ledger and the audit trail, with a Chinese
// notification keyed so it is delivered once. The institution's credit grade is written at every outcome.
//
// Updates are validated before they are accepted, and a validator refuses whatever the workflow would not act on
// (a ladder decision the ladder is not waiting for, a payment beyond what is outstanding counting those being
// recorded, anything once the case is being withdrawn or closed), so an accepted Update always takes effect.
import {
  allHandlersFinished,
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
  type FlaggedPerson,
  type LadderAction,
  type LadderDecision,
  type PenaltyDecision,
  type ReferralAgency,
  type ReferralDecision,
  type Withdrawal,
} from '../domain/case';
import * as messages from '../domain/case-messages';
import { gradeInstitution, type CreditInput, type CreditRules, type Sanction } from '../domain/credit';
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

/** Periods and thresholds of the case, from the plan (`cases`, `penalties`, `points`, `rectification`, `calendar`). */
export interface CaseRules {
  timeOfDay: string;
  /** The local time at which a deadline stated in days ends (the plan's `calendar.endOfDay`). */
  endOfDay: string;
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
  /** When the agency acknowledged, as it said (validated: not before the referral, not after workflow time). */
  acknowledgedAt?: string;
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
  /** Escalations to the leader of any overdue step (the institution's, an agency's or the bureau's own). */
  escalations: number;
  /**
   * The institution missed one of its own deadlines: the rectification, the rectification after the interview, or the
   * payment. What its credit grade counts as overdue (an agency's or the bureau's lateness never does).
   */
  institutionLate: boolean;
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
/**
 * How far an agency's acknowledgement time may lie ahead of workflow time: the clocks of the sender's machine and the
 * server differ by seconds (a technical bound, not a business period).
 */
const CLOCK_SKEW_TOLERANCE_MS = 5 * 60_000;
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
  const { endOfDay } = rules;
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
    institutionLate: false,
  };
  /** A ladder decision accepted by the Update, not yet acted on by the ladder. */
  let pendingDecision: LadderDecision | undefined;
  /** The actions the ladder is waiting for right now; empty whenever it waits for none (or has ended). */
  let ladderAccepts: readonly LadderAction[] = [];
  /** How the ladder ended, once it has. */
  let ladderOutcome: string | undefined;
  let suspensionLifted = false;
  /** Set once the ladder has recorded the recheck; ladder decisions applied so far (Updates answer after their effect). */
  let recheckRecorded = false;
  let decisionsApplied = 0;
  let highestSanction: Sanction | undefined;
  /** Payments accepted so far by reference (amount in fen), and the fen of those still being recorded in the ledger. */
  const paymentsByReference = new Map<string, number>();
  let reservedFen = 0;
  /** Persons flagged for the discipline commission per referral: for the letter and the ledger, not for the status. */
  const flaggedPersons = new Map<ReferralAgency, FlaggedPerson[]>();
  /** Set once every strand has ended and the case is being closed (or left open): no Update is accepted any more. */
  let closing = false;
  /** Resolved once the case is in the ledger (a referral's row refers to it). */
  let markOpened: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (markOpened = resolve));
  const withdrawn = () => status.withdrawal !== undefined;
  const ended = () => FINAL_STAGES.includes(status.stage);
  const strands: Promise<void>[] = [];

  // ---- who may decide ------------------------------------------------------------------------------------------------

  /**
   * Separation of duties: a known officer, and never the inspector who recorded the findings. It applies to every
   * decision on the case (ladder step, penalty, referral, withdrawal) and to recording a payment; the recheck is the
   * inspection team's (the recording inspector included).
   */
  function checkOfficer(id: string, field: string): void {
    if (!input.officers.includes(id)) reject(`${field}: "${id}" is not an officer of ${input.jurisdiction.name} who may decide cases`, 'NotAuthorised');
    if (id === input.source.recordedBy) {
      reject(`${field}: "${id}" recorded the findings of this case; the decision must come from someone else (separation of duties)`, 'SeparationOfDuties');
    }
  }

  /** Nothing is accepted once the case has ended, is being withdrawn, or is being closed. */
  function checkNotEnded(): void {
    if (ended()) reject(`the case is ${status.stageLabel}: nothing more can be decided`, 'InvalidStage');
    if (withdrawn()) reject('the case is being withdrawn: nothing more can be decided', 'InvalidStage');
    if (closing) reject('the case is being closed (every step has ended): nothing more can be decided', 'InvalidStage');
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
        checkNotEnded();
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
        if (pendingDecision) {
          reject(`action: "${decision.action}" is not possible now: the decision "${pendingDecision.action}" is being taken; send it again once that one has been answered`, 'InvalidStage');
        }
        // Only what the ladder waits for right now: a decision it would not act on is refused, never accepted and lost.
        if (!ladderAccepts.includes(decision.action)) {
          if (decision.action === 'rectified' && status.stage === 'suspended' && !suspensionLifted) {
            reject('action: "rectified" is possible once the suspension has been lifted', 'InvalidStage');
          }
          if (ladderOutcome !== undefined) {
            reject(`action: "${decision.action}" is not possible: the escalation ladder has ended (${ladderOutcome}); no ladder decision is awaited any more`, 'InvalidStage');
          }
          reject(`action: "${decision.action}" is not possible at stage ${status.stage}${ladderAccepts.length ? ` (possible: ${ladderAccepts.join(', ')})` : ''}`, 'InvalidStage');
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
      const dueAt = daysLaterAt(decidedAt, rules.paymentPeriodDays, endOfDay, tz);
      status.penalty = { decision, assessment: assessPenalty(input.items, decision.fines, rules.penalties), decidedAt: decidedAt.toISOString(), dueAt: dueAt.toISOString(), paidFen: 0 };
      return settled(() => status.penaltyStatus !== 'awaiting-decision' && status.penaltyStatus !== 'decision-overdue');
    },
    {
      validator: (payload) => {
        checkNotEnded();
        // A decision taken is recorded by the money strand after this Update's handler has run: one sent at the same
        // moment (in the same workflow task) finds the first in status.penalty before penaltyStatus has moved.
        if (status.penalty) reject(`penalty decision not accepted: the penalty was decided by ${status.penalty.decision.decidedBy} at ${status.penalty.decidedAt}`, 'InvalidStage');
        if (status.penaltyStatus !== 'awaiting-decision' && status.penaltyStatus !== 'decision-overdue') {
          reject(`penalty decision not accepted: the penalty is ${status.penaltyStatus}`, 'InvalidStage');
        }
        const decision = parseOrReject(penaltyDecisionSchema, payload, 'penalty decision');
        checkOfficer(decision.decidedBy, 'decidedBy');
        const problems = penaltyProblems(input.items, decision.fines, rules.penalties);
        if (problems.length) reject(`invalid penalty decision: ${formatProblems(problems)}`);
        const { tiers } = rules.points;
        const firstAt = new Map<string, number>();
        decision.practitioners.forEach((p, i) => {
          const first = firstAt.get(p.practitionerId);
          if (first !== undefined) {
            reject(`practitioners[${i}].practitionerId: "${p.practitionerId}" is already deducted at practitioners[${first}]: one deduction per practitioner in a decision`);
          }
          firstAt.set(p.practitionerId, i);
          const tier = tiers.find((t) => t.tier === p.tier);
          if (!tier) reject(`practitioners[${i}].tier: ${p.tier} is not a tier of ${rules.points.source} (tiers: ${tiers.map((t) => `${t.tier} = ${t.min}–${t.max} points`).join(', ')})`);
          if (p.points < tier.min || p.points > tier.max) reject(`practitioners[${i}].points: ${p.points} is outside tier ${p.tier} (${tier.min}–${tier.max})`);
        });
        const { totalFen } = assessPenalty(input.items, decision.fines, rules.penalties);
        const approver = decision.approvedBy;
        if (needsSecondApprover(totalFen, rules.penalties) && !approver) {
          reject(`approvedBy: required: the decision totals ${totalFen} fen, above ${rules.penalties.secondApproverAboveFen} fen, so a second approver must sign`, 'SecondApproverRequired');
        }
        // A second approver given below the threshold signs too, so it is held to the same rules.
        if (approver !== undefined) {
          if (!input.approvers.includes(approver)) reject(`approvedBy: "${approver}" may not approve (approvers: ${input.approvers.join(', ')})`, 'NotAuthorised');
          if (approver === decision.decidedBy) reject(`approvedBy: "${approver}" must differ from the decider (decidedBy): a second approver is another person`, 'SeparationOfDuties');
          if (approver === input.source.recordedBy) {
            reject(`approvedBy: "${approver}" must differ from the inspector who recorded the findings of this case (separation of duties)`, 'SeparationOfDuties');
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
      // Reserved before the ledger answers, so that a concurrent payment's validator no longer counts it outstanding.
      // A reference seen before (same amount: the validator made sure) is the same payment again: the ledger keeps it
      // once by its key, and nothing is reserved twice.
      const again = paymentsByReference.has(payment.reference);
      if (!again) {
        paymentsByReference.set(payment.reference, payment.amountFen);
        reservedFen += payment.amountFen;
      }
      const at = new Date().toISOString();
      try {
        const total = await runActivity(
          'recordCasePayment',
          `缴款 ${payment.amountFen} 分`,
          { key: `${workflowId}:payment:${payment.reference}`, caseId: workflowId, ...payment },
          audit(`payment:${payment.reference}`, payment.recordedBy, 'payment-recorded', `缴款 ${payment.amountFen} 分（${payment.reference}）`, { ...payment }, at),
        );
        // Totals only grow; concurrent payments may answer out of order.
        penalty.paidFen = Math.max(penalty.paidFen, total);
      } catch (error) {
        if (!again) paymentsByReference.delete(payment.reference);
        throw error;
      } finally {
        if (!again) reservedFen -= payment.amountFen;
      }
      return status;
    },
    {
      validator: (payload) => {
        checkNotEnded();
        const payment = parseOrReject(paymentSchema, payload, 'payment');
        checkOfficer(payment.recordedBy, 'recordedBy');
        const known = paymentsByReference.get(payment.reference);
        if (known !== undefined) {
          if (known !== payment.amountFen) {
            reject(`reference: "${payment.reference}" is already recorded for ${known} fen, not ${payment.amountFen} fen; another payment needs its own reference`);
          }
          return; // the same payment again: accepted, and changes nothing
        }
        if (status.penaltyStatus !== 'awaiting-payment' && status.penaltyStatus !== 'payment-overdue') {
          reject(`payment not accepted: the penalty is ${status.penaltyStatus}`, 'InvalidStage');
        }
        const outstanding = status.penalty!.assessment.totalFen - status.penalty!.paidFen - reservedFen;
        if (payment.amountFen > outstanding) {
          reject(`amountFen: ${payment.amountFen} is more than the ${outstanding} fen outstanding${reservedFen ? ` (${reservedFen} fen of other payments are being recorded)` : ''}`);
        }
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
      referral.acknowledgedAt = new Date(ack.acknowledgedAt).toISOString();
      referral.reference = ack.reference;
      return settled(() => referral.status === 'acknowledged');
    },
    {
      validator: (payload) => {
        checkNotEnded();
        const ack = parseOrReject(referralAckSchema, payload, 'acknowledgement');
        const referral = status.referrals.find((r) => r.agency === ack.agency);
        if (!referral) reject(`agency: the case was not referred to ${ack.agency}`, 'InvalidStage');
        if (referral.acknowledgedBy || (referral.status !== 'sent' && referral.status !== 'overdue')) {
          reject(`agency: the referral to ${ack.agency} is ${referral.status}`, 'InvalidStage');
        }
        const at = new Date(ack.acknowledgedAt).getTime();
        const now = new Date();
        if (at > now.getTime() + CLOCK_SKEW_TOLERANCE_MS) reject(`acknowledgedAt: ${ack.acknowledgedAt} is in the future (it is now ${formatLocal(now, tz)})`);
        if (at < new Date(referral.sentAt).getTime()) {
          reject(`acknowledgedAt: ${ack.acknowledgedAt} is before the referral was sent (${formatLocal(new Date(referral.sentAt), tz)})`);
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

  /** Moves the case to `stage` (the next record() carries it). */
  function setStage(stage: CaseStage, dueAt?: Date, overdue = false): void {
    status.stage = stage;
    status.stageLabel = CASE_STAGE_LABELS[stage];
    status.dueAt = dueAt ? dueAt.toISOString() : null;
    status.overdue = overdue;
  }

  async function enterStage(stage: CaseStage, step: string, reason: string, actor?: string, dueAt?: Date, overdue = false, detail?: Record<string, unknown>): Promise<void> {
    setStage(stage, dueAt, overdue);
    await record(step, step, reason, actor, detail);
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
      const until = daysLaterAt(deadline, round * rules.escalationWindowDays, endOfDay, tz);
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

  // ---- credit grade --------------------------------------------------------------------------------------------------

  /** Writes the institution's credit grade for the case's year; idempotent by `key` (one per outcome). */
  async function saveGrade(key: string, credit: CreditInput, reason: string, detail: Record<string, unknown> = {}): Promise<void> {
    const creditGrade = gradeInstitution(credit, rules.creditRules);
    const at = new Date().toISOString();
    await runActivity(
      'saveCreditGrade',
      `信用等级评定：${creditGrade}`,
      { jurisdiction: input.jurisdiction.code, institutionId: input.institution.id, year: input.year, grade: creditGrade, inspectionId: workflowId, decidedAt: at },
      { key, actor: 'system', action: 'credit-grade', subjectType: 'institution', subjectId: input.institution.id, reason, detail: { grade: creditGrade, caseId: workflowId, ...detail }, at },
    );
  }

  /** What the case says about the institution so far (the institution's own lateness only). */
  function creditInput(rectified: boolean | undefined): CreditInput {
    return { violation: true, lossFen: status.lossFen, items: input.items.length, rectified, overdue: status.institutionLate, ...(highestSanction && { sanction: highestSanction }) };
  }

  /**
   * The grade as an outcome happens (rectification, suspension, termination, blacklist), so that a flying-check draw in
   * the meantime reads the current one rather than the grade of the inspection.
   */
  async function gradeOutcome(outcome: 'rectified' | Sanction, rectified: boolean, label: string): Promise<void> {
    await saveGrade(`${workflowId}:credit-grade:${outcome}`, creditInput(rectified), `案件 ${input.caseNo}：${label}`, { outcome });
  }

  // ---- the ladder ----------------------------------------------------------------------------------------------------

  /**
   * Waits for the next ladder decision at the current stage, accepting `accepts` meanwhile; undefined when none came
   * after all escalations. `byInstitution`: the deadline is the institution's (rectify after the interview), so
   * missing it counts against its credit.
   */
  async function awaitDecision(key: string, what: string, deadline: Date, accepts: readonly LadderAction[], byInstitution = false): Promise<LadderDecision | undefined> {
    ladderAccepts = accepts;
    try {
      const decided = await waitStep({
        key,
        what,
        done: () => pendingDecision !== undefined,
        deadline,
        remindTo: [input.responsibleUnit],
        markOverdue: async () => {
          status.overdue = true;
          if (byInstitution) status.institutionLate = true;
          await record(`${key}-overdue`, `${key}-overdue`, `${what}期限 ${formatLocal(deadline, tz)} 已过`);
        },
      });
      return decided ? pendingDecision : undefined;
    } finally {
      ladderAccepts = [];
    }
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

  type LadderResult = { outcome: string; rectified: boolean; concluded: boolean };
  /** The ladder has ended: no decision is awaited on it any more. */
  function ladderEnded(result: LadderResult): LadderResult {
    ladderAccepts = [];
    ladderOutcome = result.outcome;
    return result;
  }
  const withdrawnResult = (): LadderResult => ladderEnded({ outcome: '撤销', rectified: false, concluded: true });

  /** The ladder; returns the outcome in words (or the open item), and whether the institution rectified. */
  async function ladder(): Promise<LadderResult> {
    // 1. Rectification order, recheck by the team, a last window after the deadline.
    const rectificationDue = daysLaterAt(new Date(), rules.rectification.periodDays, endOfDay, tz);
    await enterStage('rectifying', 'case-opened', `发现问题 ${input.items.length} 项，限期整改至 ${formatLocal(rectificationDue, tz)}`, input.source.recordedBy, rectificationDue);
    markOpened();
    await notify('rectification-order', input.institution.contacts, messages.rectificationOrderMessage(facts, input.items, formatLocal(rectificationDue, tz)));
    const recheckIn = () => status.recheck !== undefined;
    const inTime = await waitWithReminders({
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
    if (withdrawn()) return withdrawnResult();
    if (!inTime) {
      // The institution's own deadline has passed: it counts against its credit however the recheck turns out.
      status.institutionLate = true;
      const until = daysLaterAt(rectificationDue, rules.rectification.recheckWindowDays, endOfDay, tz);
      await enterStage('rectification-overdue', 'rectification-overdue', `整改期限 ${formatLocal(rectificationDue, tz)} 已过，尚无复查结果`, undefined, until, true);
      await notify('rectification-escalation:1', leadership, messages.escalationMessage(facts, input.leader.name, '整改', formatLocal(rectificationDue, tz), 1));
      await condition(() => recheckIn() || withdrawn(), msUntil(until), { summary: `复查期限 ${formatLocal(until, tz)}` });
      if (withdrawn()) return withdrawnResult();
    }
    if (status.recheck) {
      const { recheck } = status;
      // Rectified: the ladder ends here; the recheck's record carries the stage (no step of its own).
      if (recheck.rectified) setStage('rectified');
      await record('rechecked', 'recheck-recorded', recheck.note || (recheck.rectified ? '复查确认已整改' : '复查确认未整改'), recheck.inspectorId, { recheck });
      if (recheck.rectified) {
        const outcome = inTime ? '按期整改' : '逾期整改';
        await gradeOutcome('rectified', true, outcome);
        recheckRecorded = true;
        return ladderEnded({ outcome, rectified: true, concluded: true });
      }
    }

    // 2. Interview (约谈) with its own deadline; then the decisions climb the ladder.
    const interviewDue = daysLaterAt(new Date(), rules.interviewPeriodDays, endOfDay, tz);
    // From the moment the stage says "interview", its decisions are accepted (the wait below picks them up).
    ladderAccepts = LADDER_ACTIONS.interview;
    await sanction('interview', 'interview', status.recheck ? '经复查整改未到位，约谈' : '逾期未整改，约谈', 'system', interviewDue);
    await notify('interview-notice', input.institution.contacts, messages.interviewNoticeMessage(facts, formatLocal(interviewDue, tz)));
    recheckRecorded = true;
    let decision = await awaitDecision('interview', '约谈后处理决定', interviewDue, LADDER_ACTIONS.interview, true);
    while (decision && !withdrawn()) {
      switch (decision.action) {
        case 'rectified': {
          const outcome = highestSanction === 'suspension' ? '暂停服务期满后整改到位' : '约谈后整改到位';
          await accept(decision, '确认已整改');
          await enterStage('rectified', 'rectified', decision.reason, decision.decidedBy, undefined, false, { decision });
          await gradeOutcome('rectified', true, outcome);
          applied();
          return ladderEnded({ outcome, rectified: true, concluded: true });
        }
        case 'suspend': {
          await accept(decision, `暂停医保服务 ${decision.months} 个月`);
          const until = monthsLater(new Date(), decision.months, tz);
          status.suspendedUntil = until.toISOString();
          await sanction('suspension', 'suspended', `${decision.reason}（${decision.months} 个月，至 ${formatLocal(until, tz)}）`, decision.decidedBy, until);
          await notify('suspension', input.institution.contacts, messages.suspensionMessage(facts, decision.months, formatLocal(until, tz)));
          await gradeOutcome('suspension', false, `暂停医保服务 ${decision.months} 个月`);
          applied();
          // The durable timer that lifts the suspension; an earlier termination decision cuts it short.
          ladderAccepts = LADDER_ACTIONS.suspended;
          await condition(() => pendingDecision !== undefined || withdrawn(), msUntil(until), { summary: `暂停医保服务至 ${formatLocal(until, tz)}` });
          ladderAccepts = [];
          if (withdrawn()) return withdrawnResult();
          if (!pendingDecision) {
            suspensionLifted = true;
            ladderAccepts = LADDER_ACTIONS['suspension-lifted'];
            const recheckDue = daysLaterAt(until, rules.decisionPeriodDays, endOfDay, tz);
            const liftedReason = `暂停期满（${formatLocal(until, tz)}），恢复医保服务`;
            // Services run again: the case no longer says "suspended" (the ledger, `case list`, the Stage attribute).
            await enterStage('suspension-lifted', 'suspension-lifted', liftedReason, undefined, recheckDue);
            await notify('suspension-lifted', [...input.institution.contacts, input.responsibleUnit], messages.suspensionLiftedMessage(facts));
            decision = await awaitDecision('after-suspension', '暂停期满后复查决定', recheckDue, LADDER_ACTIONS['suspension-lifted']);
          } else {
            decision = pendingDecision;
          }
          continue;
        }
        case 'terminate': {
          await accept(decision, '解除定点协议');
          const due = daysLaterAt(new Date(), rules.decisionPeriodDays, endOfDay, tz);
          await sanction('termination', 'terminated', decision.reason, decision.decidedBy, due);
          await notify('termination', [...input.institution.contacts, ...leadership], messages.terminationMessage(facts));
          await gradeOutcome('termination', false, '解除定点协议');
          applied();
          decision = await awaitDecision('termination', '是否列入黑名单的决定', due, LADDER_ACTIONS.terminated);
          continue;
        }
        case 'blacklist':
          await accept(decision, '列入黑名单');
          await sanction('blacklist', 'blacklisted', decision.reason, decision.decidedBy);
          await notify('blacklist', [...input.institution.contacts, ...leadership], messages.blacklistMessage(facts));
          await gradeOutcome('blacklist', false, '列入黑名单');
          applied();
          return ladderEnded({ outcome: '解除协议并列入黑名单', rectified: false, concluded: true });
        case 'close':
          await accept(decision, '结案');
          // The agreement stays terminated; no ladder step is due any more.
          status.dueAt = null;
          status.overdue = false;
          await record('close-decided', 'close-decided', decision.reason, decision.decidedBy, { decision });
          applied();
          return ladderEnded({ outcome: '解除定点协议', rectified: false, concluded: true });
      }
    }
    if (withdrawn()) return withdrawnResult();
    return ladderEnded({ outcome: `${status.stageLabel}后逾期未作出决定`, rectified: false, concluded: false });
  }

  // ---- the money -----------------------------------------------------------------------------------------------------

  async function money(): Promise<void> {
    const decisionDue = daysLaterAt(new Date(), rules.decisionPeriodDays, endOfDay, tz);
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
    } else {
      // No money to return or pay (e.g. no fund loss): still a decision the institution is told of.
      await notify('penalty-decision', [...input.institution.contacts, input.responsibleUnit], messages.penaltyDecisionWithoutMoneyMessage(facts, decision.reason));
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
      status.institutionLate = true;
      await record('payment-overdue', 'payment-overdue', `缴款期限 ${formatLocal(paymentDue, tz)} 已过，尚欠 ${assessment.totalFen - penalty.paidFen} 分`);
      await notify('payment-escalation:1', leadership, messages.escalationMessage(facts, input.leader.name, '缴款', formatLocal(paymentDue, tz), 1));
      const until = daysLaterAt(paymentDue, rules.paymentLateWindowDays, endOfDay, tz);
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
        workflow: { jurisdiction: input.jurisdiction, rules: rules.points, notify: [input.bureau], officers: input.officers },
        practitionerId: p.practitionerId,
        year: localYear(new Date(decidedAt), tz),
        // One deduction per practitioner in a decision (the validator refuses a second), so this key is unique.
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
    const dueAt = daysLaterAt(sentAt, rules.referralAckDays, endOfDay, tz);
    const referral: CaseReferral = { agency: decision.agency, reason: decision.reason, decidedBy: decision.decidedBy, status: 'sent', sentAt: sentAt.toISOString(), dueAt: dueAt.toISOString() };
    status.referrals.push(referral);
    flaggedPersons.set(decision.agency, decision.persons);
    strands.push(followReferral(referral, decision.persons));
  }

  function agencyContact(agency: ReferralAgency): Person {
    const { name, email } = input.agencies[agency];
    return { id: agency, name, email };
  }

  /** Saves the referral as it stands (with its flagged persons: ledger only) and its audit entry for `action`. */
  function saveReferral(referral: CaseReferral, action: string, actor: string, reason: string, detail: Record<string, unknown> = {}) {
    const at = new Date().toISOString();
    const acknowledged = referral.status === 'acknowledged';
    const persons = flaggedPersons.get(referral.agency) ?? [];
    const row = {
      caseId: workflowId,
      agency: referral.agency,
      reason: referral.reason,
      status: referral.status,
      sentAt: referral.sentAt,
      dueAt: referral.dueAt,
      // The acknowledgement belongs to the row only once the referral is acknowledged (the ledger checks it).
      acknowledgedAt: acknowledged ? (referral.acknowledgedAt ?? at) : null,
      acknowledgedBy: acknowledged ? (referral.acknowledgedBy ?? null) : null,
      reference: acknowledged ? (referral.reference ?? null) : null,
      persons,
    };
    return runActivity('saveReferral', `移送${referral.agency}：${referral.status}`, row, audit(`referral:${referral.agency}:${action}`, actor, `referral-${action}`, reason, { agency: referral.agency, ...detail }, at));
  }

  async function followReferral(referral: CaseReferral, persons: readonly FlaggedPerson[]): Promise<void> {
    const agency = input.agencies[referral.agency];
    const dueAt = new Date(referral.dueAt);
    await opened;
    await saveReferral(referral, 'sent', referral.decidedBy, referral.reason, persons.length ? { persons } : {});
    const contact = agencyContact(referral.agency);
    await notify(`referral:${referral.agency}`, [contact, input.leader], messages.referralLetterMessage(facts, referral.agency, agency.name, referral.reason, formatLocal(dueAt, tz), persons));
    const acknowledged = await waitStep({
      key: `referral-${referral.agency}`,
      what: `移送${agency.name}回执`,
      done: () => referral.acknowledgedBy !== undefined,
      deadline: dueAt,
      remindTo: [contact],
      markOverdue: async () => {
        referral.status = 'overdue';
        await saveReferral(referral, 'overdue', 'system', `回执期限 ${formatLocal(dueAt, tz)} 已过`);
      },
    });
    if (withdrawn() && !acknowledged) return;
    referral.status = acknowledged ? 'acknowledged' : 'unacknowledged';
    await saveReferral(
      referral,
      referral.status,
      acknowledged ? referral.acknowledgedBy! : 'system',
      acknowledged ? `已受理（${referral.reference}）` : '督办后仍未回执',
      acknowledged ? { acknowledgedAt: referral.acknowledgedAt, reference: referral.reference } : {},
    );
  }

  // ---- the case ------------------------------------------------------------------------------------------------------

  if (suspectedCrime(input.items, rules.crimeReferral)) {
    startReferral({ agency: rules.crimeReferral.agency, decidedBy: 'system', reason: '涉嫌“三假”欺诈骗保且金额达到移送标准，依规移送', persons: [] });
  }
  const ladderDone = ladder();
  strands.push(money());
  const result = await ladderDone;
  // Referrals may be added while the others run: wait until no strand is left.
  const drain = async () => {
    for (let seen = 0; seen < strands.length; ) {
      const batch = strands.slice(seen);
      seen = strands.length;
      await Promise.all(batch);
    }
  };
  await drain();
  // Close the gate at once, before the next await: from here validators refuse every Update. A referral accepted in
  // the instant before is followed to its end like the others.
  closing = true;
  await drain();

  if (withdrawn()) {
    const { reason, decidedBy } = status.withdrawal!;
    status.outcome = `撤销：${reason}`;
    await enterStage('withdrawn', 'withdrawn', reason, decidedBy);
    // Withdrawn: the findings do not stand, so the institution is graded as if no violation had been found.
    await saveGrade(`${workflowId}:credit-grade:withdrawn`, { violation: false, lossFen: 0, items: 0, overdue: false }, `案件 ${input.caseNo}：撤销（${reason}）`, { outcome: 'withdrawn' });
    await withdrawalNotices(reason);
    return finish();
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
    return finish();
  }
  status.outcome = result.outcome;
  await enterStage('closed', 'closed', result.outcome);
  await notify('closure', [...input.institution.contacts, input.leader], messages.closureMessage(facts, result.outcome));
  return finish();

  /** The institution and the leader are told; so is every agency whose referral still awaited its acknowledgement. */
  async function withdrawalNotices(reason: string): Promise<void> {
    await notify('withdrawal', [...input.institution.contacts, input.leader], messages.withdrawalMessage(facts, reason));
    for (const referral of status.referrals.filter((r) => r.status === 'sent' || r.status === 'overdue')) {
      const contact = agencyContact(referral.agency);
      await notify(`referral-withdrawn:${referral.agency}`, [contact], messages.referralWithdrawnMessage(facts, contact.name, reason));
      await saveReferral(referral, 'withdrawn', status.withdrawal!.decidedBy, `案件撤销，移送一并撤回：${reason}`);
    }
  }

  /** Returns the final status once every Update handler has answered (each of their waits is bounded). */
  async function finish(): Promise<CaseStatus> {
    await condition(allHandlersFinished);
    return status;
  }

  /** The institution's credit grade for the case's year from its outcome (DESIGN §2 credit grade). */
  async function grade(rectified: boolean): Promise<void> {
    await saveGrade(`${workflowId}:credit-grade`, creditInput(rectified), `案件 ${input.caseNo}：${result.outcome}`);
  }
}
