// A step whose data the ledger refuses, on every attempt alike, ends visibly instead of being retried for ever: the
// workflow fails with the refusal (a non-retryable PermanentDataError), its details say which step and why, the
// leadership group is told once and the audit trail records it. Real activities and ledger, time-skipping server.
import { WorkflowFailedError } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN_FILE, loadPlan } from '../../config';
import { caseWorkflow } from '../../workflows/case/workflow';
import { PERMANENT_DATA_ERROR } from '../../workflows/failure-types';
import { caseInput, ITEM_38 } from '../helpers/case-input';
import { useWorkflowTestEnv } from '../helpers/workflow-test';

const fx = useWorkflowTestEnv();

describe('a step the ledger refuses for good', () => {
  it('fails the workflow with the reason, tells leadership once, records it in the audit trail, and retries nothing', async () => {
    // A loss past the safe-integer range in fen: the ledger refuses to store an amount it could not read back exactly.
    const input = caseInput(`UNSAFE-${process.pid}`, { items: [{ ...ITEM_38, amountFen: 2 ** 60 }] });
    const workflowId = `case:349901:${input.caseNo}`;
    const handle = await fx.env.client.workflow.start(caseWorkflow, { workflowId, taskQueue: fx.harness.taskQueue, args: [input] });
    // What the Web UI shows as the workflow's current details: its metadata query, answered by a worker from history.
    const [error, metadata] = await fx.harness.run(async () => {
      const failure = await handle.result().then(
        () => undefined,
        (e: unknown) => e,
      );
      return [failure, await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata')] as const;
    });

    expect(error).toBeInstanceOf(WorkflowFailedError);
    const activityFailure = (error as WorkflowFailedError).cause;
    expect(activityFailure).toBeInstanceOf(ActivityFailure);
    const cause = (activityFailure as ActivityFailure).cause as ApplicationFailure;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause).toMatchObject({ type: PERMANENT_DATA_ERROR, nonRetryable: true });
    expect(cause.message).toMatch(/safe integer/);

    // One attempt of the refused step, not a loop of retries.
    const events = (await handle.fetchHistory()).events ?? [];
    const failedStep = events.find((e) => e.activityTaskFailedEventAttributes);
    const scheduled = events.find(
      (e) => e.eventId?.toString() === failedStep?.activityTaskFailedEventAttributes?.scheduledEventId?.toString(),
    );
    const started = events.find((e) => e.eventId?.toString() === failedStep?.activityTaskFailedEventAttributes?.startedEventId?.toString());
    expect(started?.activityTaskStartedEventAttributes?.attempt).toBe(1);
    const step = scheduled?.activityTaskScheduledEventAttributes?.activityType?.name;

    const described = await handle.describe();
    expect(described.status.name).toBe('FAILED');
    expect(metadata.currentDetails).toContain('步骤失败');
    expect(metadata.currentDetails).toMatch(/safe integer/);

    const told = fx.harness.sent.filter((s) => s.kind === 'step-failed');
    expect(told).toHaveLength(1);
    expect(told[0].to).toEqual([(await loadPlan(DEFAULT_PLAN_FILE)).notifications.leadershipEmail]);
    expect(told[0].text).toContain(workflowId);
    expect(told[0].text).toMatch(/safe integer/);
    const audit = (await fx.harness.store.listAudit(workflowId)).filter((a) => a.action === 'step-failed');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ subjectType: 'workflow', actor: 'system' });
    expect(step).toBe('saveCase');
  });
});
