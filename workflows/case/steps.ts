// The case's small shared steps: the ledger row and audit entry of a step, stage moves, notices, the wait with
// reminders and escalations, the credit grade, and the answer of an Update once its effect has happened.
import { condition, setCurrentDetails } from '@temporalio/workflow';
import { formatLocal, reminderSchedule } from '../../domain/calendar';
import { awaitsAcknowledgement, CASE_STAGE_LABELS, PENALTY_STATUS_LABELS, type CaseStage } from '../../domain/case';
import { escalationDeadline } from '../../domain/case-deadlines';
import * as messages from '../../domain/case-messages';
import { gradeInstitution, type CreditInput, type Sanction } from '../../domain/credit';
import type { MessageText } from '../../domain/inspection-messages';
import { runActivity } from '../activities';
import { upsertWithLabels } from '../upsert';
import { msUntil, settle, waitWithReminders } from '../waiting';
import type { CaseStatus, Person } from './api';
import { ended, withdrawn, type CaseState } from './state';

/** The status once the workflow has acted on an accepted payload; bounded so the sender always gets an answer. */
export async function settled(s: CaseState, done: () => boolean): Promise<CaseStatus> {
  await settle(() => done() || ended(s));
  return s.status;
}

export function audit(
  s: CaseState,
  action: string,
  actor: string,
  name: string,
  reason: string,
  detail: Record<string, unknown>,
  at: string,
) {
  return { key: `${s.workflowId}:${action}`, actor, action: name, subjectType: 'case', subjectId: s.workflowId, reason, detail, at };
}

/** The ledger row of the case as it stands. */
function caseRow(s: CaseState, at: string) {
  const { input, status } = s;
  return {
    id: s.workflowId,
    jurisdiction: input.jurisdiction.code,
    caseNo: input.caseNo,
    year: input.year,
    institutionId: input.institution.id,
    inspectionId: input.source.inspectionId,
    campaignId: input.source.campaignId,
    stage: status.stage,
    overdue: status.overdue,
    open: !ended(s),
    openedAt: status.openedAt,
    dueAt: status.dueAt,
    lossFen: status.lossFen,
    fineFen: status.penalty?.assessment.fineFen ?? 0,
    paidFen: status.penalty?.paidFen ?? 0,
    outcome: status.outcome ?? null,
    updatedAt: at,
  };
}

/** Records a step: ledger row + audit entry in one transaction, then search attributes and the UI's details. */
export async function record(
  s: CaseState,
  step: string,
  action: string,
  reason: string,
  actor = 'system',
  detail: Record<string, unknown> = {},
): Promise<void> {
  const { status } = s;
  const at = new Date().toISOString();
  await runActivity(
    'saveCase',
    // The audit's action is a code; the summary says it in the reason's words (its first line, clipped).
    `记录：${status.stageLabel}：${reason.split('\n')[0].slice(0, 40)}`,
    caseRow(s, at),
    audit(s, step, actor, action, reason, { stage: status.stage, ...detail }, at),
  );
  upsertWithLabels(
    { stage: status.stage, overdue: status.overdue, dueAt: status.dueAt ? new Date(status.dueAt) : undefined },
    caseLabels(s),
  );
  showDetails(s);
}

/** Referrals still awaiting their acknowledgement; none once the case is withdrawn (they were withdrawn with it). */
export function referralsAwaitingAck(s: CaseState): number {
  return withdrawn(s) ? 0 : s.status.referrals.filter((r) => awaitsAcknowledgement(r.status)).length;
}

/** The Web UI's list columns: the institution, the stage in Chinese, a referral awaiting its acknowledgement. */
export function caseLabels(s: CaseState) {
  return { institutionName: s.input.institution.name, stageLabel: s.status.stageLabel, referralAwaitingAck: referralsAwaitingAck(s) > 0 };
}

/** The live details leadership reads in the Web UI, in Chinese. */
export function showDetails(s: CaseState): void {
  const { status, tz } = s;
  const due = status.dueAt ? `\n\n期限：${formatLocal(new Date(status.dueAt), tz)}` : '';
  const awaiting = referralsAwaitingAck(s);
  setCurrentDetails(
    `**${s.input.institution.name}** 案件 ${s.input.caseNo}：${status.stageLabel}${status.overdue ? '（逾期）' : ''}${due}\n\n` +
      `处罚：${PENALTY_STATUS_LABELS[status.penaltyStatus]}；移送 ${status.referrals.length} 件${awaiting ? `（待回执 ${awaiting} 件）` : ''}`,
  );
}

/** Moves the case to `stage` (the next record() carries it). */
export function setStage(s: CaseState, stage: CaseStage, dueAt?: Date, overdue = false): void {
  s.status.stage = stage;
  s.status.stageLabel = CASE_STAGE_LABELS[stage];
  s.status.dueAt = dueAt ? dueAt.toISOString() : null;
  s.status.overdue = overdue;
}

export async function enterStage(
  s: CaseState,
  stage: CaseStage,
  step: string,
  reason: string,
  actor?: string,
  dueAt?: Date,
  overdue = false,
  detail?: Record<string, unknown>,
): Promise<void> {
  setStage(s, stage, dueAt, overdue);
  await record(s, step, step, reason, actor, detail);
}

export async function notify(s: CaseState, event: string, to: Person[], text: MessageText): Promise<void> {
  const recipients = to.map(({ name, email }) => ({ name, email }));
  await runActivity('sendNotification', `通知：${text.subject}`, {
    key: `${s.workflowId}:${event}`,
    kind: `case-${event.split(':')[0]}`,
    to: recipients,
    ...text,
  });
}

export interface StepWait {
  key: string;
  what: string;
  done: () => boolean;
  deadline: Date;
  remindTo: Person[];
  offsets?: number[];
  markOverdue: () => Promise<void>;
}

/**
 * Waits for `done` until `deadline`, reminding `remindTo` at the plan's offsets; past the deadline, escalates to the
 * responsible leader up to `maxEscalations` times, `escalationWindowDays` apart. False when nothing came (or the
 * case was withdrawn).
 */
export async function waitStep(s: CaseState, options: StepWait): Promise<boolean> {
  const { rules, tz, status } = s;
  const { key, what, deadline, remindTo } = options;
  const done = () => options.done() || withdrawn(s);
  const dueText = formatLocal(deadline, tz);
  const reminders = reminderSchedule(deadline, options.offsets ?? rules.reminderOffsetsDays, rules.timeOfDay, tz, new Date());
  const remind = async (r: { offsetDays: number }) => {
    status.remindersSent++;
    await notify(s, `${key}-reminder:${r.offsetDays}`, remindTo, messages.stepReminderMessage(s.facts, what, dueText, r.offsetDays));
  };
  if (await waitWithReminders({ done, deadline, reminders, timeZone: tz, what, remind })) return options.done();
  for (let round = 1; round <= rules.maxEscalations; round++) {
    status.escalations++;
    if (round === 1) await options.markOverdue();
    await notify(
      s,
      `${key}-escalation:${round}`,
      s.leadership,
      messages.escalationMessage(s.facts, s.input.leader.name, what, dueText, round),
    );
    const until = escalationDeadline(deadline, round, rules, tz);
    if (await condition(done, msUntil(until), { summary: `${what}督办期限 ${formatLocal(until, tz)}` })) return options.done();
  }
  return false;
}

/** Writes the institution's credit grade for the case's year; idempotent by `key` (one per outcome). */
export async function saveGrade(
  s: CaseState,
  key: string,
  credit: CreditInput,
  reason: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  const { input, workflowId } = s;
  const creditGrade = gradeInstitution(credit, s.rules.creditRules);
  const at = new Date().toISOString();
  await runActivity(
    'saveCreditGrade',
    `信用等级评定：${creditGrade}`,
    {
      jurisdiction: input.jurisdiction.code,
      institutionId: input.institution.id,
      year: input.year,
      grade: creditGrade,
      inspectionId: workflowId,
      decidedAt: at,
    },
    {
      key,
      actor: 'system',
      action: 'credit-grade',
      subjectType: 'institution',
      subjectId: input.institution.id,
      reason,
      detail: { grade: creditGrade, caseId: workflowId, ...detail },
      at,
    },
  );
}

/** What the case says about the institution so far (the institution's own lateness only). */
export function creditInput(s: CaseState, rectified: boolean | undefined): CreditInput {
  const { status, highestSanction } = s;
  return {
    violation: true,
    lossFen: status.lossFen,
    items: s.input.items.length,
    rectified,
    overdue: status.institutionLate,
    ...(highestSanction && { sanction: highestSanction }),
  };
}

/**
 * The grade as an outcome happens (rectification, suspension, termination, blacklist), so that a flying-check draw in
 * the meantime reads the current one rather than the grade of the inspection.
 */
export async function gradeOutcome(s: CaseState, outcome: 'rectified' | Sanction, rectified: boolean, label: string): Promise<void> {
  await saveGrade(s, `${s.workflowId}:credit-grade:${outcome}`, creditInput(s, rectified), `案件 ${s.input.caseNo}：${label}`, { outcome });
}
