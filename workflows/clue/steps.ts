// The clue's small shared steps: its ledger row and audit entry, stage moves, notices to staff and to the reporter, and
// the wait for a decision with reminders, a deadline that an extension may move, and escalations past it.
import { condition, setCurrentDetails } from '@temporalio/workflow';
import { formatLocal, reminderSchedule } from '../../domain/calendar';
import { STAGE_LABELS, type ClueStage } from '../../domain/clue';
import * as messages from '../../domain/clue-messages';
import type { MessageText } from '../../domain/inspection-messages';
import { deadlineAfter, type Period } from '../../domain/period';
import { holidayCalendar } from '../../domain/workdays';
import { runActivity } from '../activities';
import type { Person } from '../case/api';
import { upsertWithLabels } from '../upsert';
import { msUntil, waitWithReminders } from '../waiting';
import type { ReporterNotice } from './api';
import type { ReporterMessage } from '../../domain/clue-messages';
import type { ClueState } from './state';

/** The deadline of `period` from `from`, on the plan's calendar (working days on the official holiday calendar). */
export function deadline(s: ClueState, from: Date, period: Period): Date {
  return deadlineAfter(from, period, s.input.rules.endOfDay, s.tz, holidayCalendar(s.input.rules.holidays));
}

/** The clue's ledger row as it stands (never the reporter's identity: that row is written at intake, encrypted). */
function clueRow(s: ClueState, report?: string) {
  const { input, status } = s;
  return {
    id: s.workflowId,
    jurisdiction: input.jurisdiction.code,
    clueNo: input.clueNo,
    year: input.year,
    receivedAt: input.receivedAt,
    channel: input.channel,
    source: input.source.kind,
    batchNo: input.source.batchNo ?? null,
    batchDate: input.source.batchDate ?? null,
    institutionId: input.subject.institution?.id ?? null,
    subject: s.facts.subjectName,
    summary: input.summary,
    realName: input.reporter.realName,
    reporterMasked: input.reporter.masked,
    stage: status.stage,
    overdue: status.overdue,
    dueAt: status.dueAt,
    unitId: status.acceptance?.unitId ?? null,
    outcome: status.conclusion?.outcome ?? null,
    verifiedFen: status.conclusion?.verifiedFen ?? 0,
    action: status.conclusion?.action ?? null,
    // 已办结: concluded, or decided not to accept.
    concludedAt: status.conclusion?.concludedAt ?? (status.acceptance?.accepted === false ? status.acceptance.decidedAt : null),
    caseId: status.caseId ?? null,
    rewardFen: status.reward?.amountFen ?? 0,
    rewardPaidAt: status.reward?.paidAt ?? null,
    rewardWaivedAt: status.reward?.waivedAt ?? null,
    report: report ?? null,
  };
}

/** Writes the clue's row and the step's audit entry (idempotent by the step's key). */
export async function record(s: ClueState, step: string, reason: string, actor = 'system', report?: string): Promise<void> {
  const at = new Date().toISOString();
  const audit = {
    key: `${s.workflowId}:${step}`,
    actor,
    action: step,
    subjectType: 'clue',
    subjectId: s.workflowId,
    reason,
    detail: {},
    at,
  };
  await runActivity('saveClue', `台账：${STAGE_LABELS[s.status.stage]}`, { ...clueRow(s, report), updatedAt: at }, audit);
}

/** Moves to `stage` with its deadline, shows it in the Web UI and the search attributes, and records it. */
export async function enterStage(
  s: ClueState,
  stage: ClueStage,
  step: string,
  reason: string,
  actor?: string,
  dueAt?: Date,
): Promise<void> {
  setStage(s, stage, dueAt);
  await record(s, step, reason, actor);
}

export function setStage(s: ClueState, stage: ClueStage, dueAt?: Date, overdue = false): void {
  const { status } = s;
  status.stage = stage;
  status.stageLabel = STAGE_LABELS[stage];
  status.dueAt = dueAt?.toISOString() ?? null;
  status.overdue = overdue;
  // The institution's name only: a subject that is not an institution may be a person.
  const institution = s.input.subject.institution;
  upsertWithLabels(
    { stage, overdue, ...(dueAt && { dueAt }) },
    { stageLabel: STAGE_LABELS[stage], ...(institution && { institutionName: institution.name }) },
  );
  showDetails(s);
}

/** The Web UI's details: where the clue stands, in Chinese, without the reporter's identity. */
export function showDetails(s: ClueState): void {
  const { status, facts, tz } = s;
  const due = status.dueAt ? `；期限 ${formatLocal(new Date(status.dueAt), tz)}${status.overdue ? '（已逾期）' : ''}` : '';
  setCurrentDetails(
    `举报线索 ${facts.clueNo}：${status.stageLabel}${due}\n来源：${facts.sourceText}；被举报对象：${facts.subjectName}；举报人：${facts.reporterText}`,
  );
}

export async function notify(s: ClueState, event: string, to: Person[], text: MessageText): Promise<void> {
  await runActivity('sendNotification', `通知：${text.subject}`, {
    key: `${s.workflowId}:${event}`,
    kind: `clue-${event.split(':')[0]}`,
    to: to.map(({ name, email }) => ({ name, email })),
    ...text,
  });
}

/** An approved extension: the new deadline shown and recorded, the unit and its leader told. */
export async function recordExtension(s: ClueState): Promise<void> {
  const e = s.status.extension!;
  const until = new Date(e.until);
  setStage(s, 'verifying', until);
  const { unit, leader } = handlers(s);
  await record(s, 'extended', `延期至 ${formatLocal(until, s.tz)}：${e.reason}`, e.approvedBy);
  await notify(s, 'extended', [unit, leader], messages.extendedMessage(s.facts, e.approvedBy, formatLocal(until, s.tz), e.reason));
}

/** Moved to another unit (改派): recorded, the new unit and its leader told with the unchanged deadline. */
export async function recordReassignment(s: ClueState, n: number): Promise<void> {
  const move = s.status.reassignments![n - 1]!;
  const unit = s.unit!;
  const due = formatLocal(new Date(s.status.dueAt!), s.tz);
  showDetails(s);
  await record(s, `reassigned:${n}`, `改派${unit.name}核查：${move.reason}`, move.assignedBy);
  const fromName = s.input.units.find((u) => u.id === move.from)?.name ?? move.from;
  const note = `由${fromName}改派，理由：${move.reason}`;
  await notify(s, `reassigned:${n}`, [unit, unit.leader], messages.assignedMessage(s.facts, unit.name, due, note));
}

/** Who hears of a clue's deadlines: the handling unit once assigned (else the intake unit), and its leader. */
export function handlers(s: ClueState): { unit: Person; leader: Person } {
  return s.unit ? { unit: s.unit, leader: s.unit.leader } : { unit: s.input.intakeUnit, leader: s.input.leader };
}

export interface ClueWait {
  key: string;
  what: string;
  done: () => boolean;
  /** Read again whenever it may have moved (an extension). */
  deadline: () => Date;
}

/**
 * Waits for `done` until the deadline, reminding the handling unit at the plan's offsets; an extension moves the
 * deadline and the wait starts over on the new one. Past it the leader is told, again every escalation window, the
 * plan's number of times. False when nothing came.
 */
export async function waitStep(s: ClueState, w: ClueWait): Promise<boolean> {
  const { rules } = s.input;
  for (let round = 0; ; round++) {
    const due = w.deadline();
    const moved = () => w.deadline().getTime() !== due.getTime();
    const dueText = formatLocal(due, s.tz);
    const reminders = reminderSchedule(due, rules.reminderOffsetsDays, rules.timeOfDay, s.tz, new Date());
    const remind = async (r: { offsetDays: number }) => {
      s.status.remindersSent++;
      await notify(
        s,
        `${w.key}-reminder:${round}:${r.offsetDays}`,
        [handlers(s).unit],
        messages.clueReminderMessage(s.facts, w.what, dueText, r.offsetDays),
      );
    };
    const timeZone = s.tz;
    if (await waitWithReminders({ done: () => w.done() || moved(), deadline: due, reminders, timeZone, what: w.what, remind })) {
      if (w.done()) return true;
      continue;
    }
    const escalated = await escalate(s, w, due, moved);
    if (escalated !== 'moved') return escalated === 'done';
  }
}

async function escalate(s: ClueState, w: ClueWait, due: Date, moved: () => boolean): Promise<'done' | 'moved' | 'nothing'> {
  const { rules } = s.input;
  const dueText = formatLocal(due, s.tz);
  const { unit, leader } = handlers(s);
  setStage(s, s.status.stage, due, true);
  for (let round = 1; round <= rules.maxEscalations; round++) {
    s.status.escalations++;
    await notify(
      s,
      `${w.key}-escalation:${due.getTime()}:${round}`,
      [leader, unit],
      messages.clueEscalationMessage(s.facts, leader.name, w.what, dueText, round),
    );
    const until = new Date(due.getTime() + round * rules.escalationWindowDays * 86_400_000);
    if (await condition(() => w.done() || moved(), msUntil(until), { summary: `${w.what}督办期限 ${formatLocal(until, s.tz)}` })) {
      return w.done() ? 'done' : 'moved';
    }
  }
  return 'nothing';
}

/**
 * Tells the reporter of a decision within the plan's period: by e-mail (the activity reads the address from the
 * encrypted ledger), or, without one or when the mail server refuses it, by the handling unit, who records it; a unit
 * that does not is escalated once.
 * Anonymous reporters who left no way to be reached are not told.
 */
export async function tellReporter(s: ClueState, event: string, what: string, message: ReporterMessage): Promise<void> {
  const { reporter } = s.input;
  if (!reporter.reachable) return;
  const due = deadline(s, new Date(), s.input.rules.reporterNotice);
  const notice: ReporterNotice = { event, what, dueAt: due.toISOString() };
  s.status.reporterNotices.push(notice);
  if (reporter.byEmail) {
    const sent = await runActivity('notifyReporter', `告知举报人：${what}`, {
      key: `${s.workflowId}:reporter:${event}`,
      jurisdiction: s.input.jurisdiction.code,
      clueNo: s.input.clueNo,
      facts: s.facts,
      message,
    });
    // Histories recorded before the activity answered have no result: their mail went out.
    if (sent?.delivered !== false) {
      notice.toldAt = new Date().toISOString();
      notice.how = 'email';
      return;
    }
    // The mail server refused the address for good: the unit tells the reporter another way, as below.
  }
  const { unit } = handlers(s);
  const task = messages.tellReporterTask(s.facts, notice.what, formatLocal(due, s.tz), reporterText(s, message, '举报人'));
  await notify(s, `tell-reporter:${event}`, [unit], task);
  s.strands.push(awaitToldByUnit(s, notice));
}

/** Waits for the unit to record that it told the reporter; past the deadline, its leader is told once. */
async function awaitToldByUnit(s: ClueState, notice: ReporterNotice): Promise<void> {
  const due = new Date(notice.dueAt);
  const { unit, leader } = handlers(s);
  const dueText = formatLocal(due, s.tz);
  if (await condition(() => notice.toldAt !== undefined, msUntil(due), { summary: `告知举报人（${notice.what}）期限 ${dueText}` })) return;
  notice.overdue = true;
  s.status.escalations++;
  await notify(
    s,
    `tell-reporter-escalation:${notice.event}`,
    [leader, unit],
    messages.clueEscalationMessage(s.facts, leader.name, `告知举报人${notice.what}`, dueText, 1),
  );
}

/** The reporter's notice as text, addressed to `name`. */
function reporterText(s: ClueState, m: ReporterMessage, name: string): MessageText {
  return messages.reporterMessageText(s.facts, m, name);
}
