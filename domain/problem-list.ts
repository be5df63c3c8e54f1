// The responsible tasks' weekly 问题台账 (seed 002: "各相关股室…于每周四前填写《行业部门集中整治自查发现问题台账》(附件1)
// 报党建办"): what a responsible unit submits each week (its problems, each with its measure, deadline and state), when
// the week's 台账 is due, which units owe one that week, who is missing, and to which leaders a missing one escalates.
// Pure: the Update's validator, the CLI, the activities and the workflows share it.
import { DateTime } from 'luxon';
import { z } from 'zod';
import { daysLaterAt, isoWeekInstant, isoWeekOf } from './calendar';
import { NOTE_MAX, requiredText } from './validation';

/** 整改状态: the codes kept in the ledger, and the words the form prints (and a unit may write instead of the code). */
export const PROBLEM_STATES = ['pending', 'rectifying', 'rectified'] as const;
export type ProblemState = (typeof PROBLEM_STATES)[number];
export const PROBLEM_STATE_LABELS: Record<ProblemState, string> = { pending: '未整改', rectifying: '整改中', rectified: '已整改' };
const stateOfLabel = new Map(PROBLEM_STATES.map((s) => [PROBLEM_STATE_LABELS[s], s]));

/** Rows one unit may submit in a week: far more than any office finds, small enough for one history event. */
export const PROBLEM_ROWS_MAX = 200;

const isLocalDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid;

/** One row of the 台账: 发现问题, 整改措施, 整改时限, 整改状态. */
export const problemRowSchema = z.strictObject({
  problem: requiredText(NOTE_MAX, { multiline: true }),
  measure: requiredText(NOTE_MAX, { multiline: true }),
  deadline: z.string().refine(isLocalDate, { error: 'expected a date "YYYY-MM-DD"' }),
  state: z.preprocess(
    (value) => (typeof value === 'string' ? (stateOfLabel.get(value.trim()) ?? value.trim()) : value),
    z.enum(PROBLEM_STATES, { error: `expected one of ${PROBLEM_STATES.map((s) => `${s} (${PROBLEM_STATE_LABELS[s]})`).join(', ')}` }),
  ),
});
export type ProblemRow = z.infer<typeof problemRowSchema>;

/** A unit's rows of one week; none found is a 台账 too (an empty list: 本周无新发现问题). */
export const problemRowsSchema = z.array(problemRowSchema).max(PROBLEM_ROWS_MAX, `at most ${PROBLEM_ROWS_MAX} rows`);

/** The submission Update's payload: the unit (a responsible unit of the plan) and its rows. */
export const problemListSubmissionSchema = z.strictObject({
  unit: z.string().min(1, 'required'),
  rows: problemRowsSchema,
});
export type ProblemListSubmission = z.infer<typeof problemListSubmissionSchema>;

/**
 * What became of a submission: the first of the unit's week (`recorded`), a different one replacing it before the
 * deadline (`replaced`: the unit corrects its 台账, the latest counts), the same rows again (`unchanged`: nothing
 * written), or refused because the week has closed and its 台账 has gone to the lead office (`closed`).
 */
export type ProblemListOutcome = 'recorded' | 'replaced' | 'unchanged' | 'closed';

// ---------------------------------------------------------------------------------------------------------------------
// The weeks

/** The campaign file's `ledgerSubmissions`, its defaults filled in from the plan. */
export interface SubmissionRules {
  /** ISO weekday of the deadline (1 = Monday). */
  weekday: number;
  /** Local time of the deadline. */
  time: string;
  reminderDaysBefore: number;
  /** The plan's `reminders.timeOfDay`: when the reminder goes out. */
  reminderTime: string;
}

/** When week `week`'s 台账 is due. */
export const weekDeadline = (week: string, rules: SubmissionRules, timeZone: string): Date =>
  isoWeekInstant(week, rules.weekday, rules.time, timeZone);

/** When the units still missing are reminded: `reminderDaysBefore` days before the deadline, at the reminder time. */
export const weekReminder = (deadline: Date, rules: SubmissionRules, timeZone: string): Date =>
  daysLaterAt(deadline, -rules.reminderDaysBefore, rules.reminderTime, timeZone);

/** The week after `week`. */
export function nextWeek(week: string, timeZone: string): string {
  const monday = isoWeekInstant(week, 1, '12:00', timeZone);
  return isoWeekOf(DateTime.fromJSDate(monday).plus({ days: 7 }).toJSDate(), timeZone);
}

/** The first week whose deadline is at or after `from` (the campaign's first phase start). */
export function firstWeek(from: Date, rules: SubmissionRules, timeZone: string): string {
  const week = isoWeekOf(from, timeZone);
  return weekDeadline(week, rules, timeZone) < from ? nextWeek(week, timeZone) : week;
}

// ---------------------------------------------------------------------------------------------------------------------
// Who owes a 台账, who is missing, who is told

/** A responsible task as the campaign file gives it (config/campaign/ tasks[]). */
export interface TaskEntry {
  leader: string;
  units: readonly string[];
  /** 完成时限, a local date. */
  deadline: string;
  /** 并长期坚持: still due after its deadline. */
  ongoing: boolean;
}

/** A unit that owes the week's 台账, with the tasks (their indexes in the file) it answers for that week. */
export interface UnitDue {
  unit: string;
  tasks: number[];
}

/** Whether a task still runs in the week whose deadline falls on local date `day`. */
export const taskRuns = (task: TaskEntry, day: string): boolean => task.ongoing || day <= task.deadline;

/** The units that owe a 台账 in the week due on local date `day`, in the order the file first names them. */
export function unitsDue(tasks: readonly TaskEntry[], day: string): UnitDue[] {
  const due = new Map<string, number[]>();
  tasks.forEach((task, index) => {
    if (!taskRuns(task, day)) return;
    for (const unit of task.units) due.set(unit, [...(due.get(unit) ?? []), index]);
  });
  return [...due].map(([unit, indexes]) => ({ unit, tasks: indexes }));
}

/** The units due without a 台账 among `submitted`, in the order due. */
export const missingUnits = (due: readonly UnitDue[], submitted: Iterable<string>): string[] => {
  const have = new Set(submitted);
  return due.filter((d) => !have.has(d.unit)).map((d) => d.unit);
};

/** One leader's escalation: the missing units of the tasks they lead. */
export interface Escalation {
  leader: string;
  units: string[];
}

/**
 * Who hears of the missing units: each task's responsible leader (责任领导), of the units missing among that task's —
 * one notice a leader, whatever the number of their tasks; in the order of the tasks.
 */
export function escalations(tasks: readonly TaskEntry[], due: readonly UnitDue[], missing: readonly string[]): Escalation[] {
  const byLeader = new Map<string, Set<string>>();
  tasks.forEach((task, index) => {
    const units = due.filter((d) => d.tasks.includes(index) && missing.includes(d.unit)).map((d) => d.unit);
    if (units.length === 0) return;
    byLeader.set(task.leader, new Set([...(byLeader.get(task.leader) ?? []), ...units]));
  });
  return [...byLeader].map(([leader, units]) => ({ leader, units: missing.filter((u) => units.has(u)) }));
}
