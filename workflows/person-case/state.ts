// The state one person case shares between its setup, its Update handler and its steps.
import { workflowInfo } from '@temporalio/workflow';
import { maskName } from '../../domain/clue';
import type { CaseFacts } from '../../domain/case-messages';
import { PERSON_STAGE_LABELS, SOURCE_LABELS, type PersonDecision } from '../../domain/person-case';
import type { Person } from '../case/api';
import type { PersonCaseInput, PersonCaseStatus } from './api';

export interface PersonCaseState {
  readonly input: PersonCaseInput;
  readonly workflowId: string;
  readonly tz: string;
  /** The texts' facts: the person masked, never named. */
  readonly facts: CaseFacts;
  readonly leadership: Person[];
  readonly status: PersonCaseStatus;
  /** Decisions accepted by the Update, in order; `applied` of them acted on so far. */
  readonly queue: PersonDecision[];
  applied: number;
  /** A close was accepted (nothing more is), or the case was left open. */
  closing: boolean;
  /** The card suspension's timer, while it runs. */
  readonly strands: Promise<void>[];
}

export function createPersonCaseState(input: PersonCaseInput): PersonCaseState {
  const { workflowId } = workflowInfo();
  const personMasked = maskName(input.person.name);
  return {
    input,
    workflowId,
    tz: input.jurisdiction.timeZone,
    facts: {
      jurisdictionName: input.jurisdiction.name,
      caseNo: input.caseNo,
      institutionName: `${input.person.professional ? '职业骗保人' : '参保人员'} ${personMasked}`,
      origin: `${SOURCE_LABELS[input.source.kind]} ${input.source.reference}`,
    },
    leadership: [input.leader, input.responsibleUnit],
    status: {
      caseId: workflowId,
      caseNo: input.caseNo,
      personMasked,
      stage: 'open',
      stageLabel: PERSON_STAGE_LABELS.open,
      overdue: false,
      dueAt: null,
      openedAt: new Date().toISOString(),
      amountFen: input.items.reduce((sum, item) => sum + item.amountFen, 0),
      actions: [],
      cardLifted: false,
      recoveredFen: 0,
      remindersSent: 0,
      escalations: 0,
    },
    queue: [],
    applied: 0,
    closing: false,
    strands: [],
  };
}
