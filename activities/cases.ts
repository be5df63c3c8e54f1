// Case activities (DESIGN §5 "case"): the case's ledger writes, and the hand-over of practitioner points to the
// practitioner's entity workflow. Each is idempotent by a business key, so a retry neither duplicates nor loses.
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, TypedSearchAttributes } from '@temporalio/common';
import type { Sealer } from '../codec/sealer';
import { CASE_STAGE_LABELS, type FlaggedPerson } from '../domain/case';
import { searchAttributes } from '../workflows/search-attributes';
import type {
  AuditEntry,
  CaseLedger,
  CaseRecord,
  PaymentRecord,
  PointsDeductionRecord,
  PointsLedger,
  PointsStatusRecord,
  ReferralRecord,
} from '../records/types';
import { LedgerConflictError } from '../records/errors';
import { ONE_RUN_PER_KEY } from '../workflows/business-key';
import { pointsWorkflowId } from '../domain/business-keys';
import { CASE_WORKFLOW_TYPE, type CaseInput, type CaseWorkflow } from '../workflows/case/api';
import {
  carryOverUpdate,
  deductPointsUpdate,
  POINTS_WORKFLOW_TYPE,
  type CarriedOver,
  type PointsWorkflow,
  type PointsDeduction,
  type PointsInput,
} from '../workflows/points/api';

export interface PointsRequest {
  practitionerId: string;
  year: number;
  /**
   * The deduction as decided. Its key must be unique per deduction (it is also the ledger's key): a key already taken
   * with the same deduction counts nothing again, with another deduction it is refused. A case builds it from its
   * workflow id and the practitioner (`{caseId}:points:{practitionerId}`), its decision listing each practitioner once.
   */
  deduction: PointsDeduction;
  /** The entity workflow's input, should it have to be started. */
  workflow: Omit<PointsInput, 'practitionerId' | 'year'>;
}

const pointsSummary = (input: Pick<PointsInput, 'practitionerId' | 'year'>) => `${input.year}年 医保支付资格记分：${input.practitionerId}`;

/**
 * Starts `points:{practitionerId}:{year}` unless it runs already (USE_EXISTING). Resolves to false when that year's
 * workflow has already ended and may not start again (`reuse: 'REJECT_DUPLICATE'`, for deductions: a year that is over
 * takes no more); a hand-over (`ALLOW_DUPLICATE`) starts it again, carrying its restriction in the input.
 */
async function startPointsYear(
  client: Client,
  taskQueue: string,
  input: PointsInput,
  reuse: 'REJECT_DUPLICATE' | 'ALLOW_DUPLICATE',
): Promise<boolean> {
  try {
    await client.workflow.start<PointsWorkflow>(POINTS_WORKFLOW_TYPE, {
      workflowId: pointsWorkflowId(input.practitionerId, input.year),
      taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: reuse,
      staticSummary: pointsSummary(input),
    });
    return true;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw error;
  }
}

/** A referral as the case saves it: the flagged persons as the decision named them (sealed by the activity). */
export type ReferralToSave = Omit<ReferralRecord, 'persons'> & { persons: FlaggedPerson[] };

export interface StartCaseRequest {
  workflowId: string;
  input: CaseInput;
  staticSummary: string;
  staticDetails: string;
  searchAttributes: { campaignId: string; year: number; institutionId: string; institutionKind: string; dueAt: string };
}

/** A money record whose key is taken by another amount: a caller's mistake no retry can mend, refused for good. */
async function conflictsForGood<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof LedgerConflictError) throw ApplicationFailure.nonRetryable(error.message, 'PaymentConflict');
    throw error;
  }
}

export function createCaseActivities({ cases, points, sealer }: { cases: CaseLedger; points: PointsLedger; sealer: Sealer }) {
  return {
    /** Starts a case workflow; a retry finds it started and is done (the id is the case's business key). */
    async startCase(request: StartCaseRequest): Promise<void> {
      const { client, info } = Context.current();
      const sa = request.searchAttributes;
      try {
        await client.workflow.start<CaseWorkflow>(CASE_WORKFLOW_TYPE, {
          workflowId: request.workflowId,
          ...ONE_RUN_PER_KEY,
          taskQueue: info.taskQueue,
          args: [request.input],
          staticSummary: request.staticSummary,
          staticDetails: request.staticDetails,
          typedSearchAttributes: new TypedSearchAttributes(
            searchAttributes({
              jurisdiction: request.input.jurisdiction.code,
              campaignId: sa.campaignId,
              campaignKind: 'case',
              year: sa.year,
              institutionId: sa.institutionId,
              institutionKind: sa.institutionKind,
              stage: 'rectifying',
              dueAt: new Date(sa.dueAt),
              overdue: false,
              institutionName: request.input.institution.name,
              stageLabel: CASE_STAGE_LABELS.rectifying,
            }),
          ),
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
    },

    async saveCase(row: CaseRecord, audit: AuditEntry): Promise<void> {
      await cases.saveCase(row, audit);
    },
    /**
     * Returns the case's total paid so far. A payment key already recorded for another amount is refused for good (a
     * non-retryable failure): the workflow refuses a reused reference before this, so it is a last resort.
     */
    recordCasePayment: (row: PaymentRecord, audit: AuditEntry): Promise<number> => conflictsForGood(() => cases.recordPayment(row, audit)),
    /** Returns the case's total returned to patients; a reference reused for another amount is refused for good. */
    recordPatientRefund: (row: Omit<PaymentRecord, 'key'>, audit: AuditEntry): Promise<number> =>
      conflictsForGood(() => cases.recordPatientRefund(row, audit)),
    /** Saves a referral, the persons it flags for the discipline commission sealed first: never in the ledger in clear. */
    async saveReferral(row: ReferralToSave, audit: AuditEntry): Promise<void> {
      const { persons, ...referral } = row;
      const sealed = persons.length > 0 ? { count: persons.length, ...sealer.seal(JSON.stringify(persons)) } : undefined;
      await cases.saveReferral({ ...referral, ...(sealed && { persons: sealed }) }, audit);
    },
    /** Records a deduction (once per key) with its audit entry, and the practitioner's standing after it when given. */
    async recordPointsDeduction(row: PointsDeductionRecord, audit: AuditEntry, standing?: PointsStatusRecord): Promise<number> {
      const total = await points.recordPointsDeduction(row, audit);
      if (standing) await points.savePointsStatus(standing);
      return total;
    },
    /** Records a practitioner's standing of a year (a lift, the year's close, a carried restriction) with its audit entry. */
    async recordPointsStatus(row: PointsStatusRecord, audit: AuditEntry): Promise<void> {
      await points.savePointsStatus(row, audit);
    },

    /**
     * Hands a case's points deduction to `points:{practitionerId}:{year}`, starting it if needed, as the workflow's
     * validated `deduct` Update: the answer is the workflow's own, taken on the state the deduction meets there (no
     * check beforehand that a signal could overtake). Refused (rules, a closing year, a key used for another deduction)
     * it comes back as `accepted: false` with the reason, for the case to record and report. Idempotent: the Update id
     * and the workflow both key on the deduction's key, so a retry is answered with the first result.
     */
    async deductPractitionerPoints(request: PointsRequest): Promise<{ accepted: true } | { accepted: false; reason: string }> {
      const { client, info } = Context.current();
      const input: PointsInput = { ...request.workflow, practitionerId: request.practitionerId, year: request.year };
      const workflowId = pointsWorkflowId(request.practitionerId, request.year);
      const ended = {
        accepted: false as const,
        reason: `the points year ${request.year} (${workflowId}) has ended: no more deductions in ${request.year}`,
      };
      if (!(await startPointsYear(client, info.taskQueue, input, 'REJECT_DUPLICATE'))) return ended;
      const { key, caseId, tier, points, suspensionMonths, reason, decidedBy, decidedAt } = request.deduction;
      const payload = {
        key,
        tier,
        points,
        ...(suspensionMonths !== undefined && { suspensionMonths }),
        ...(caseId !== null && { caseId }),
        reason,
        decidedBy,
        decidedAt,
      };
      try {
        // Answered once applied and in the ledger (a retry after a timeout joins the same Update by its id).
        await client.workflow.getHandle(workflowId).executeUpdate(deductPointsUpdate, { args: [payload], updateId: `deduct:${key}` });
        return { accepted: true };
      } catch (error) {
        if (error instanceof WorkflowUpdateFailedError) return { accepted: false, reason: error.cause?.message ?? error.message };
        if (error instanceof WorkflowNotFoundError) return ended;
        throw error;
      }
    },

    /**
     * The year's reset: hands a suspension or bar still running at the year's end to next year's workflow, which starts
     * at zero points (started here with the restriction in its input when nobody has started it yet; one already
     * running, say with January's deductions, takes it by the `carryOverRestriction` Update, merged with its own).
     * Idempotent: next year takes a hand-over once per year it comes from.
     */
    async handOverPoints(input: PointsInput, carried: CarriedOver): Promise<void> {
      const { client, info } = Context.current();
      await startPointsYear(client, info.taskQueue, { ...input, carried }, 'ALLOW_DUPLICATE');
      try {
        await client.workflow
          .getHandle(pointsWorkflowId(input.practitionerId, input.year))
          .executeUpdate(carryOverUpdate, { args: [carried], updateId: `carry-over:${carried.fromYear}` });
      } catch (error) {
        // Ended already: only a run started here, with the restriction in its input, can have (its own year over too).
        if (!(error instanceof WorkflowNotFoundError)) throw error;
      }
    },
  };
}
