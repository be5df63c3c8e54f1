// Who may do what on a violation case (案件): who counts as an officer, separation of duties (the inspector who recorded
// the findings decides nothing on the case), the second approver of a large penalty, who may record the recheck. Pure
// rules, used by the case workflow's Update validators and by the CLI's checks before it sends anything. Each problem
// comes with the failure type the workflow rejects it with.
import { needsSecondApprover, type PenaltyTable } from './penalty';

export type DutyFailure = 'NotAuthorised' | 'SeparationOfDuties' | 'SecondApproverRequired' | 'InvalidPayload';

export interface DutyProblem {
  message: string;
  type: DutyFailure;
}

/** Who a case's duties are checked against. */
export interface CaseDuties {
  /** The officers who may decide (leaders and inspectors). */
  officers: readonly string[];
  /** The leaders who may sign as second approver. */
  approvers: readonly string[];
  /** The inspector who recorded the findings: never decides on the case. */
  recordedBy: string;
  /** The inspection team (the recording inspector included): who may record the recheck. */
  team: readonly string[];
  jurisdictionName: string;
}

/** Who counts as an officer of a jurisdiction: its leaders and its inspectors (leaders first). */
export function officersOf(plan: { leaders: readonly { id: string }[]; inspectors: readonly { id: string }[] }): string[] {
  return [...plan.leaders.map((l) => l.id), ...plan.inspectors.map((i) => i.id)];
}

/** Who may approve a decision as second approver: the leaders. */
export function approversOf(plan: { leaders: readonly { id: string }[] }): string[] {
  return plan.leaders.map((l) => l.id);
}

/** Whether `id` is one of the officers (who may decide cases and points deductions). */
export function isOfficer(id: string, officers: readonly string[]): boolean {
  return officers.includes(id);
}

/**
 * Separation of duties for `id` named in `field`: a known officer, and never the inspector who recorded the findings.
 * It applies to every decision on the case (ladder step, penalty, referral, withdrawal) and to recording a payment.
 */
export function deciderProblem(
  id: string,
  field: string,
  duties: Pick<CaseDuties, 'officers' | 'recordedBy' | 'jurisdictionName'>,
): DutyProblem | undefined {
  if (!isOfficer(id, duties.officers))
    return { message: `${field}: "${id}" is not an officer of ${duties.jurisdictionName} who may decide cases`, type: 'NotAuthorised' };
  if (id === duties.recordedBy) {
    return {
      message: `${field}: "${id}" recorded the findings of this case; the decision must come from someone else (separation of duties)`,
      type: 'SeparationOfDuties',
    };
  }
  return undefined;
}

/**
 * The second approver of a penalty decision totalling `totalFen`: required above the table's threshold; one given below
 * it signs too, so it is held to the same rules (an approver, neither the decider nor the recording inspector).
 */
export function approverProblem(
  decision: { decidedBy: string; approvedBy?: string | undefined; totalFen: number },
  duties: Pick<CaseDuties, 'approvers' | 'recordedBy'>,
  table: Pick<PenaltyTable, 'secondApproverAboveFen'>,
): DutyProblem | undefined {
  const { totalFen, approvedBy: approver } = decision;
  if (needsSecondApprover(totalFen, table) && !approver) {
    return {
      message: `approvedBy: required: the decision totals ${totalFen} fen, above ${table.secondApproverAboveFen} fen, so a second approver must sign`,
      type: 'SecondApproverRequired',
    };
  }
  if (approver === undefined) return undefined;
  if (!duties.approvers.includes(approver))
    return { message: `approvedBy: "${approver}" may not approve (approvers: ${duties.approvers.join(', ')})`, type: 'NotAuthorised' };
  if (approver === decision.decidedBy)
    return {
      message: `approvedBy: "${approver}" must differ from the decider (decidedBy): a second approver is another person`,
      type: 'SeparationOfDuties',
    };
  if (approver === duties.recordedBy) {
    return {
      message: `approvedBy: "${approver}" must differ from the inspector who recorded the findings of this case (separation of duties)`,
      type: 'SeparationOfDuties',
    };
  }
  return undefined;
}

/** The recheck is the inspection team's (the recording inspector included). */
export function recheckerProblem(inspectorId: string, team: readonly string[]): DutyProblem | undefined {
  if (team.includes(inspectorId)) return undefined;
  return {
    message: `invalid recheck: inspectorId: ${inspectorId} is not on the inspection team (${team.join(', ')})`,
    type: 'InvalidPayload',
  };
}
