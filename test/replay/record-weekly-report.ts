// The weekly report histories of record.ts (since 1.1): the starter a Schedule runs, and the week's report it starts,
// which waits for its cut-off, reads the ledger and mails the tables.
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { weeklyReportStarter } from '../../workflows/weekly-report/workflow';
import type { Harness } from '../helpers/workflow-harness';

type Save = (name: string, handle: WorkflowHandle) => Promise<void>;

export async function recordWeeklyReport(
  env: TestWorkflowEnvironment,
  harness: Harness,
  save: Save,
  finish: (handle: WorkflowHandle) => Promise<void>,
): Promise<void> {
  const starter = await env.client.workflow.start(weeklyReportStarter, {
    workflowId: 'weekly-report-starter:349901-replay',
    taskQueue: harness.taskQueue,
    args: [{ jurisdiction: '349901', timeZone: 'Asia/Shanghai' }],
  });
  const report = env.client.workflow.getHandle(await starter.result());
  await finish(report);
  await save('weekly-report-starter', starter);
  await save('weekly-report', report);
}
