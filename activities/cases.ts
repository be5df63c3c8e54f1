// Case activities (DESIGN §5 "case"): the case's ledger writes, and the hand-over of practitioner points to the
// practitioner's entity workflow. Each is idempotent by a business key, so a retry neither duplicates nor loses.
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure, TypedSearchAttributes } from '@temporalio/common';
import { deductionProblems, initialPointsState, type PointsState } from '../domain/points';
import { formatProblems } from '../domain/validation';
import { CAMPAIGN_ID, CAMPAIGN_KIND, CAMPAIGN_YEAR, DUE_AT, INSTITUTION_ID, INSTITUTION_KIND, JURISDICTION, OVERDUE, STAGE } from '../workflows/search-attributes';
import type { AuditEntry, CaseRecord, PaymentRecord, PointsDeductionRecord, ReferralRecord, Store } from '../records/types';
import { LedgerConflictError } from '../records/store';
import { caseWorkflow, type CaseInput } from '../workflows/case';
import { carryOverSignal, deductPointsSignal, pointsStatusQuery, pointsWorkflowId, practitionerPoints, type PointsDeduction, type PointsInput } from '../workflows/points';

export interface PointsRequest {
  practitionerId: string;
  year: number;
  deduction: PointsDeduction;
  /** The entity workflow's input, should it have to be started. */
  workflow: Omit<PointsInput, 'practitionerId' | 'year'>;
}

export interface StartCaseRequest {
  workflowId: string;
  input: CaseInput;
  staticSummary: string;
  staticDetails: string;
  searchAttributes: { campaignId: string; year: number; institutionId: string; institutionKind: string; dueAt: string };
}

export function createCaseActivities(store: Store) {
  return {
    /** Starts a case workflow; a retry finds it started and is done (the id is the case's business key). */
    async startCase(request: StartCaseRequest): Promise<void> {
      const { client, info } = Context.current();
      const sa = request.searchAttributes;
      try {
        await client.workflow.start(caseWorkflow, {
          workflowId: request.workflowId,
          taskQueue: info.taskQueue,
          args: [request.input],
          staticSummary: request.staticSummary,
          staticDetails: request.staticDetails,
          typedSearchAttributes: new TypedSearchAttributes([
            { key: JURISDICTION, value: request.input.jurisdiction.code },
            { key: CAMPAIGN_ID, value: sa.campaignId },
            { key: CAMPAIGN_KIND, value: 'case' },
            { key: CAMPAIGN_YEAR, value: sa.year },
            { key: INSTITUTION_ID, value: sa.institutionId },
            { key: INSTITUTION_KIND, value: sa.institutionKind },
            { key: STAGE, value: 'rectifying' },
            { key: DUE_AT, value: new Date(sa.dueAt) },
            { key: OVERDUE, value: false },
          ]),
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
    },

    async saveCase(row: CaseRecord, audit: AuditEntry): Promise<void> {
      await store.saveCase(row, audit);
    },
    /**
     * Returns the case's total paid so far. A payment key already recorded for another amount is refused for good (a
     * non-retryable failure): the workflow refuses a reused reference before this, so it is a last resort.
     */
    async recordCasePayment(row: PaymentRecord, audit: AuditEntry): Promise<number> {
      try {
        return await store.recordPayment(row, audit);
      } catch (error) {
        if (error instanceof LedgerConflictError) throw ApplicationFailure.nonRetryable(error.message, 'PaymentConflict');
        throw error;
      }
    },
    async saveReferral(row: ReferralRecord, audit: AuditEntry): Promise<void> {
      await store.saveReferral(row, audit);
    },
    async recordPointsDeduction(row: PointsDeductionRecord, audit: AuditEntry): Promise<number> {
      return store.recordPointsDeduction(row, audit);
    },

    /**
     * Sends a case's points deduction to `points:{practitionerId}:{year}`, starting it if needed. Checked first against
     * the practitioner's current state, so a deduction the rules refuse (e.g. reaching the suspension threshold without
     * the decided months) comes back as `accepted: false` with the reason instead of vanishing in the entity workflow.
     * Idempotent: the entity workflow ignores a deduction key it has seen.
     */
    async deductPractitionerPoints(request: PointsRequest): Promise<{ accepted: true } | { accepted: false; reason: string }> {
      const { client, info } = Context.current();
      const workflowId = pointsWorkflowId(request.practitionerId, request.year);
      let state: PointsState & { deductions?: Array<{ key: string }> } = initialPointsState(request.year);
      try {
        state = await client.workflow.getHandle(workflowId).query(pointsStatusQuery);
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
      if (!state.deductions?.some((d) => d.key === request.deduction.key)) {
        const problems = deductionProblems(state, request.deduction, request.workflow.rules);
        if (problems.length) return { accepted: false, reason: formatProblems(problems) };
      }
      await client.workflow.signalWithStart(practitionerPoints, {
        workflowId,
        taskQueue: info.taskQueue,
        args: [{ ...request.workflow, practitionerId: request.practitionerId, year: request.year }],
        signal: deductPointsSignal,
        signalArgs: [request.deduction],
        staticSummary: `${request.year}年 医保支付资格记分：${request.practitionerId}`,
      });
      return { accepted: true };
    },

    /** Hands an ongoing suspension or bar over to next year's entity workflow (points reset, restrictions carry). */
    async handOverPoints(input: PointsInput, carried: Pick<PointsState, 'eligibility' | 'suspendedUntil' | 'barredUntil'>): Promise<void> {
      const { client, info } = Context.current();
      await client.workflow.signalWithStart(practitionerPoints, {
        workflowId: pointsWorkflowId(input.practitionerId, input.year),
        taskQueue: info.taskQueue,
        args: [input],
        signal: carryOverSignal,
        signalArgs: [carried],
        staticSummary: `${input.year}年 医保支付资格记分：${input.practitionerId}`,
      });
    },
  };
}
