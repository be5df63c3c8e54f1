// The person case history of record.ts (since 1.1): interview, card suspension, penalty under 41-2, referral to the
// police, recovery, closed, and the suspension lifted by its timer before the case ends.
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { decidePersonUpdate } from '../../workflows/person-case/api';
import { personCase } from '../../workflows/person-case/workflow';
import { personCaseInput } from '../helpers/person-case-input';
import type { Harness } from '../helpers/workflow-harness';

type Save = (name: string, handle: WorkflowHandle) => Promise<void>;

export async function recordPersonCase(env: TestWorkflowEnvironment, harness: Harness, save: Save): Promise<void> {
  const input = personCaseInput('P-REPLAY-1');
  const handle = await env.client.workflow.start(personCase, {
    workflowId: `person-case:349901:${input.caseNo}`,
    taskQueue: harness.taskQueue,
    args: [input],
  });
  const decide = (payload: Record<string, unknown>) =>
    handle.executeUpdate(decidePersonUpdate, { args: [{ decidedBy: 'L1', reason: '经集体研究决定', ...payload }] });
  await decide({ action: 'interview' });
  await decide({ action: 'suspend-card', months: 3 });
  await decide({ action: 'penalty', paragraph: '41-2', multiple: 2 });
  await decide({ action: 'refer', agency: 'public-security' });
  await handle.executeUpdate(decidePersonUpdate, {
    args: [{ action: 'recover', decidedBy: 'I03', amountFen: 300_000, reference: 'ZH-1' }],
  });
  await decide({ action: 'close' });
  await handle.result();
  await save('person-case', handle);
}
