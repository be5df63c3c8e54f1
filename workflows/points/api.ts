// Practitioner points' api (医保支付资格记分): input, status, workflow id, query, updates and signals.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { type CarriedRestriction, type PointsRules, type PointsState, type PointsWorkflowSettings } from '../../domain/points';

export interface PointsDeduction {
  /** Idempotency key: a deduction seen twice counts once. */
  key: string;
  tier: number;
  points: number;
  suspensionMonths?: number;
  caseId: string | null;
  reason: string;
  decidedBy: string;
  decidedAt: string;
}

/** A restriction handed over from last year's workflow (`fromYear`). */
export interface CarriedOver extends CarriedRestriction {
  fromYear: number;
}

export interface PointsInput {
  practitionerId: string;
  jurisdiction: { code: string; name: string; timeZone: string };
  year: number;
  rules: PointsRules;
  /** Who is told of every deduction, suspension and lift (the bureau's mailbox). */
  notify: Array<{ name: string; email: string }>;
  /**
   * Who may decide a deduction: the plan's leaders and inspectors, as for cases. Left out (a year started by a case's
   * hand-off, whose case checked its decider already), `decidedBy` is not checked here; the CLI checks it against the
   * plan before sending.
   */
  officers?: string[];
  /** Housekeeping (continue-as-new bound, closing grace); DEFAULT_POINTS_WORKFLOW where left out. */
  settings?: Partial<PointsWorkflowSettings>;
  /** Set by last year's hand-over when it starts this year: the suspension or bar that runs into this year. */
  carried?: CarriedOver;
  /** Set by continue-as-new within the year: the state so far. */
  resume?: PointsResume;
}

/** Everything a year's workflow knows, carried over continue-as-new. */
export interface PointsResume {
  state: PointsState;
  deductions: PointsDeduction[];
  rejected?: Array<{ key: string; reason: string }>;
  /** Count of changes of standing (the ledger row's version). */
  version?: number;
  /** Years whose hand-over this year has taken. */
  carriedFrom?: number[];
}

export interface PointsStatus extends PointsState {
  practitionerId: string;
  deductions: PointsDeduction[];
  /** Deductions refused after they were sent (only signals of older senders can be refused after the fact). */
  rejected: Array<{ key: string; reason: string }>;
  /**
   * The year is over: no more deductions here; a restriction still running goes on in next year's workflow. (Absent
   * in the answers of runs started before it existed.)
   */
  closing?: boolean;
}

/** The `deduct` Update's answer: the status after it, the deduction under its key, and whether it was seen before. */
export interface PointsDeductionResult extends PointsStatus {
  deduction: PointsDeduction;
  /** True when the key had been deducted already: nothing was deducted again; `deduction` is the first one. */
  duplicate: boolean;
}

export const pointsStatusQuery = defineQuery<PointsStatus>('status');

/** A deduction (payload: pointsDeductionSchema), by hand or from a case: validated, refused with a clear message. */
export const deductPointsUpdate = defineUpdate<PointsDeductionResult, [unknown]>('deduct');

/** Last year's hand-over of a running suspension or bar (payload: CarriedOver). Idempotent per `fromYear`. */
export const carryOverUpdate = defineUpdate<PointsStatus, [unknown]>('carryOverRestriction');

/** Older senders' deductions (signal-with-start by a case activity); kept so their runs keep working. */
export const deductPointsSignal = defineSignal<[PointsDeduction]>('deductPoints');

/** Older hand-overs (signal-with-start by last year's workflow); kept so their runs keep working. */
export const carryOverSignal = defineSignal<[CarriedRestriction]>('carryOver');

/** The workflow type's name and signature, to start it by name from outside the workflow bundle. */
export const POINTS_WORKFLOW_TYPE = 'practitionerPoints';
export type PointsWorkflow = (input: PointsInput) => Promise<PointsStatus>;
