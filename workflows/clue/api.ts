// The clue workflow's public face (DESIGN §5 "clue"): its input and status, and the query and Updates it answers.
// The reporter's identity is not here: only whether the report was in real name, a masked name for the staff's texts,
// and how the reporter can be reached. The identity itself stays in the ledger's encrypted table (records/ledger/clues.ts),
// read only by the activity that mails the reporter.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ClueAction, ClueChannel, ClueOutcome, ClueRules, ClueSourceKind, ClueStage } from '../../domain/clue';
import type { HolidayArrangements } from '../../domain/workdays';
import type { CaseContext } from '../case/context';
import type { Person } from '../case/api';

export interface ClueReporterFacts {
  realName: boolean;
  /** The reporter as staff's texts show it: 张*（实名）, or 匿名. */
  masked: string;
  /** The reporter gave an e-mail address: notices go there; else the handling unit tells by phone or letter. */
  byEmail: boolean;
  /** Can be told and paid: real name, or anonymous with a way to be reached. */
  reachable: boolean;
  /** A joint report (联名举报): how many signatories share the reward. */
  signatories: number;
}

export interface ClueInput {
  jurisdiction: { code: string; name: string; timeZone: string };
  clueNo: string;
  year: number;
  /** When the bureau received it (for a transferred clue: when the batch arrived here), ISO-8601. */
  receivedAt: string;
  channel: ClueChannel;
  source: { kind: ClueSourceKind; batchNo?: string; batchDate?: string };
  /** Who or what the clue is about: a designated institution of the plan, or a description. */
  subject: {
    institution?: {
      id: string;
      name: string;
      kind: 'hospital' | 'pharmacy';
      contacts: Person[];
      /** The unit the plan makes responsible for it (its flying check's reminders); absent in clues started before. */
      responsibleUnitId?: string | null;
    };
    description: string;
  };
  /** What the clue reports, as registered (no reporter data). */
  summary: string;
  reporter: ClueReporterFacts;
  /** The same matter reported earlier under that clue number: the first reporter is the one rewarded. */
  duplicateOf?: string;
  /** The unit that registers clues and decides on them (受理), and its leader. */
  intakeUnit: Person;
  leader: Person;
  /** The units a clue may be assigned to, with their leaders. */
  units: Array<Person & { leader: Person }>;
  /** Who may decide on acceptance and conclude (leaders and inspectors); who may approve extensions and rewards (leaders). */
  officers: string[];
  approvers: string[];
  /** The plan's clue rules, its reminder time and end of day, and its official holiday arrangements when it has any. */
  rules: ClueRules & { timeOfDay: string; endOfDay: string; holidays?: HolidayArrangements };
  /** What a case opened from this clue shares with every case of the jurisdiction. */
  cases: CaseContext;
}

export interface ReporterNotice {
  event: string;
  what: string;
  dueAt: string;
  /** How the reporter was told: by e-mail when sent, else as the handler recorded it. */
  toldAt?: string;
  how?: string;
  overdue?: boolean;
}

export interface ClueReward {
  computedFen: number;
  amountFen: number;
  /** Each signatory's share, in signing order. */
  sharesFen: number[];
  approvedBy?: string;
  approvedAt?: string;
  claimDueAt?: string;
  paidAt?: string;
  paidBy?: string;
  reference?: string;
  waivedAt?: string;
}

export interface ClueStatus {
  clueId: string;
  clueNo: string;
  stage: ClueStage;
  stageLabel: string;
  overdue: boolean;
  /** Deadline of the current step, ISO-8601; null once nothing is awaited. */
  dueAt: string | null;
  receivedAt: string;
  source: ClueInput['source'];
  institutionId?: string;
  reporter: { realName: boolean; masked: string };
  acceptance?: { accepted: boolean; decidedBy: string; decidedAt: string; reason?: string; unitId?: string; note?: string };
  /** Moves to another unit during verification (改派), in order. */
  reassignments?: Array<{ from: string; to: string; assignedBy: string; at: string; reason: string }>;
  extension?: { approvedBy: string; reason: string; until: string };
  conclusion?: { handledBy: string; outcome: ClueOutcome; verifiedFen: number; findings: string; action: ClueAction; concludedAt: string };
  caseId?: string;
  /** The flying check the conclusion ordered: its inspection workflow's id. */
  flyingCheckId?: string;
  reward?: ClueReward;
  rewardNote?: string;
  reporterNotices: ReporterNotice[];
  remindersSent: number;
  escalations: number;
}

/** The workflow type's registered name (workflows/clue/workflow.ts), for client starts. */
export const CLUE_WORKFLOW_TYPE = 'clueWorkflow';
export type ClueWorkflow = (input: ClueInput) => Promise<ClueStatus>;

export const clueStatusQuery = defineQuery<ClueStatus>('status');
export const acceptClueUpdate = defineUpdate<ClueStatus, [unknown]>('accept');
export const assignClueUpdate = defineUpdate<ClueStatus, [unknown]>('assign');
export const rejectClueUpdate = defineUpdate<ClueStatus, [unknown]>('reject');
export const extendClueUpdate = defineUpdate<ClueStatus, [unknown]>('extend');
export const concludeClueUpdate = defineUpdate<ClueStatus, [unknown]>('conclude');
export const approveRewardUpdate = defineUpdate<ClueStatus, [unknown]>('approveReward');
export const claimRewardUpdate = defineUpdate<ClueStatus, [unknown]>('claimReward');
export const reporterToldUpdate = defineUpdate<ClueStatus, [unknown]>('reporterTold');
