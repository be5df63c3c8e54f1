// What every person case of a jurisdiction shares, from the plan: the institution case's periods and who may decide
// (workflows/case/context.ts), and the table of article 41 (`personPenalties`). Pure: the CLI and tests build it.
import type { Plan } from '../../config/plan';
import type { PersonPenaltyTable } from '../../domain/person-penalty';
import type { CaseRules } from '../case/api';
import { caseContextFromPlan } from '../case/context';
import type { PersonCaseInput, PersonCaseRules } from './api';

export type PersonCaseContext = Pick<PersonCaseInput, 'officers' | 'approvers' | 'agencies' | 'rules'>;

/** A person case's rules: the periods of the institution case's rules, and the individuals' penalty table. */
export function personCaseRules(rules: CaseRules, penalties: PersonPenaltyTable): PersonCaseRules {
  const { timeOfDay, endOfDay, decisionPeriodDays, reminderOffsetsDays, escalationWindowDays, maxEscalations, referralAckDays, holidays } =
    rules;
  return {
    timeOfDay,
    endOfDay,
    decisionPeriodDays,
    reminderOffsetsDays,
    escalationWindowDays,
    maxEscalations,
    referralAckDays,
    ...(holidays && { holidays }),
    penalties,
    // The same threshold as the institutions' decisions: one rule for a "heavier penalty" in the jurisdiction.
    secondApproverAboveFen: rules.penalties.secondApproverAboveFen,
  };
}

export function personCaseContextFromPlan(
  plan: Parameters<typeof caseContextFromPlan>[0] & Pick<Plan, 'personPenalties'>,
): PersonCaseContext {
  const { rules, officers, approvers, agencies } = caseContextFromPlan(plan);
  return { officers, approvers, agencies, rules: personCaseRules(rules, plan.personPenalties) };
}
