// One target's self-check (自查自纠) in a special campaign: the notice with the campaign's 典型问题清单, reminders before
// the report is due, then the report (the validated Update `submitSelfCheck`) taken until the phase closes — late after
// the due instant — and recorded in the ledger with its refunds in fen. The campaign reads who reported from the
// ledger, so this workflow reports nothing to it and ends with the phase.
//
// Why a workflow per target rather than one Update handler on the campaign: the campaign's history would grow by
// several events per report (thousands of targets: past the 10,240-event warning, DESIGN §5), and its validator would
// need every target's state in memory. Here each target's history is a few dozen events whatever the campaign's size,
// the validator holds one target's state, and the workflows are started from heartbeating page activities like full
// coverage's inspections (no children). A target waiting for its deadline is a timer on the server: the worker's cache
// evicts it and keeps nothing of it in memory until the timer fires or a report comes.
import { allHandlersFinished, condition, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { formatLocal, reminderSchedule } from '../../domain/calendar';
import { isLate, refundedFen, selfCheckReportSchema, type SelfCheckReport } from '../../domain/self-check';
import * as messages from '../../domain/special-messages';
import { SELF_CHECK_STAGE_LABELS } from '../../domain/stages';
import type { MessageText } from '../../domain/inspection-messages';
import { runActivity } from '../activities';
import { parseOrReject, reject } from '../payloads';
import { searchAttributes } from '../search-attributes';
import { msUntil, settle, waitWithReminders } from '../waiting';
import { selfCheckStatusQuery, submitSelfCheckUpdate, type SelfCheckInput, type SelfCheckStatus } from './api';

export async function selfCheck(input: SelfCheckInput): Promise<SelfCheckStatus> {
  const tz = input.jurisdiction.timeZone;
  const dueAt = new Date(input.dueAt);
  const closesAt = new Date(input.closesAt);
  const facts = {
    campaignTitle: input.campaign.title,
    institutionName: input.institution.name,
    due: formatLocal(dueAt, tz),
    closes: formatLocal(closesAt, tz),
  };
  const status: SelfCheckStatus = {
    campaignId: input.campaign.id,
    institutionId: input.institution.id,
    stage: 'open',
    dueAt: input.dueAt,
    closesAt: input.closesAt,
    remindersSent: 0,
  };
  let report: SelfCheckReport | undefined;
  setHandler(selfCheckStatusQuery, () => status);
  setHandler(
    submitSelfCheckUpdate,
    async (payload) => {
      report = selfCheckReportSchema.parse(payload);
      status.submittedAt = new Date().toISOString();
      await settle(() => status.stage !== 'open');
      return status;
    },
    {
      validator: (payload) => {
        if (status.stage !== 'open' || report !== undefined)
          reject(
            `self-check report not accepted: ${input.institution.id} is at stage ${status.stage} (the phase closes ${facts.closes})`,
            'InvalidStage',
          );
        parseOrReject(selfCheckReportSchema, payload, 'self-check report');
      },
    },
  );

  await notify('notice', messages.selfCheckNoticeMessage(facts, input.checklist));
  const onTime = await waitWithReminders({
    done: () => report !== undefined,
    deadline: dueAt,
    reminders: reminderSchedule(dueAt, input.reminders.offsetsDays, input.reminders.timeOfDay, tz, new Date()),
    timeZone: tz,
    what: '自查报告',
    remind: async (reminder) => {
      status.remindersSent++;
      await notify(`reminder:${reminder.offsetDays}`, messages.selfCheckReminderMessage(facts, reminder.offsetDays));
    },
  });
  if (!onTime) {
    upsertSearchAttributes(searchAttributes({ overdue: true }));
    await condition(() => report !== undefined, msUntil(closesAt), { summary: `自查自纠阶段结束 ${facts.closes}` });
  }
  await conclude(input, status, report);
  // A submission still answering (its report recorded, its reply pending) gets its reply before the workflow ends.
  await condition(allHandlersFinished);
  return status;

  async function notify(event: string, text: MessageText): Promise<void> {
    // An institution without contacts in the plan is reached through its responsible unit's lists instead.
    if (input.institution.contacts.length === 0) return;
    await runActivity('sendNotification', `通知：${text.subject}`, {
      key: `${workflowInfo().workflowId}:${event}`,
      kind: `selfcheck-${event.split(':')[0]}`,
      to: input.institution.contacts.map(({ name, email }) => ({ name, email })),
      ...text,
    });
  }
}

const upsertStage = (status: SelfCheckStatus) =>
  upsertSearchAttributes(searchAttributes({ stage: status.stage, stageLabel: SELF_CHECK_STAGE_LABELS[status.stage] }));

/** Records the report (late after the due instant), or the target as missing; the stage says which. */
async function conclude(input: SelfCheckInput, status: SelfCheckStatus, report: SelfCheckReport | undefined): Promise<void> {
  if (!report) {
    status.stage = 'missing';
    upsertStage(status);
    return;
  }
  const late = isLate(new Date(status.submittedAt!), new Date(input.dueAt));
  const recorded = await runActivity('recordSelfCheck', `登记自查报告${late ? '（逾期）' : ''}`, {
    campaignId: input.campaign.id,
    institutionId: input.institution.id,
    submittedAt: status.submittedAt!,
    late,
    refundedFen: refundedFen(report),
    report,
  });
  status.refundedFen = recorded.refundedFen;
  status.stage = recorded.late ? 'late' : 'submitted';
  upsertStage(status);
}
