// The weekly 问题台账's histories for record.ts (since 1.1): a special campaign whose file asks for them (the patch
// `problem-lists` on its new side), its loop's first run, and two weeks — one with every unit's 台账 in, one with a unit missing
// (reminded, then escalated). The weekday is chosen three days ahead of the server's clock, so both weeks have their
// reminder to come.
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { DateTime } from 'luxon';
import type { Plan } from '../../config';
import { parseCampaignFile } from '../../config/campaign';
import { campaignWorkflowId, problemListsWorkflowId, problemListWeekWorkflowId } from '../../domain/business-keys';
import { firstWeek, nextWeek, weekDeadline } from '../../domain/problem-list';
import { submitProblemListUpdate } from '../../workflows/problem-list/api';
import { specialCampaign } from '../../workflows/special-campaign/workflow';
import type { Harness } from '../helpers/workflow-harness';

type Save = (name: string, handle: WorkflowHandle) => Promise<void>;

export async function recordProblemLists(env: TestWorkflowEnvironment, harness: Harness, plan: Plan, save: Save): Promise<void> {
  const tz = plan.jurisdiction.timeZone;
  const now = DateTime.fromMillis(await env.currentTimeMs(), { zone: tz });
  const rules = { weekday: ((now.weekday + 2) % 7) + 1, time: plan.calendar.endOfDay, reminderDaysBefore: 1, reminderTime: '09:00' };
  const file = parseCampaignFile(
    `id: replay-problem-lists
kind: special
title: 专项整治
legalBasis: [《医疗保障基金使用监督管理条例》]
targets: [{ institutions: [${plan.institutions[0]!.id}] }]
phases:
  - { name: 自查自纠, end: { days: 40 } }
  - { name: 严肃查处, end: { days: 10 } }
  - { name: 建章立制, end: { days: 10 } }
selfCheck:
  checklist: [{ category: 重复收费, description: 重复收费、超标准收费 }]
ledgerSubmissions: { weekday: ${rules.weekday}, leadUnit: party-office }
tasks:
  - { content: 整治欺诈骗保问题, measures: [自查自纠], leader: leader-deputy-fund, units: [fund-supervision, medical-services], deadline: 2099-12-31, ongoing: true }
`,
    'replay-problem-lists.yaml',
    plan,
  );
  const campaign = await env.client.workflow.start(specialCampaign, {
    workflowId: campaignWorkflowId(plan.jurisdiction.code, file.id),
    taskQueue: harness.taskQueue,
    args: [{ jurisdiction: plan.jurisdiction.code, file }],
  });
  const week1 = firstWeek(now.toJSDate(), rules, tz);
  const week2 = nextWeek(week1, tz);
  const week = (w: string) => env.client.workflow.getHandle(problemListWeekWorkflowId(file.id, w));
  const opened = async (w: string) => {
    for (
      let tries = 0;
      !(await week(w)
        .describe()
        .then(
          () => true,
          () => false,
        ));
      tries++
    ) {
      if (tries > 600) throw new Error(`week ${w} did not open`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const rows = [{ problem: '重复收费', measure: '退回并完善审核', deadline: '2099-06-30', state: 'rectifying' }];
  const pastDeadline = async (w: string) => env.sleep(weekDeadline(w, rules, tz).getTime() - (await env.currentTimeMs()) + 60_000);

  await opened(week1);
  for (const unit of ['fund-supervision', 'medical-services'])
    await week(week1).executeUpdate(submitProblemListUpdate, { args: [{ unit, rows }] });
  await pastDeadline(week1);
  await opened(week2);
  await week(week2).executeUpdate(submitProblemListUpdate, { args: [{ unit: 'fund-supervision', rows: [] }] });
  await pastDeadline(week2);
  await week(week2).result();
  await save('special-problem-list-week-complete', week(week1));
  await save('special-problem-list-week-missing', week(week2));
  // The loop's first run: its wait for the start, week 1 as a child, and its continue-as-new.
  const started = (await campaign.fetchHistory()).events?.find(
    (e) => e.childWorkflowExecutionStartedEventAttributes?.workflowType?.name === 'problemLists',
  );
  const firstRun = started!.childWorkflowExecutionStartedEventAttributes!.workflowExecution!.runId!;
  await save('special-problem-lists', env.client.workflow.getHandle(problemListsWorkflowId(file.id), firstRun));
  await save('special-campaign-problem-lists', campaign);
  await campaign.terminate('recorded');
}
