// Flying checks (input.statementPeriod): the findings are fed back to the institution, which may state its case
// (陈述申辩) within the period before the inspection concludes; a statement received is forwarded to the team.
import { formatLocal } from '../../domain/calendar';
import type { Findings } from '../../domain/inspection';
import * as messages from '../../domain/inspection-messages';
import { deadlineAfter, describePeriod, type Period } from '../../domain/period';
import { holidayCalendar } from '../../domain/workdays';
import { waitWithReminders } from '../waiting';
import type { InspectionState } from './state';
import { enterStage, notify } from './steps';

export async function hearStatement(s: InspectionState, findings: Findings, period: Period): Promise<void> {
  const { input, status, facts, tz } = s;
  const { endOfDay, holidays } = input.cases.rules;
  const statementDue = deadlineAfter(new Date(), period, endOfDay, tz, holidayCalendar(holidays));
  const statementDueText = formatLocal(statementDue, tz);
  status.statementDueAt = statementDue.toISOString();
  await enterStage(
    s,
    'stating-case',
    'findings-recorded',
    `发现问题 ${findings.items.length} 项，告知机构，陈述申辩期 ${describePeriod(period)}，至 ${statementDueText}`,
    { actor: findings.inspectorId, withFindings: true },
  );
  await notify(s, 'findings-feedback', input.institution.contacts, messages.findingsFeedbackMessage(facts, findings, statementDueText));
  const stated = await waitWithReminders({
    done: () => status.statement !== undefined,
    deadline: statementDue,
    reminders: [],
    timeZone: tz,
    what: '陈述申辩',
    remind: async () => undefined,
  });
  if (stated) await notify(s, 'statement-forward', s.teamMembers, messages.statementForwardMessage(facts, status.statement!.submittedBy));
}
