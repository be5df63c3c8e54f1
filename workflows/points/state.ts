// The state one year's points workflow shares between its setup, its handlers and its steps, and what is read from it:
// the status, the ledger row of the standing, the live details.
import { setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import { pointsWorkflowId } from '../../domain/business-keys';
import { formatLocal, yearStart } from '../../domain/calendar';
import { DEFAULT_POINTS_WORKFLOW, initialPointsState, type PointsState, type PointsWorkflowSettings } from '../../domain/points';
import type { PointsStatusRecord } from '../../records/types';
import type { PointsDeduction, PointsInput, PointsStatus } from './api';

export const ELIGIBILITY_LABELS = { eligible: '正常', suspended: '暂停医保支付资格', ended: '终止医保支付资格' } as const;

export interface PointsYearState {
  readonly input: PointsInput;
  readonly workflowId: string;
  /** The jurisdiction's time zone. */
  readonly tz: string;
  readonly settings: PointsWorkflowSettings;
  /** When the year's points reset (next 1 January, local time), and the workflow that takes over then. */
  readonly yearEnd: Date;
  readonly nextYearId: string;
  /** The standing: total, eligibility and how long a restriction runs. */
  points: PointsState;
  readonly deductions: PointsDeduction[];
  readonly rejected: PointsStatus['rejected'];
  /** Years whose hand-over this year has taken. */
  readonly carriedFrom: number[];
  /** Count of changes of standing (the ledger row's version). */
  version: number;
  /** Set whenever the next wake-up may have moved (a new suspension, a carried one). */
  changed: boolean;
  /** The year is over: deductions are refused, the workflow is finishing what is in flight before it hands over. */
  closing: boolean;
}

/** The state of a new year, or of a year resumed after continue-as-new. */
export function createPointsYearState(input: PointsInput): PointsYearState {
  const tz = input.jurisdiction.timeZone;
  const resume = input.resume;
  const deductions = resume?.deductions ?? [];
  return {
    input,
    workflowId: workflowInfo().workflowId,
    tz,
    settings: { ...DEFAULT_POINTS_WORKFLOW, ...input.settings },
    yearEnd: yearStart(input.year + 1, tz),
    nextYearId: pointsWorkflowId(input.practitionerId, input.year + 1),
    points: resume?.state ?? initialPointsState(input.year),
    deductions,
    rejected: resume?.rejected ?? [],
    carriedFrom: resume?.carriedFrom ?? [],
    version: resume?.version ?? deductions.length,
    changed: false,
    closing: false,
  };
}

export function pointsStatus(s: PointsYearState): PointsStatus {
  return { ...s.points, practitionerId: s.input.practitionerId, deductions: s.deductions, rejected: s.rejected, closing: s.closing };
}

export const yearClosed = (s: PointsYearState): boolean => s.closing || new Date() >= s.yearEnd;

/** A refusal message for deductions once the year is over. */
export function closedMessage(s: PointsYearState): string {
  const { input } = s;
  return `the points year ${input.year} of ${input.practitionerId} is closing (it ended ${formatLocal(s.yearEnd, s.tz)}): deductions decided from then on count in next year's workflow ${s.nextYearId} (\`jianguan points deduct … --year ${input.year + 1}\`)`;
}

/** The ledger row of the standing as it is now. */
export function standingRow(s: PointsYearState): PointsStatusRecord {
  const { total, eligibility, suspendedUntil, barredUntil } = s.points;
  return {
    practitionerId: s.input.practitionerId,
    year: s.input.year,
    total,
    eligibility,
    suspendedUntil,
    barredUntil,
    closed: s.closing,
    version: s.version,
    updatedAt: new Date().toISOString(),
  };
}

export function showDetails(s: PointsYearState): void {
  const { points, input } = s;
  const until = points.suspendedUntil ?? points.barredUntil;
  setCurrentDetails(
    `**${input.practitionerId}** ${input.year}年 记分 ${points.total} 分：${ELIGIBILITY_LABELS[points.eligibility]}${until ? `（至 ${formatLocal(new Date(until), s.tz)}）` : ''}${s.closing ? '，年度已结束' : ''}`,
  );
}
