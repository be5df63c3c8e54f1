// The case's query and Updates. Updates are validated before they are accepted, and a validator refuses whatever the
// workflow would not act on (a ladder decision the ladder is not waiting for, a payment beyond what is outstanding
// counting those being recorded, anything once the case is being withdrawn or closed), so an accepted Update always
// takes effect. Who may decide what is domain/case-duties.ts; the deadlines are domain/case-deadlines.ts.
import { setHandler } from '@temporalio/workflow';
import { formatLocal } from '../../domain/calendar';
import {
  caseRecheckSchema,
  ladderDecisionSchema,
  paymentSchema,
  penaltyDecisionSchema,
  referralAckSchema,
  referralDecisionSchema,
  withdrawalSchema,
} from '../../domain/case';
import { caseDeadline } from '../../domain/case-deadlines';
import { approverProblem, deciderProblem, recheckerProblem } from '../../domain/case-duties';
import { assessPenalty, citedArticles, penaltyProblems, suspensionRange } from '../../domain/penalty';
import { decisionDeductionsProblem } from '../../domain/points';
import { formatProblems } from '../../domain/validation';
import { runActivity } from '../activities';
import {
  ackReferralUpdate,
  caseRecheckUpdate,
  caseStatusQuery,
  decidePenaltyUpdate,
  decideUpdate,
  recordPatientRefundUpdate,
  recordPaymentUpdate,
  referUpdate,
  withdrawUpdate,
  type CaseStatus,
} from './api';
import { startReferral } from './referrals';
import { parseOrReject, reject } from '../payloads';
import { ended, rejectIf, withdrawn, type CaseState } from './state';
import { audit, settled } from './steps';

/**
 * How far an agency's acknowledgement time may lie ahead of workflow time: the clocks of the sender's machine and the
 * server differ by seconds (a technical bound, not a business period).
 */
const CLOCK_SKEW_TOLERANCE_MS = 5 * 60_000;

/** Registers the status query and the eight Updates with their validators. */
export function registerHandlers(s: CaseState): void {
  setHandler(caseStatusQuery, () => s.status);
  setHandler(caseRecheckUpdate, (payload) => recordRecheck(s, payload), { validator: (payload) => validateRecheck(s, payload) });
  setHandler(decideUpdate, (payload) => decide(s, payload), { validator: (payload) => validateDecision(s, payload) });
  setHandler(decidePenaltyUpdate, (payload) => decidePenalty(s, payload), { validator: (payload) => validatePenalty(s, payload) });
  setHandler(recordPaymentUpdate, (payload) => recordPayment(s, payload), { validator: (payload) => validatePayment(s, payload) });
  setHandler(recordPatientRefundUpdate, (payload) => recordPatientRefund(s, payload), {
    validator: (payload) => validatePatientRefund(s, payload),
  });
  setHandler(
    referUpdate,
    (payload) => {
      startReferral(s, referralDecisionSchema.parse(payload));
      return s.status;
    },
    { validator: (payload) => validateReferral(s, payload) },
  );
  setHandler(ackReferralUpdate, (payload) => ackReferral(s, payload), { validator: (payload) => validateAck(s, payload) });
  setHandler(
    withdrawUpdate,
    async (payload) => {
      s.status.withdrawal = withdrawalSchema.parse(payload);
      return settled(s, () => s.status.stage === 'withdrawn');
    },
    {
      validator: (payload) => {
        checkNotEnded(s);
        checkDecider(s, parseOrReject(withdrawalSchema, payload, 'withdrawal').decidedBy, 'decidedBy');
      },
    },
  );
}

/** Separation of duties (domain/case-duties.ts): a known officer, never the inspector who recorded the findings. */
function checkDecider(s: CaseState, id: string, field: string): void {
  rejectIf(deciderProblem(id, field, s.duties));
}

/** Nothing is accepted once the case has ended, is being withdrawn, or is being closed. */
function checkNotEnded(s: CaseState): void {
  if (ended(s)) reject(`the case is ${s.status.stageLabel}: nothing more can be decided`, 'InvalidStage');
  if (withdrawn(s)) reject('the case is being withdrawn: nothing more can be decided', 'InvalidStage');
  if (s.closing) reject('the case is being closed (every step has ended): nothing more can be decided', 'InvalidStage');
}

// ---- the recheck and the ladder ------------------------------------------------------------------------------------

async function recordRecheck(s: CaseState, payload: unknown): Promise<CaseStatus> {
  s.status.recheck = caseRecheckSchema.parse(payload);
  return settled(s, () => s.recheckRecorded);
}

function validateRecheck(s: CaseState, payload: unknown): void {
  checkNotEnded(s);
  const { status } = s;
  if ((status.stage !== 'rectifying' && status.stage !== 'rectification-overdue') || status.recheck) {
    reject(`recheck not accepted: the case is at stage ${status.stage}`, 'InvalidStage');
  }
  const recheck = parseOrReject(caseRecheckSchema, payload, 'recheck');
  rejectIf(recheckerProblem(recheck.inspectorId, s.duties.team));
}

async function decide(s: CaseState, payload: unknown): Promise<CaseStatus> {
  const before = s.decisionsApplied;
  s.pendingDecision = ladderDecisionSchema.parse(payload);
  return settled(s, () => s.decisionsApplied > before);
}

function validateDecision(s: CaseState, payload: unknown): void {
  checkNotEnded(s);
  const { status, ladderAccepts } = s;
  const decision = parseOrReject(ladderDecisionSchema, payload, 'decision');
  if (s.pendingDecision) {
    reject(
      `action: "${decision.action}" is not possible now: the decision "${s.pendingDecision.action}" is being taken; send it again once that one has been answered`,
      'InvalidStage',
    );
  }
  // Only what the ladder waits for right now: a decision it would not act on is refused, never accepted and lost.
  if (!ladderAccepts.includes(decision.action)) {
    if (decision.action === 'rectified' && status.stage === 'suspended' && !s.suspensionLifted) {
      reject('action: "rectified" is possible once the suspension has been lifted', 'InvalidStage');
    }
    if (s.ladderOutcome !== undefined) {
      reject(
        `action: "${decision.action}" is not possible: the escalation ladder has ended (${s.ladderOutcome}); no ladder decision is awaited any more`,
        'InvalidStage',
      );
    }
    reject(
      `action: "${decision.action}" is not possible at stage ${status.stage}${ladderAccepts.length ? ` (possible: ${ladderAccepts.join(', ')})` : ''}`,
      'InvalidStage',
    );
  }
  if (decision.action === 'suspend') {
    const { min, max } = suspensionRange(s.input.items, s.rules.penalties);
    if (decision.months < min || decision.months > max)
      reject(`months: ${decision.months} is outside ${min}–${max} months (${citedArticles(s.input.items, s.rules.penalties)})`);
  }
  checkDecider(s, decision.decidedBy, 'decidedBy');
}

// ---- the money -----------------------------------------------------------------------------------------------------

async function decidePenalty(s: CaseState, payload: unknown): Promise<CaseStatus> {
  const { input, rules, status } = s;
  const decision = penaltyDecisionSchema.parse(payload);
  const decidedAt = new Date();
  const dueAt = caseDeadline('payment', decidedAt, rules, s.tz);
  status.penalty = {
    decision,
    assessment: assessPenalty(input.items, decision.fines, rules.penalties),
    decidedAt: decidedAt.toISOString(),
    dueAt: dueAt.toISOString(),
    paidFen: 0,
  };
  return settled(s, () => status.penaltyStatus !== 'awaiting-decision' && status.penaltyStatus !== 'decision-overdue');
}

function validatePenalty(s: CaseState, payload: unknown): void {
  const { input, rules, status } = s;
  checkNotEnded(s);
  // A decision taken is recorded by the money strand after this Update's handler has run: one sent at the same
  // moment (in the same workflow task) finds the first in status.penalty before penaltyStatus has moved.
  if (status.penalty)
    reject(
      `penalty decision not accepted: the penalty was decided by ${status.penalty.decision.decidedBy} at ${status.penalty.decidedAt}`,
      'InvalidStage',
    );
  if (status.penaltyStatus !== 'awaiting-decision' && status.penaltyStatus !== 'decision-overdue') {
    reject(`penalty decision not accepted: the penalty is ${status.penaltyStatus}`, 'InvalidStage');
  }
  const decision = parseOrReject(penaltyDecisionSchema, payload, 'penalty decision');
  checkDecider(s, decision.decidedBy, 'decidedBy');
  const problems = penaltyProblems(input.items, decision.fines, rules.penalties);
  if (problems.length) reject(`invalid penalty decision: ${formatProblems(problems)}`);
  const points = decisionDeductionsProblem(decision.practitioners, rules.points);
  if (points) reject(points);
  const { totalFen } = assessPenalty(input.items, decision.fines, rules.penalties);
  rejectIf(approverProblem({ decidedBy: decision.decidedBy, approvedBy: decision.approvedBy, totalFen }, s.duties, rules.penalties));
}

async function recordPayment(s: CaseState, payload: unknown): Promise<CaseStatus> {
  const payment = paymentSchema.parse(payload);
  const penalty = s.status.penalty!;
  // Reserved before the ledger answers, so that a concurrent payment's validator no longer counts it outstanding.
  // A reference seen before (same amount: the validator made sure) is the same payment again: the ledger keeps it
  // once by its key, and nothing is reserved twice.
  const again = s.paymentsByReference.has(payment.reference);
  if (!again) {
    s.paymentsByReference.set(payment.reference, payment.amountFen);
    s.reservedFen += payment.amountFen;
  }
  const at = new Date().toISOString();
  try {
    const total = await runActivity(
      'recordCasePayment',
      `缴款 ${payment.amountFen} 分`,
      { key: `${s.workflowId}:payment:${payment.reference}`, caseId: s.workflowId, ...payment },
      audit(
        s,
        `payment:${payment.reference}`,
        payment.recordedBy,
        'payment-recorded',
        `缴款 ${payment.amountFen} 分（${payment.reference}）`,
        { ...payment },
        at,
      ),
    );
    // Totals only grow; concurrent payments may answer out of order.
    penalty.paidFen = Math.max(penalty.paidFen, total);
  } catch (error) {
    if (!again) s.paymentsByReference.delete(payment.reference);
    throw error;
  } finally {
    if (!again) s.reservedFen -= payment.amountFen;
  }
  return s.status;
}

/** Money returned to patients (为患者追回资金): recorded in the ledger once per reference, apart from the penalty. */
async function recordPatientRefund(s: CaseState, payload: unknown): Promise<CaseStatus> {
  const refund = paymentSchema.parse(payload);
  s.patientRefundsByReference.set(refund.reference, refund.amountFen);
  const reason = `为患者追回 ${refund.amountFen} 分（${refund.reference}）`;
  const total = await runActivity(
    'recordPatientRefund',
    reason,
    { caseId: s.workflowId, ...refund },
    audit(
      s,
      `patient-refund:${refund.reference}`,
      refund.recordedBy,
      'patient-refund-recorded',
      reason,
      { ...refund },
      new Date().toISOString(),
    ),
  );
  s.status.patientRefundedFen = Math.max(s.status.patientRefundedFen ?? 0, total);
  return s.status;
}

function validatePatientRefund(s: CaseState, payload: unknown): void {
  checkNotEnded(s);
  const refund = parseOrReject(paymentSchema, payload, 'patient refund');
  checkDecider(s, refund.recordedBy, 'recordedBy');
  const known = s.patientRefundsByReference.get(refund.reference);
  if (known !== undefined && known !== refund.amountFen)
    reject(`reference: "${refund.reference}" is already recorded for ${known} fen, not ${refund.amountFen} fen`);
}

function validatePayment(s: CaseState, payload: unknown): void {
  const { status, reservedFen } = s;
  checkNotEnded(s);
  const payment = parseOrReject(paymentSchema, payload, 'payment');
  checkDecider(s, payment.recordedBy, 'recordedBy');
  const known = s.paymentsByReference.get(payment.reference);
  if (known !== undefined) {
    if (known !== payment.amountFen) {
      reject(
        `reference: "${payment.reference}" is already recorded for ${known} fen, not ${payment.amountFen} fen; another payment needs its own reference`,
      );
    }
    return; // the same payment again: accepted, and changes nothing
  }
  if (status.penaltyStatus !== 'awaiting-payment' && status.penaltyStatus !== 'payment-overdue') {
    reject(`payment not accepted: the penalty is ${status.penaltyStatus}`, 'InvalidStage');
  }
  const outstanding = status.penalty!.assessment.totalFen - status.penalty!.paidFen - reservedFen;
  if (payment.amountFen > outstanding) {
    reject(
      `amountFen: ${payment.amountFen} is more than the ${outstanding} fen outstanding${reservedFen ? ` (${reservedFen} fen of other payments are being recorded)` : ''}`,
    );
  }
}

// ---- referrals -----------------------------------------------------------------------------------------------------

function validateReferral(s: CaseState, payload: unknown): void {
  checkNotEnded(s);
  const decision = parseOrReject(referralDecisionSchema, payload, 'referral');
  if (s.status.referrals.some((r) => r.agency === decision.agency))
    reject(`agency: the case has already been referred to ${decision.agency}`, 'InvalidStage');
  if (decision.persons.length && decision.agency !== 'discipline')
    reject('persons: only a referral to the discipline commission (agency "discipline") names persons');
  checkDecider(s, decision.decidedBy, 'decidedBy');
}

async function ackReferral(s: CaseState, payload: unknown): Promise<CaseStatus> {
  const ack = referralAckSchema.parse(payload);
  const referral = s.status.referrals.find((r) => r.agency === ack.agency)!;
  referral.acknowledgedBy = ack.acknowledgedBy;
  referral.acknowledgedAt = new Date(ack.acknowledgedAt).toISOString();
  referral.reference = ack.reference;
  return settled(s, () => referral.status === 'acknowledged');
}

function validateAck(s: CaseState, payload: unknown): void {
  checkNotEnded(s);
  const ack = parseOrReject(referralAckSchema, payload, 'acknowledgement');
  const referral = s.status.referrals.find((r) => r.agency === ack.agency);
  if (!referral) reject(`agency: the case was not referred to ${ack.agency}`, 'InvalidStage');
  if (referral.acknowledgedBy || (referral.status !== 'sent' && referral.status !== 'overdue')) {
    reject(`agency: the referral to ${ack.agency} is ${referral.status}`, 'InvalidStage');
  }
  const at = new Date(ack.acknowledgedAt).getTime();
  const now = new Date();
  if (at > now.getTime() + CLOCK_SKEW_TOLERANCE_MS)
    reject(`acknowledgedAt: ${ack.acknowledgedAt} is in the future (it is now ${formatLocal(now, s.tz)})`);
  if (at < new Date(referral.sentAt).getTime()) {
    reject(`acknowledgedAt: ${ack.acknowledgedAt} is before the referral was sent (${formatLocal(new Date(referral.sentAt), s.tz)})`);
  }
}
