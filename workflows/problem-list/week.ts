// One week's 问题台账 of a campaign's responsible units: each unit due submits its rows by the validated Update
// `submitProblemList` (a different one before the deadline replaces its earlier one: a unit corrects its 台账 until it
// is sent, and the lead office wants the latest; the same one again changes nothing); the units still missing are
// reminded `reminderDaysBefore` days before; at the deadline the week closes (nothing more taken), its 台账 goes to the
// lead office as XLSX, and each missing unit is escalated to its tasks' leaders. A workflow per week, so no history
// grows with the campaign's length; every notice is keyed by this workflow's id, so none goes twice.
import { allHandlersFinished, condition, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { formatLocal } from '../../domain/calendar';
import type { MessageText } from '../../domain/inspection-messages';
import { problemListEscalationMessage, problemListReminderMessage } from '../../domain/problem-list-forms';
import { escalations, missingUnits, problemListSubmissionSchema } from '../../domain/problem-list';
import { runActivity } from '../activities';
import { parseOrReject, reject } from '../payloads';
import { msUntil } from '../waiting';
import {
  problemListWeekStatusQuery,
  submitProblemListUpdate,
  type Contact,
  type ProblemListWeekInput,
  type ProblemListWeekStatus,
} from './api';

export async function problemListWeek(input: ProblemListWeekInput): Promise<ProblemListWeekStatus> {
  const tz = input.jurisdiction.timeZone;
  const remindAt = new Date(input.remindAt);
  const deadline = new Date(input.deadline);
  const due = formatLocal(deadline, tz);
  const status: ProblemListWeekStatus = {
    campaignId: input.campaign.id,
    week: input.week,
    deadline: input.deadline,
    stage: 'open',
    submitted: {},
    remindersSent: 0,
  };
  setHandler(problemListWeekStatusQuery, () => status);
  acceptSubmissions(input, status, due);

  if (new Date() < remindAt) {
    await sleep(msUntil(remindAt), { summary: `问题台账催报 ${formatLocal(remindAt, tz)}` });
    for (const unitId of missing(input, status)) {
      const unit = input.units.find((u) => u.id === unitId)!;
      await notify(
        `reminder:${unit.id}`,
        'problem-list-reminder',
        [unit],
        problemListReminderMessage(input.campaign.title, unit.name, due),
      );
      status.remindersSent++;
    }
  }
  await sleep(msUntil(deadline), { summary: `问题台账报送截止 ${due}` });
  status.stage = 'closed';
  // A submission accepted before the close is recorded before the week's 台账 is made.
  await condition(allHandlersFinished);

  const closed = await runActivity('sendProblemListWeek', `问题台账 ${input.week} 报送${input.leadUnit.name}`, {
    key: `${workflowInfo().workflowId}:lead-office`,
    campaign: input.campaign,
    jurisdiction: input.jurisdiction,
    week: input.week,
    deadline: input.deadline,
    units: input.units.map(({ id, name }) => ({ id, name })),
    leadUnit: input.leadUnit,
  });
  status.missing = closed.missing;
  const targets = escalations(
    input.tasks,
    input.units.map(({ id, tasks }) => ({ unit: id, tasks })),
    closed.missing,
  );
  for (const e of targets) {
    const leader = input.leaders.find((l) => l.id === e.leader)!;
    const names = e.units.map((id) => input.units.find((u) => u.id === id)!.name);
    await notify(
      `escalation:${leader.id}`,
      'problem-list-escalation',
      [leader],
      problemListEscalationMessage(input.campaign.title, leader.name, due, names),
    );
  }
  status.escalated = targets.length;
  return status;

  async function notify(event: string, kind: string, to: Contact[], text: MessageText): Promise<void> {
    await runActivity('sendNotification', `通知：${text.subject}`, {
      key: `${workflowInfo().workflowId}:${event}`,
      kind,
      to: to.map(({ name, email }) => ({ name, email })),
      ...text,
    });
  }
}

const missing = (input: ProblemListWeekInput, status: ProblemListWeekStatus) =>
  missingUnits(
    input.units.map(({ id, tasks }) => ({ unit: id, tasks })),
    Object.keys(status.submitted),
  );

/** The Update: refused after the close, for a unit that owes nothing this week, or with any bad field (all named). */
function acceptSubmissions(input: ProblemListWeekInput, status: ProblemListWeekStatus, due: string): void {
  setHandler(
    submitProblemListUpdate,
    async (payload) => {
      const { unit, rows } = problemListSubmissionSchema.parse(payload);
      const recorded = await runActivity('recordProblemList', `登记问题台账：${unit}`, {
        campaignId: input.campaign.id,
        week: input.week,
        unitId: unit,
        submittedAt: new Date().toISOString(),
        rows,
      });
      if (recorded.outcome === 'closed') reject(`the 台账 of ${input.week} closed at ${due}: not taken`, 'InvalidStage');
      status.submitted[unit] = recorded.revision;
      return { week: input.week, unit, ...recorded };
    },
    {
      validator: (payload) => {
        if (status.stage !== 'open') reject(`the 台账 of ${input.week} closed at ${due}: not taken`, 'InvalidStage');
        const { unit } = parseOrReject(problemListSubmissionSchema, payload, 'problem list');
        if (!input.units.some((u) => u.id === unit))
          reject(`invalid problem list: unit: "${unit}" owes no 台账 in ${input.week} (due: ${input.units.map((u) => u.id).join(', ')})`);
      },
    },
  );
}
