// The state one case workflow shares between its setup, its Update handlers and its three strands.
import { workflowInfo } from '@temporalio/workflow';
import {
  CASE_STAGE_LABELS,
  type CaseStage,
  type FlaggedPerson,
  type LadderAction,
  type LadderDecision,
  type ReferralAgency,
} from '../../domain/case';
import type { CaseFacts } from '../../domain/case-messages';
import type { CaseDuties, DutyProblem } from '../../domain/case-duties';
import type { Sanction } from '../../domain/credit';
import { totalLossFen } from '../../domain/inspection';
import { reject } from '../payloads';
import type { CaseInput, CaseRules, CaseStatus, Person } from './api';

const FINAL_STAGES: readonly CaseStage[] = ['closed', 'withdrawn'];

export interface CaseState {
  readonly input: CaseInput;
  readonly rules: CaseRules;
  readonly workflowId: string;
  /** The jurisdiction's time zone. */
  readonly tz: string;
  readonly facts: CaseFacts;
  readonly duties: CaseDuties;
  /** The leader and the responsible unit: told of escalations and decisions. */
  readonly leadership: Person[];
  readonly status: CaseStatus;
  /** A ladder decision accepted by the Update, not yet acted on by the ladder. */
  pendingDecision: LadderDecision | undefined;
  /** The actions the ladder is waiting for right now; empty whenever it waits for none (or has ended). */
  ladderAccepts: readonly LadderAction[];
  /** How the ladder ended, once it has. */
  ladderOutcome: string | undefined;
  suspensionLifted: boolean;
  /** Set once the ladder has recorded the recheck; ladder decisions applied so far (Updates answer after their effect). */
  recheckRecorded: boolean;
  decisionsApplied: number;
  highestSanction: Sanction | undefined;
  /** Payments accepted so far by reference (amount in fen), and the fen of those still being recorded in the ledger. */
  readonly paymentsByReference: Map<string, number>;
  reservedFen: number;
  /** Money returned to patients accepted so far, by reference (amount in fen). */
  readonly patientRefundsByReference: Map<string, number>;
  /** Persons flagged for the discipline commission per referral: for the letter and the ledger, not for the status. */
  readonly flaggedPersons: Map<ReferralAgency, FlaggedPerson[]>;
  /** Set once every strand has ended and the case is being closed (or left open): no Update is accepted any more. */
  closing: boolean;
  /** Resolves once the case is in the ledger (a referral's row refers to it); `markOpened` resolves it. */
  readonly opened: Promise<void>;
  markOpened: () => void;
  /** The strands still running (the money, each referral): the case ends once none is left. */
  readonly strands: Promise<void>[];
}

export function createCaseState(input: CaseInput): CaseState {
  const { workflowId } = workflowInfo();
  let markOpened: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (markOpened = resolve));
  return {
    input,
    rules: input.rules,
    workflowId,
    tz: input.jurisdiction.timeZone,
    facts: {
      jurisdictionName: input.jurisdiction.name,
      caseNo: input.caseNo,
      institutionName: input.institution.name,
      origin: input.source.origin,
    },
    duties: {
      officers: input.officers,
      approvers: input.approvers,
      recordedBy: input.source.recordedBy,
      team: input.source.team,
      jurisdictionName: input.jurisdiction.name,
    },
    leadership: [input.leader, input.responsibleUnit],
    status: {
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
    },
    pendingDecision: undefined,
    ladderAccepts: [],
    ladderOutcome: undefined,
    suspensionLifted: false,
    recheckRecorded: false,
    decisionsApplied: 0,
    highestSanction: undefined,
    paymentsByReference: new Map(),
    patientRefundsByReference: new Map(),
    reservedFen: 0,
    flaggedPersons: new Map(),
    closing: false,
    opened,
    markOpened,
    strands: [],
  };
}

export const withdrawn = (s: CaseState): boolean => s.status.withdrawal !== undefined;
export const ended = (s: CaseState): boolean => FINAL_STAGES.includes(s.status.stage);

/** Rejects with a duty rule's problem, if any. */
export function rejectIf(problem: DutyProblem | undefined): void {
  if (problem) reject(problem.message, problem.type);
}
