// A person case's small steps: the ledger row and audit entry, an action recorded once, notices keyed to be delivered
// once, search attributes and the Web UI's details, and the wait for the next decision with reminders and escalation.
import { condition, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { formatLocal, reminderSchedule } from '../../domain/calendar';
import { escalationDeadline } from '../../domain/case-deadlines';
import * as messages from '../../domain/case-messages';
import type { MessageText } from '../../domain/inspection-messages';
import { formatYuan } from '../../domain/inspection';
import { table2Action, PERSON_ACTION_LABELS, PERSON_STAGE_LABELS } from '../../domain/person-case';
import { deadlineAfter, periodOf, type DaysOrPeriod } from '../../domain/period';
import { holidayCalendar } from '../../domain/workdays';
import type { PersonActionRecord } from '../../records/types';
import { runActivity } from '../activities';
import { searchAttributes } from '../search-attributes';
import { msUntil, waitWithReminders } from '../waiting';
import type { Person } from '../case/api';
import type { PersonCaseAction } from './api';
import type { PersonCaseState } from './state';

function audit(
  s: PersonCaseState,
  key: string,
  actor: string,
  action: string,
  reason: string,
  detail: Record<string, unknown>,
  at: string,
) {
  return { key: `${s.workflowId}:${key}`, actor, action, subjectType: 'person-case', subjectId: s.workflowId, reason, detail, at };
}

function caseRow(s: PersonCaseState, at: string) {
  const { input, status } = s;
  return {
    id: s.workflowId,
    jurisdiction: input.jurisdiction.code,
    caseNo: input.caseNo,
    year: input.year,
    sourceKind: input.source.kind,
    sourceRef: input.source.reference,
    personMasked: status.personMasked,
    professional: input.person.professional,
    stage: status.stage,
    open: status.stage === 'open',
    overdue: status.overdue,
    openedAt: status.openedAt,
    dueAt: status.dueAt,
    amountFen: status.amountFen,
    cardSuspendedUntil: status.cardLifted ? null : (status.cardSuspendedUntil ?? null),
    outcome: status.outcome ?? null,
    updatedAt: at,
  };
}

/** Records the case as it stands with an audit entry, then the search attributes and the details. */
export async function record(s: PersonCaseState, key: string, action: string, reason: string, actor = 'system'): Promise<void> {
  const at = new Date().toISOString();
  const { status } = s;
  await runActivity(
    'savePersonCase',
    `记录：${status.stageLabel}：${reason.split('\n')[0].slice(0, 40)}`,
    caseRow(s, at),
    audit(s, key, actor, action, reason, { stage: status.stage }, at),
  );
  showState(s);
}

/** Records one action of the case in the ledger (once, by its key) with the case's row and an audit entry. */
export async function recordAction(s: PersonCaseState, row: Omit<PersonActionRecord, 'caseId' | 'table2' | 'at'>): Promise<void> {
  const at = new Date().toISOString();
  const table2 = row.action === 'card-lifted' ? null : (table2Action(row.action) ?? null);
  const label = PERSON_ACTION_LABELS[row.action];
  const money = row.fineFen || row.amountFen ? `（罚款 ${formatYuan(row.fineFen)}，金额 ${formatYuan(row.amountFen)}）` : '';
  const entry: PersonCaseAction = { key: row.key, action: row.action, decidedBy: row.decidedBy, at, note: row.note };
  s.status.actions.push(entry);
  await runActivity(
    'recordPersonAction',
    `${label}：案件 ${s.input.caseNo}`,
    { ...row, caseId: s.workflowId, table2, at },
    caseRow(s, at),
    audit(s, `action:${row.key}`, row.decidedBy, row.action, `${label}${money}：${row.note}`, { table2, months: row.months }, at),
  );
  showState(s);
}

/** The list columns (no personal data: the stage and when it is due) and the Chinese details. */
export function showState(s: PersonCaseState): void {
  const { status, tz } = s;
  status.stageLabel = PERSON_STAGE_LABELS[status.stage];
  upsertSearchAttributes(
    searchAttributes({
      stage: status.stage,
      stageLabel: status.stageLabel,
      overdue: status.overdue,
      ...(status.dueAt && { dueAt: new Date(status.dueAt) }),
    }),
  );
  const due = status.dueAt ? `\n\n期限：${formatLocal(new Date(status.dueAt), tz)}` : '';
  const card =
    status.cardSuspendedUntil && !status.cardLifted ? `；医保卡暂停结算至 ${formatLocal(new Date(status.cardSuspendedUntil), tz)}` : '';
  const done = status.actions.map((a) => PERSON_ACTION_LABELS[a.action]).join('、') || '尚无';
  setCurrentDetails(
    `**${s.facts.institutionName}** 案件 ${s.input.caseNo}：${status.stageLabel}${status.overdue ? '（逾期）' : ''}${due}\n\n` +
      `已作处理：${done}${card}；追回 ${formatYuan(status.recoveredFen)}`,
  );
}

export async function notify(
  s: PersonCaseState,
  event: string,
  to: Array<Pick<Person, 'name' | 'email'>>,
  text: MessageText,
): Promise<void> {
  await runActivity('sendNotification', `通知：${text.subject}`, {
    key: `${s.workflowId}:${event}`,
    kind: `person-case-${event.split(':')[0]}`,
    to: to.map(({ name, email }) => ({ name, email })),
    ...text,
  });
}

/** The deadline of a plan period counted from `from` (domain/period.ts): the decision's by default. */
export function deadlineFrom(s: PersonCaseState, from: Date, figure: DaysOrPeriod = s.input.rules.decisionPeriodDays): Date {
  const { rules } = s.input;
  return deadlineAfter(from, periodOf(figure), rules.endOfDay, s.tz, holidayCalendar(rules.holidays));
}

/**
 * Waits for the next decision until `deadline`, reminding the unit before it and escalating to the leader after it
 * (`maxEscalations` rounds); false when none came.
 */
export async function waitForDecision(s: PersonCaseState, round: number, deadline: Date): Promise<boolean> {
  const { rules } = s.input;
  const { status, tz } = s;
  const done = () => s.queue.length > s.applied;
  const what = '处理决定';
  const dueText = formatLocal(deadline, tz);
  const reminders = reminderSchedule(deadline, rules.reminderOffsetsDays, rules.timeOfDay, tz, new Date());
  const remind = async (r: { offsetDays: number }) => {
    status.remindersSent++;
    const text = messages.stepReminderMessage(s.facts, what, dueText, r.offsetDays);
    await notify(s, `decision-reminder:${round}:${r.offsetDays}`, [s.input.responsibleUnit], text);
  };
  if (await waitWithReminders({ done, deadline, reminders, timeZone: tz, what, remind })) return true;
  for (let escalation = 1; escalation <= rules.maxEscalations; escalation++) {
    status.escalations++;
    if (!status.overdue) {
      status.overdue = true;
      await record(s, `overdue:${round}`, 'overdue', `${what}逾期（期限 ${dueText}）`);
    }
    const text = messages.escalationMessage(s.facts, s.input.leader.name, what, dueText, escalation);
    await notify(s, `decision-escalation:${round}:${escalation}`, s.leadership, text);
    const until = escalationDeadline(deadline, escalation, rules, tz);
    if (await condition(done, msUntil(until), { summary: `${what}督办期限 ${formatLocal(until, tz)}` })) return true;
  }
  return false;
}
