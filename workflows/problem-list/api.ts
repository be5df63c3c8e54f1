// The responsible tasks' weekly 问题台账 (seed 002 附件1): the campaign's loop `problemLists` (a child of the special
// campaign, one run a week by continue-as-new) and each week's `problemListWeek`, which takes the units' submissions
// by the Update `submitProblemList` until the week's deadline. The CLI (`jianguan campaign ledger submit`) reaches the
// week by its id, and the loop's query tells it the week now open.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { formatLocal } from '../../domain/calendar';
import { problemListsWorkflowId, problemListWeekWorkflowId } from '../../domain/business-keys';
import type { ProblemListOutcome, SubmissionRules, TaskEntry } from '../../domain/problem-list';
import { ONE_RUN_PER_KEY } from '../business-key';
import { searchAttributes } from '../search-attributes';

/** The special campaign's patch that starts the loop (its histories recorded before have no such child). */
export const PROBLEM_LISTS_PATCH = 'problem-lists';

/** A responsible unit, a leader or the lead office as the notices address them (ids are the plan's). */
export interface Contact {
  id: string;
  name: string;
  email: string;
}

export interface ProblemListsInput {
  jurisdiction: { code: string; name: string; timeZone: string };
  campaign: { id: string; title: string; year: number };
  tasks: TaskEntry[];
  rules: SubmissionRules;
  leadUnit: Contact;
  /** The plan's responsible units and leaders the tasks name. */
  units: Contact[];
  leaders: Contact[];
  /** ISO instants: the first phase's start and the campaign's end (no week is due after it). */
  startsAt: string;
  endsAt: string;
  /** The week this run covers; left out on the first run (the first week due at or after the start). */
  week?: string;
  /** Weeks run before this one. */
  weeksDone?: number;
}

export interface ProblemListsStatus {
  campaignId: string;
  stage: 'waiting' | 'collecting' | 'completed';
  /** The week open now. */
  week?: string;
  weeksDone: number;
}

export const problemListsStatusQuery = defineQuery<ProblemListsStatus>('status');

/** A unit that owes the week's 台账, with the indexes of its tasks running that week. */
export type UnitDueContact = Contact & { tasks: number[] };

export interface ProblemListWeekInput {
  jurisdiction: { code: string; name: string; timeZone: string };
  campaign: { id: string; title: string; year: number };
  week: string;
  /** ISO instants: the units still missing are reminded; the week closes. */
  remindAt: string;
  deadline: string;
  units: UnitDueContact[];
  tasks: TaskEntry[];
  leaders: Contact[];
  leadUnit: Contact;
}

export interface ProblemListWeekStatus {
  campaignId: string;
  week: string;
  deadline: string;
  stage: 'open' | 'closed';
  /** Units that submitted, with the revision recorded. */
  submitted: Record<string, number>;
  remindersSent: number;
  /** At the close: the units missing, and the leaders told. */
  missing?: string[];
  escalated?: number;
}

export interface ProblemListReceipt {
  week: string;
  unit: string;
  outcome: ProblemListOutcome;
  revision: number;
}

export const problemListWeekStatusQuery = defineQuery<ProblemListWeekStatus>('status');
/** A unit's 台账 of the week (domain/problem-list.ts problemListSubmissionSchema); refused once the week has closed. */
export const submitProblemListUpdate = defineUpdate<ProblemListReceipt, [unknown]>('submitProblemList');

const attributes = (input: Pick<ProblemListsInput, 'jurisdiction' | 'campaign'>, dueAt?: Date) =>
  searchAttributes({
    jurisdiction: input.jurisdiction.code,
    campaignId: input.campaign.id,
    campaignKind: 'problem-list',
    year: input.campaign.year,
    ...(dueAt && { dueAt }),
  });

/** The loop's start options (the special campaign starts it as a child). */
export function problemListsStartOptions(input: ProblemListsInput) {
  return {
    workflowId: problemListsWorkflowId(input.campaign.id),
    ...ONE_RUN_PER_KEY,
    args: [input] as [ProblemListsInput],
    staticSummary: `${input.jurisdiction.name} ${input.campaign.title}：责任单位每周问题台账`,
    typedSearchAttributes: attributes(input),
  };
}

/** A week's start options (the loop starts it as a child). */
export function problemListWeekStartOptions(input: ProblemListWeekInput) {
  const deadline = new Date(input.deadline);
  return {
    workflowId: problemListWeekWorkflowId(input.campaign.id, input.week),
    ...ONE_RUN_PER_KEY,
    args: [input] as [ProblemListWeekInput],
    staticSummary: `${input.jurisdiction.name} ${input.campaign.title}：问题台账 ${input.week}`,
    staticDetails: `报送截止 ${formatLocal(deadline, input.jurisdiction.timeZone)}`,
    typedSearchAttributes: attributes(input, deadline),
  };
}
