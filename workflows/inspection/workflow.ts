// One institution's on-site inspection within a campaign (DESIGN §5 "inspection"):
// draw a team → notify it (and the institution only when announced) → wait for findings with reminders until the
// deadline → overdue: escalate, wait a last window (findings.ts) → a campaign's inspection claims the year's on-site
// inspection at its visit, or ends covered by another that had it (visit.ts) → record the outcome → with violations
// (after the institution's statement, for flying checks: statement.ts) a case takes over: rectification order,
// recheck and the escalation ladder. The Updates and their validators are handlers.ts; the types, query and Updates
// others import are api.ts.
import { workflowInfo } from '@temporalio/workflow';
import type { Findings } from '../../domain/inspection';
import * as messages from '../../domain/inspection-messages';
import { openCase } from '../case/open';
import { runLocalActivity } from '../activities';
import { STAGE } from '../search-attributes';
import { upsertWithLabels } from '../upsert';
import type { InspectionInput, InspectionStatus } from './api';
import { awaitFindings } from './findings';
import { registerHandlers } from './handlers';
import { createInspectionState, type InspectionState } from './state';
import { hearStatement } from './statement';
import { coveredByAnotherVisit } from './visit';
import { enterStage, grade, inspectionLabels, notification, setStage, showDetails, stageRecord } from './steps';

export async function inspection(input: InspectionInput): Promise<InspectionStatus> {
  const s = createInspectionState(input);
  registerHandlers(s);
  await assignTeam(s);
  if (!(await awaitFindings(s))) return s.status;
  if (await coveredByAnotherVisit(s)) return s.status;
  const findings = s.status.findings!;
  if (!findings.violation) {
    await recordCompliant(s, findings);
    return s.status;
  }
  if (input.statementPeriod) await hearStatement(s, findings, input.statementPeriod);
  await openInspectionCase(s, findings);
  return s.status;
}

/**
 * The team drawn and told; the institution hears of it only when the inspection is announced. All in one local
 * activity: ledger row, audit entry and every notice together, so that an inspection costs the server a single
 * workflow task before it waits (what lets a campaign start thousands at once). The search attributes of the
 * `assigned` stage were set when the inspection was started, and the parent campaign counts its children as assigned
 * when it starts them: set or tell only what is not known yet.
 */
async function assignTeam(s: InspectionState): Promise<void> {
  const { input, facts } = s;
  const notices = [
    ...s.teamMembers.map((member) => ({
      event: `assignment:${member.id}`,
      to: [member],
      text: messages.assignmentMessage(facts, input.announced),
    })),
    ...(input.announced
      ? [{ event: 'institution-notice', to: input.institution.contacts, text: messages.institutionNoticeMessage(facts) }]
      : []),
  ];
  setStage(s, 'assigned');
  const { row, audit } = stageRecord(s, 'assigned', 'team-drawn', `随机抽取检查组（种子 ${input.drawSeed}）：${s.team.join(', ')}`);
  await runLocalActivity(
    'assignInspection',
    `检查组：${facts.teamNames.join('、')}；通知 ${notices.length} 份`,
    row,
    audit,
    notices.map(({ event, to, text }) => notification(s, event, to, text)),
  );
  const due = showDetails(s);
  if (workflowInfo().typedSearchAttributes.get(STAGE) !== 'assigned') {
    upsertWithLabels({ stage: 'assigned', overdue: false, dueAt: due }, inspectionLabels(s));
  }
}

/** Without violations the inspection is done. */
async function recordCompliant(s: InspectionState, findings: Findings): Promise<void> {
  await enterStage(s, 'compliant', 'findings-recorded', findings.note || '未发现违法违规问题', {
    actor: findings.inspectorId,
    withFindings: true,
  });
  await grade(s);
}

/** A case takes over: rectification order, recheck and the escalation ladder, outliving this inspection. */
async function openInspectionCase(s: InspectionState, findings: Findings): Promise<void> {
  const { input, status } = s;
  const afterStatement = Boolean(input.statementPeriod);
  const reason = afterStatement
    ? `${status.statement ? `已收到陈述申辩（${status.statement.submittedBy}），维持检查结论` : '陈述申辩期满未提出异议'}，立案处理`
    : `发现问题 ${findings.items.length} 项，立案处理`;
  await enterStage(s, 'case-opened', afterStatement ? 'findings-concluded' : 'findings-recorded', reason, {
    actor: findings.inspectorId,
    withFindings: !afterStatement,
  });
  status.caseId = await openCase(input.cases, {
    jurisdiction: input.jurisdiction,
    campaign: input.campaign,
    institution: input.institution,
    recordedBy: findings.inspectorId,
    team: s.team,
    items: findings.items,
    responsibleUnit: input.responsibleUnit,
    leader: input.leader,
  });
  await grade(s);
}
