// What every person case of a jurisdiction shares, from the plan: the institution case's periods and who may decide
// (workflows/case/context.ts), and the table of article 41 (`personPenalties`). Pure: the CLI and tests build it.
import type { Plan } from '../../config/plan';
import { caseContextFromPlan } from '../case/context';
import type { PersonCaseInput } from './api';

export type PersonCaseContext = Pick<PersonCaseInput, 'officers' | 'approvers' | 'agencies' | 'rules'>;

export function personCaseContextFromPlan(
  plan: Parameters<typeof caseContextFromPlan>[0] & Pick<Plan, 'personPenalties'>,
): PersonCaseContext {
  const { rules, officers, approvers, agencies } = caseContextFromPlan(plan);
  const { timeOfDay, endOfDay, decisionPeriodDays, reminderOffsetsDays, escalationWindowDays, maxEscalations, referralAckDays, holidays } =
    rules;
  return {
    officers,
    approvers,
    agencies,
    rules: {
      timeOfDay,
      endOfDay,
      decisionPeriodDays,
      reminderOffsetsDays,
      escalationWindowDays,
      maxEscalations,
      referralAckDays,
      ...(holidays && { holidays }),
      penalties: plan.personPenalties,
      secondApproverAboveFen: plan.penalties.secondApproverAboveFen,
    },
  };
}
