// The person case workflow's public face (issue 13 item 1: insured persons and 职业骗保人 as case subjects): its input,
// rules and status, and the query and Update others import. The person travels in the input only, which the payload
// codec encrypts; ids, search attributes, the status and the audit text carry the case number and the masked name.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { InsuredPerson, PersonCaseStage, PersonDecisionAction } from '../../domain/person-case';
import type { PersonPenaltyAssessment, PersonPenaltyTable } from '../../domain/person-penalty';
import type { CaseInput, CaseRules, Person } from '../case/api';

/** The plan's figures a person's case runs on: the institution case's periods, and the table of article 41. */
export type PersonCaseRules = Pick<
  CaseRules,
  | 'timeOfDay'
  | 'endOfDay'
  | 'decisionPeriodDays'
  | 'reminderOffsetsDays'
  | 'escalationWindowDays'
  | 'maxEscalations'
  | 'referralAckDays'
  | 'holidays'
> & { penalties: PersonPenaltyTable; secondApproverAboveFen: number };

export interface PersonCaseInput {
  jurisdiction: CaseInput['jurisdiction'];
  /** A business key without personal data. */
  caseNo: string;
  year: number;
  person: InsuredPerson;
  source: { kind: 'clue' | 'inspection' | 'data'; reference: string; recordedBy: string };
  items: Array<{ category: string; description: string; amountFen: number }>;
  responsibleUnit: Person;
  leader: Person;
  /** Who may decide (leaders and inspectors); whoever recorded the source never may. */
  officers: string[];
  approvers: string[];
  agencies: CaseInput['agencies'];
  rules: PersonCaseRules;
}

export interface PersonCaseAction {
  key: string;
  action: PersonDecisionAction | 'card-lifted';
  decidedBy: string;
  at: string;
  note: string;
}

export interface PersonCaseStatus {
  caseId: string;
  caseNo: string;
  personMasked: string;
  stage: PersonCaseStage;
  stageLabel: string;
  overdue: boolean;
  dueAt: string | null;
  openedAt: string;
  amountFen: number;
  actions: PersonCaseAction[];
  cardSuspendedUntil?: string;
  cardLifted: boolean;
  penalty?: PersonPenaltyAssessment;
  recoveredFen: number;
  outcome?: string;
  remindersSent: number;
  escalations: number;
}

export const PERSON_CASE_WORKFLOW_TYPE = 'personCase';
export type PersonCaseWorkflow = (input: PersonCaseInput) => Promise<PersonCaseStatus>;

export const personCaseStatusQuery = defineQuery<PersonCaseStatus>('status');
/** One decision (domain/person-case.ts personDecisionSchema); answers with the status once it has been acted on. */
export const decidePersonUpdate = defineUpdate<PersonCaseStatus, [unknown]>('decide');
