// An inspection only moves forward: assigned → (overdue) → (stating-case) → (rectifying → rectification-overdue) →
// a final stage. The ledger keeps the furthest stage it was told, so a late or repeated write of an earlier stage
// (a retried start, a replayed step) can never reopen an inspection that had moved on.
import { FINAL_STAGES, INSPECTION_STAGES, type InspectionStage } from './inspection';

const ORDER: readonly InspectionStage[] = ['assigned', 'overdue', 'stating-case', 'rectifying', 'rectification-overdue'];

/** How far along `stage` is; every final stage ranks equally last. */
export function inspectionStageRank(stage: InspectionStage): number {
  return FINAL_STAGES.includes(stage) ? ORDER.length : ORDER.indexOf(stage);
}

/**
 * Inspections concluded (已办结): those in a final stage, except that one whose findings opened a case is not concluded
 * by that: its case (a workflow of its own, outliving the inspection) is, once closed or withdrawn.
 */
export function concludedCount(stages: Iterable<InspectionStage>): number {
  let n = 0;
  for (const stage of stages) if (stage !== 'case-opened' && FINAL_STAGES.includes(stage)) n++;
  return n;
}

/** The rank of every stage, for a ledger that compares them in SQL. */
export const INSPECTION_STAGE_RANKS: Readonly<Record<InspectionStage, number>> = Object.fromEntries(
  INSPECTION_STAGES.map((stage) => [stage, inspectionStageRank(stage)]),
) as Record<InspectionStage, number>;
