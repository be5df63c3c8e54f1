// The state one clue workflow shares between its steps and its Update handlers.
import { workflowInfo } from '@temporalio/workflow';
import { SOURCE_LABELS, STAGE_LABELS } from '../../domain/clue';
import type { ClueFacts } from '../../domain/clue-messages';
import type { ApproveReward, ClaimReward } from '../../domain/clue-payloads';
import type { FindingItem } from '../../domain/inspection';
import type { Person } from '../case/api';
import type { ClueInput, ClueStatus } from './api';

export interface ClueState {
  readonly input: ClueInput;
  readonly workflowId: string;
  readonly tz: string;
  readonly facts: ClueFacts;
  readonly status: ClueStatus;
  /** The unit verifying the clue, once assigned. */
  unit: (Person & { leader: Person }) | undefined;
  /** What the verification found (a case's items), the reward's approval and its claim, once sent. */
  items: FindingItem[];
  approval: ApproveReward | undefined;
  claim: ClaimReward | undefined;
  /** The decisions whose effects have all happened ('acceptance', 'conclusion'): their Updates answer then. */
  readonly applied: Set<'acceptance' | 'conclusion'>;
  /** Reporter notices still awaited from the handling unit (by phone or letter): they end with the clue. */
  readonly strands: Promise<void>[];
}

function sourceText(input: ClueInput): string {
  const { kind, batchNo, batchDate } = input.source;
  return kind === 'local' ? SOURCE_LABELS.local : `${SOURCE_LABELS[kind]}（批次 ${batchNo ?? '—'}${batchDate ? `，${batchDate}` : ''}）`;
}

export function createClueState(input: ClueInput): ClueState {
  const { workflowId } = workflowInfo();
  return {
    input,
    workflowId,
    tz: input.jurisdiction.timeZone,
    facts: {
      jurisdictionName: input.jurisdiction.name,
      clueNo: input.clueNo,
      sourceText: sourceText(input),
      subjectName: input.subject.institution?.name ?? input.subject.description,
      reporterText: input.reporter.realName ? `实名（${input.reporter.masked}）` : '匿名',
    },
    status: {
      clueId: workflowId,
      clueNo: input.clueNo,
      stage: 'awaiting-acceptance',
      stageLabel: STAGE_LABELS['awaiting-acceptance'],
      overdue: false,
      dueAt: null,
      receivedAt: input.receivedAt,
      source: input.source,
      institutionId: input.subject.institution?.id,
      reporter: { realName: input.reporter.realName, masked: input.reporter.masked },
      reporterNotices: [],
      remindersSent: 0,
      escalations: 0,
    },
    unit: undefined,
    items: [],
    approval: undefined,
    claim: undefined,
    applied: new Set(),
    strands: [],
  };
}
