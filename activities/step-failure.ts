// A workflow step that failed for good (activities/failures.ts) is reported where people look: a notice to the
// leadership group and an entry in the audit trail. Idempotent: both are keyed by the workflow and the step.
import { createHash } from 'node:crypto';
import { loadPlan } from '../config';
import { stepFailureMessage, type StepFailure } from '../domain/step-failure-messages';
import type { AuditLedger } from '../records/types';
import type { Notification } from './notifications';

export function createStepFailureActivities(deps: { audit: AuditLedger; planFile: string; send: (n: Notification) => Promise<unknown> }) {
  return {
    async reportStepFailure(failure: StepFailure): Promise<void> {
      const plan = await loadPlan(deps.planFile);
      const key = `${failure.workflowId}:step-failed:${createHash('sha256').update(failure.step).digest('hex').slice(0, 12)}`;
      await deps.send({
        key,
        kind: 'step-failed',
        to: [{ name: `${plan.jurisdiction.name}医保基金监管领导小组`, email: plan.notifications.leadershipEmail }],
        ...stepFailureMessage(plan.jurisdiction.name, failure),
      });
      await deps.audit.appendAudit({
        key,
        actor: 'system',
        action: 'step-failed',
        subjectType: 'workflow',
        subjectId: failure.workflowId,
        reason: `${failure.step}：${failure.reason}`,
        detail: { workflowType: failure.workflowType, step: failure.step },
        at: new Date().toISOString(),
      });
    },
  };
}
