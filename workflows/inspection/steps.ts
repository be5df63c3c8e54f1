// The inspection's small shared steps: the ledger row and audit entry of a stage, stage moves (ledger, search
// attributes, UI details, the parent campaign), notices, and the credit grade.
import { getExternalWorkflowHandle, setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import { formatLocal } from '../../domain/calendar';
import { gradeInstitution } from '../../domain/credit';
import { STAGE_LABELS, totalLossFen, type InspectionStage } from '../../domain/inspection';
import type { MessageText } from '../../domain/inspection-messages';
import { runActivity } from '../activities';
import { upsertWithLabels } from '../upsert';
import { inspectionStageChangedSignal, type Person } from './api';
import type { InspectionState } from './state';

/** The ledger row and audit entry of a move to `stage`. */
export function stageRecord(
  s: InspectionState,
  stage: InspectionStage,
  action: string,
  reason: string,
  actor = 'system',
  detail: Record<string, unknown> = {},
) {
  const { input, workflowId } = s;
  const at = new Date().toISOString();
  const audit = {
    key: `${workflowId}:${action}`,
    actor,
    action,
    subjectType: 'inspection',
    subjectId: workflowId,
    reason,
    detail: { stage, ...detail },
    at,
  };
  const row = {
    id: workflowId,
    campaignId: input.campaign.id,
    institutionId: input.institution.id,
    team: s.team,
    drawSeed: input.drawSeed,
    announced: input.announced,
    stage,
    dueAt: input.dueAt,
    rectificationDueAt: null,
    updatedAt: at,
  };
  return { row, audit, at };
}

export function setStage(s: InspectionState, stage: InspectionStage): void {
  s.status.stage = stage;
  s.status.stageLabel = STAGE_LABELS[stage];
}

/** The list columns of the Web UI: the institution and the stage (also set on inspections started before 1.1). */
export function inspectionLabels(s: InspectionState) {
  return { institutionName: s.input.institution.name, stageLabel: STAGE_LABELS[s.status.stage] };
}

/** The live details leadership reads in the Web UI; returns the deadline they show. */
export function showDetails(s: InspectionState): Date {
  const { input, status } = s;
  const due = new Date(input.dueAt);
  setCurrentDetails(
    `**${input.institution.name}**：${STAGE_LABELS[status.stage]}${status.overdue ? '（逾期）' : ''}\n\n检查组：${s.facts.teamNames.join('、')}\n\n期限：${formatLocal(due, s.tz)}`,
  );
  return due;
}

/**
 * Moves to `stage`: ledger row and audit entry (with the findings, when they arrive, in the same transaction),
 * then search attributes, UI details and the parent campaign.
 */
export async function enterStage(
  s: InspectionState,
  stage: InspectionStage,
  action: string,
  reason: string,
  options: { actor?: string; withFindings?: boolean; detail?: Record<string, unknown> } = {},
): Promise<void> {
  const { input, status, workflowId } = s;
  setStage(s, stage);
  const { row, audit, at } = stageRecord(s, stage, action, reason, options.actor, options.detail);
  const summary = `记录：${STAGE_LABELS[stage]}`;
  if (options.withFindings) {
    const { inspectorId, inspectedAt, violation, items, note } = status.findings!;
    await runActivity(
      'saveFindings',
      summary,
      { inspectionId: workflowId, inspectorId, inspectedAt, violation, items, note, recordedAt: at },
      row,
      audit,
    );
  } else {
    await runActivity('saveInspection', summary, row, audit);
  }
  const due = showDetails(s);
  upsertWithLabels({ stage, overdue: status.overdue, dueAt: due }, inspectionLabels(s));
  const parent = workflowInfo().parent;
  if (parent && input.reportToParent !== false) {
    await getExternalWorkflowHandle(parent.workflowId).signal(inspectionStageChangedSignal, {
      institutionId: input.institution.id,
      stage,
      overdue: status.overdue,
    });
  }
}

/** A notice, keyed by the inspection and `event` so it is delivered once. */
export function notification(s: InspectionState, event: string, to: Person[], text: MessageText) {
  return { key: `${s.workflowId}:${event}`, kind: event.split(':')[0], to: to.map(({ name, email }) => ({ name, email })), ...text };
}

export async function notify(s: InspectionState, event: string, to: Person[], text: MessageText): Promise<void> {
  await runActivity('sendNotification', `通知：${text.subject}`, notification(s, event, to, text));
}

/** Sets the institution's credit grade for the year from the outcome, when the campaign grades (input.creditRules). */
export async function grade(s: InspectionState): Promise<void> {
  const { input, status, workflowId } = s;
  if (!input.creditRules) return;
  const findings = status.findings!;
  const creditGrade = gradeInstitution(
    {
      violation: findings.violation,
      lossFen: totalLossFen(findings.items),
      items: findings.items.length,
      rectified: undefined,
      overdue: status.overdue,
    },
    input.creditRules,
  );
  status.creditGrade = creditGrade;
  const at = new Date().toISOString();
  await runActivity(
    'saveCreditGrade',
    `信用等级评定：${creditGrade}`,
    {
      jurisdiction: input.jurisdiction.code,
      institutionId: input.institution.id,
      year: input.campaign.year,
      grade: creditGrade,
      inspectionId: workflowId,
      decidedAt: at,
    },
    {
      key: `${workflowId}:credit-grade`,
      actor: 'system',
      action: 'credit-grade',
      subjectType: 'institution',
      subjectId: input.institution.id,
      reason: `${input.campaign.title}：${STAGE_LABELS[status.stage]}`,
      detail: { grade: creditGrade, inspectionId: workflowId },
      at,
    },
  );
}
