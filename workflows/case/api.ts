// The case workflow's public face (DESIGN §5 "case"): its input, rules and status, and the query and Updates it
// answers. Activities, the CLI and tests import this module, never the implementation (workflows/case/workflow.ts).
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CaseStage, LadderDecision, PenaltyDecision, ReferralAgency, Withdrawal } from '../../domain/case';
import type { CreditRules } from '../../domain/credit';
import type { FindingItem, Recheck } from '../../domain/inspection';
import type { PenaltyAssessment, PenaltyTable } from '../../domain/penalty';
import type { DaysOrPeriod } from '../../domain/period';
import type { PointsRules } from '../../domain/points';
import type { HolidayArrangements } from '../../domain/workdays';

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
  // The periods: a bare number is calendar days (domain/case-deadlines.ts), as in the histories recorded before periods.
  rectification: { periodDays: DaysOrPeriod; reminderOffsetsDays: number[]; recheckWindowDays: DaysOrPeriod };
  decisionPeriodDays: DaysOrPeriod;
  reminderOffsetsDays: number[];
  escalationWindowDays: DaysOrPeriod;
  maxEscalations: number;
  interviewPeriodDays: DaysOrPeriod;
  paymentPeriodDays: DaysOrPeriod;
  paymentLateWindowDays: DaysOrPeriod;
  referralAckDays: DaysOrPeriod;
  crimeReferral: { minLossFen: number; categories: string[]; agency: ReferralAgency };
  penalties: PenaltyTable;
  points: PointsRules;
  creditRules?: CreditRules;
  /**
   * The plan's official holiday arrangements (`calendar.holidays`), which working-day deadlines count over the built-in
   * data (domain/workdays.ts). Absent when the plan gives none, and in inputs recorded before it could.
   */
  holidays?: HolidayArrangements;
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
export type PenaltyStatus =
  'awaiting-decision' | 'decision-overdue' | 'awaiting-payment' | 'payment-overdue' | 'paid' | 'unpaid' | 'no-decision';

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
  /** Money the institution returned to patients (为患者追回资金), fen: apart from the penalty. Absent before any. */
  patientRefundedFen?: number;
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

/** The workflow type's registered name (the exported function in workflows/case/workflow.ts), for client starts. */
export const CASE_WORKFLOW_TYPE = 'caseWorkflow';
/** The workflow function's signature, for typed starts by name (`client.workflow.start<CaseWorkflow>(CASE_WORKFLOW_TYPE, …)`). */
export type CaseWorkflow = (input: CaseInput) => Promise<CaseStatus>;

export const caseStatusQuery = defineQuery<CaseStatus>('status');
export const caseRecheckUpdate = defineUpdate<CaseStatus, [unknown]>('recordRecheck');
export const decideUpdate = defineUpdate<CaseStatus, [unknown]>('decide');
export const decidePenaltyUpdate = defineUpdate<CaseStatus, [unknown]>('decidePenalty');
export const recordPaymentUpdate = defineUpdate<CaseStatus, [unknown]>('recordPayment');
export const recordPatientRefundUpdate = defineUpdate<CaseStatus, [unknown]>('recordPatientRefund');
export const referUpdate = defineUpdate<CaseStatus, [unknown]>('refer');
export const ackReferralUpdate = defineUpdate<CaseStatus, [unknown]>('ackReferral');
export const withdrawUpdate = defineUpdate<CaseStatus, [unknown]>('withdraw');
