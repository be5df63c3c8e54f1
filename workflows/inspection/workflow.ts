// One institution's on-site inspection within a campaign (DESIGN §5 "inspection"):
// draw a team → notify it (and the institution only when announced) → wait for findings with reminders until the
// deadline → overdue: escalate, wait a last window → record the outcome → with violations (after the institution's
// statement, for flying checks) a case takes over: rectification order, recheck and the escalation ladder.
import {
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { daysLaterAt, formatLocal, reminderSchedule, type Reminder } from '../../domain/calendar';
import { gradeInstitution } from '../../domain/credit';
import { DrawError, drawTeam } from '../../domain/draw';
import { findingsSchema, STAGE_LABELS, statementSchema, totalLossFen, type InspectionStage } from '../../domain/inspection';
import * as messages from '../../domain/inspection-messages';
import { deadlineAfter, describePeriod, type Period } from '../../domain/period';
import { formatProblems, zodProblems } from '../../domain/validation';
import { openCase } from '../case/open';
import { STAGE, searchAttributes } from '../search-attributes';
import { runActivity, runLocalActivity } from '../activities';
import { waitWithReminders } from '../waiting';
import {
  Person,
  InspectionInput,
  InspectionStatus,
  inspectionStatusQuery,
  recordFindingsUpdate,
  submitStatementUpdate,
  inspectionStageChangedSignal,
} from './api';

/** How long an Update waits for its effect before answering; a technical bound, not a business deadline. */
const UPDATE_SETTLE_TIMEOUT = '2 minutes';

export async function inspection(input: InspectionInput): Promise<InspectionStatus> {
  const { workflowId } = workflowInfo();
  const tz = input.jurisdiction.timeZone;
  const dueAt = new Date(input.dueAt);
  const team = drawTeamOrFail(input);
  const teamMembers = team.map((id) => input.inspectorPool.find((p) => p.id === id)!);
  const facts: messages.InspectionFacts = {
    jurisdictionName: input.jurisdiction.name,
    campaignTitle: input.campaign.title,
    institutionName: input.institution.name,
    teamNames: teamMembers.map((p) => p.name),
    due: formatLocal(dueAt, tz),
  };
  const status: InspectionStatus = {
    inspectionId: workflowId,
    institutionId: input.institution.id,
    stage: 'assigned',
    stageLabel: STAGE_LABELS.assigned,
    team,
    dueAt: input.dueAt,
    overdue: false,
    remindersSent: 0,
  };

  setHandler(inspectionStatusQuery, () => status);
  setHandler(
    recordFindingsUpdate,
    async (payload) => {
      status.findings = findingsSchema.parse(payload);
      return settled();
    },
    { validator: (payload) => validateFromTeam(findingsSchema, payload, 'findings', status.findings === undefined) },
  );

  setHandler(
    submitStatementUpdate,
    (payload) => {
      status.statement = statementSchema.parse(payload);
      return status;
    },
    {
      validator: (payload) => {
        if (status.stage !== 'stating-case' || status.statement !== undefined) {
          throw ApplicationFailure.nonRetryable(`statement not accepted: the inspection is at stage ${status.stage}`, 'InvalidStage');
        }
        const parsed = statementSchema.safeParse(payload);
        if (!parsed.success)
          throw ApplicationFailure.nonRetryable(`invalid statement: ${formatProblems(zodProblems(parsed.error))}`, 'InvalidPayload');
      },
    },
  );

  /** Sets the institution's credit grade for the year from the outcome, when the campaign grades (input.creditRules). */
  async function grade(): Promise<void> {
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

  /**
   * The status once the main flow has acted on an accepted payload (recorded it in the ledger and moved on), so
   * the sender sees the resulting stage. Bounded: if the ledger is unreachable the caller still gets an answer.
   */
  async function settled(): Promise<InspectionStatus> {
    const before = status.stage;
    await condition(() => status.stage !== before, UPDATE_SETTLE_TIMEOUT);
    return status;
  }

  /** Rejects a payload that is malformed, from outside the team, or arrives at a stage that takes none. */
  function validateFromTeam(schema: typeof findingsSchema, payload: unknown, what: string, accepting: boolean): void {
    if (!accepting) {
      throw ApplicationFailure.nonRetryable(`${what} not accepted: the inspection is at stage ${status.stage}`, 'InvalidStage');
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      throw ApplicationFailure.nonRetryable(`invalid ${what}: ${formatProblems(zodProblems(parsed.error))}`, 'InvalidPayload');
    }
    if (!team.includes(parsed.data.inspectorId)) {
      throw ApplicationFailure.nonRetryable(
        `invalid ${what}: inspectorId: ${parsed.data.inspectorId} is not on this inspection's team (${team.join(', ')})`,
        'InvalidPayload',
      );
    }
  }

  /** The ledger row and audit entry of a move to `stage`. */
  function stageRecord(stage: InspectionStage, action: string, reason: string, actor = 'system') {
    const at = new Date().toISOString();
    const audit = {
      key: `${workflowId}:${action}`,
      actor,
      action,
      subjectType: 'inspection',
      subjectId: workflowId,
      reason,
      detail: { stage },
      at,
    };
    const row = {
      id: workflowId,
      campaignId: input.campaign.id,
      institutionId: input.institution.id,
      team,
      drawSeed: input.drawSeed,
      announced: input.announced,
      stage,
      dueAt: input.dueAt,
      rectificationDueAt: null,
      updatedAt: at,
    };
    return { row, audit, at };
  }

  function setStage(stage: InspectionStage): void {
    status.stage = stage;
    status.stageLabel = STAGE_LABELS[stage];
  }

  /** The live details leadership reads in the Web UI; returns the deadline they show. */
  function showDetails(): Date {
    const due = new Date(input.dueAt);
    setCurrentDetails(
      `**${input.institution.name}**：${STAGE_LABELS[status.stage]}${status.overdue ? '（逾期）' : ''}\n\n检查组：${facts.teamNames.join('、')}\n\n期限：${formatLocal(due, tz)}`,
    );
    return due;
  }

  /**
   * Moves to `stage`: ledger row and audit entry (with the findings, when they arrive, in the same transaction),
   * then search attributes, UI details and the parent campaign.
   */
  async function enterStage(
    stage: InspectionStage,
    action: string,
    reason: string,
    options: { actor?: string; withFindings?: boolean } = {},
  ): Promise<void> {
    setStage(stage);
    const { row, audit, at } = stageRecord(stage, action, reason, options.actor);
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
    const due = showDetails();
    upsertSearchAttributes(searchAttributes({ stage, overdue: status.overdue, dueAt: due }));
    const parent = workflowInfo().parent;
    if (parent && input.reportToParent !== false) {
      await getExternalWorkflowHandle(parent.workflowId).signal(inspectionStageChangedSignal, {
        institutionId: input.institution.id,
        stage,
        overdue: status.overdue,
      });
    }
  }

  /**
   * The start in one local activity: ledger row, audit entry and every notice together, so that an inspection costs
   * the server a single workflow task before it waits (what lets a campaign start thousands at once). The search
   * attributes of the `assigned` stage were set when the inspection was started, and the parent campaign counts its
   * children as assigned when it starts them: set or tell only what is not known yet.
   */
  async function assign(reason: string, notices: Array<{ event: string; to: Person[]; text: messages.MessageText }>): Promise<void> {
    setStage('assigned');
    const { row, audit } = stageRecord('assigned', 'team-drawn', reason);
    const summary = `检查组：${facts.teamNames.join('、')}；通知 ${notices.length} 份`;
    await runLocalActivity(
      'assignInspection',
      summary,
      row,
      audit,
      notices.map(({ event, to, text }) => notification(event, to, text)),
    );
    const due = showDetails();
    if (workflowInfo().typedSearchAttributes.get(STAGE) !== 'assigned') {
      upsertSearchAttributes(searchAttributes({ stage: 'assigned', overdue: false, dueAt: due }));
    }
  }

  function notification(event: string, to: Person[], text: messages.MessageText) {
    return { key: `${workflowId}:${event}`, kind: event.split(':')[0], to: to.map(({ name, email }) => ({ name, email })), ...text };
  }

  async function notify(event: string, to: Person[], text: messages.MessageText): Promise<void> {
    await runActivity('sendNotification', `通知：${text.subject}`, notification(event, to, text));
  }

  function remindersBefore(deadline: Date, offsetsDays: number[]): Reminder[] {
    return reminderSchedule(deadline, offsetsDays, input.reminders.timeOfDay, tz, new Date());
  }

  // 1. Team drawn and told; the institution hears of it only when the inspection is announced.
  const drawn = `随机抽取检查组（种子 ${input.drawSeed}）：${team.join(', ')}`;
  const notices = [
    ...teamMembers.map((member) => ({
      event: `assignment:${member.id}`,
      to: [member],
      text: messages.assignmentMessage(facts, input.announced),
    })),
    ...(input.announced
      ? [{ event: 'institution-notice', to: input.institution.contacts, text: messages.institutionNoticeMessage(facts) }]
      : []),
  ];
  await assign(drawn, notices);

  // 2. Findings by the deadline, with reminders; then overdue, escalation, and a last window for late findings.
  const findingsIn = () => status.findings !== undefined;
  let reported = await waitWithReminders({
    done: findingsIn,
    deadline: dueAt,
    reminders: remindersBefore(dueAt, input.reminders.offsetsDays),
    timeZone: tz,
    what: '检查结果',
    remind: async (reminder) => {
      status.remindersSent++;
      await notify(`findings-reminder:${reminder.offsetDays}`, teamMembers, messages.findingsReminderMessage(facts, reminder.offsetDays));
    },
  });
  if (!reported) {
    status.overdue = true;
    const lateUntil = daysLaterAt(dueAt, input.lateWindowDays, input.reminders.timeOfDay, tz);
    await enterStage('overdue', 'findings-overdue', `检查结果期限 ${facts.due} 已过`);
    await notify(
      'findings-overdue',
      [input.leader, input.responsibleUnit],
      messages.findingsOverdueMessage(facts, input.leader.name, formatLocal(lateUntil, tz)),
    );
    reported = await waitWithReminders({
      done: findingsIn,
      deadline: lateUntil,
      reminders: [],
      timeZone: tz,
      what: '逾期检查结果',
      remind: async () => undefined,
    });
    if (!reported) {
      await enterStage('unreported', 'unreported', `延长等待至 ${formatLocal(lateUntil, tz)} 仍无检查结果`);
      await notify('unreported', [input.leader, input.responsibleUnit], messages.unreportedMessage(facts, input.leader.name));
      return status;
    }
  }

  // 3. The outcome. Without violations the inspection is done.
  const findings = status.findings!;
  if (!findings.violation) {
    await enterStage('compliant', 'findings-recorded', findings.note || '未发现违法违规问题', {
      actor: findings.inspectorId,
      withFindings: true,
    });
    await grade();
    return status;
  }

  // 4. Flying checks: feed the findings back and let the institution state its case before concluding.
  const statementPeriod: Period | undefined = input.statementPeriod;
  if (statementPeriod) {
    const statementDue = deadlineAfter(new Date(), statementPeriod, input.cases.rules.endOfDay, tz);
    const statementDueText = formatLocal(statementDue, tz);
    status.statementDueAt = statementDue.toISOString();
    await enterStage(
      'stating-case',
      'findings-recorded',
      `发现问题 ${findings.items.length} 项，告知机构，陈述申辩期 ${describePeriod(statementPeriod)}，至 ${statementDueText}`,
      { actor: findings.inspectorId, withFindings: true },
    );
    await notify('findings-feedback', input.institution.contacts, messages.findingsFeedbackMessage(facts, findings, statementDueText));
    const stated = await waitWithReminders({
      done: () => status.statement !== undefined,
      deadline: statementDue,
      reminders: [],
      timeZone: tz,
      what: '陈述申辩',
      remind: async () => undefined,
    });
    if (stated) await notify('statement-forward', teamMembers, messages.statementForwardMessage(facts, status.statement!.submittedBy));
  }

  // 5. A case takes over: rectification order, recheck and the escalation ladder, outliving this inspection.
  const reason = statementPeriod
    ? `${status.statement ? `已收到陈述申辩（${status.statement.submittedBy}），维持检查结论` : '陈述申辩期满未提出异议'}，立案处理`
    : `发现问题 ${findings.items.length} 项，立案处理`;
  await enterStage('case-opened', statementPeriod ? 'findings-concluded' : 'findings-recorded', reason, {
    actor: findings.inspectorId,
    withFindings: !statementPeriod,
  });
  status.caseId = await openCase(input.cases, {
    jurisdiction: input.jurisdiction,
    campaign: input.campaign,
    institution: input.institution,
    recordedBy: findings.inspectorId,
    team,
    items: findings.items,
    responsibleUnit: input.responsibleUnit,
    leader: input.leader,
  });
  await grade();
  return status;
}

/** A plan that passed `plan check` always has enough conflict-free inspectors; if not, fail this inspection clearly. */
function drawTeamOrFail(input: InspectionInput): string[] {
  try {
    return drawTeam(input.drawSeed, input.inspectorPool, input.institution.id, input.teamSize);
  } catch (error) {
    if (error instanceof DrawError) throw ApplicationFailure.nonRetryable(error.message, 'DrawError');
    throw error;
  }
}
