// What every clue of a jurisdiction shares, from the plan: who registers and decides, the units a clue may go to, the
// rules with their sources, and what a case opened from a clue needs. Pure: the CLI builds each clue's input from it.
import type { Plan } from '../../config/plan';
import { approversOf, officersOf } from '../../domain/case-duties';
import { contactPersons } from '../../domain/business-keys';
import { caseContextFromPlan } from '../case/context';
import type { ClueInput } from './api';

export type ClueContext = Pick<
  ClueInput,
  'jurisdiction' | 'intakeUnit' | 'leader' | 'units' | 'officers' | 'approvers' | 'rules' | 'cases'
>;

/** A clue about one of the plan's institutions: its subject as the workflow takes it. */
export function institutionSubject(institution: Plan['institutions'][number]): ClueInput['subject'] {
  return {
    institution: {
      id: institution.id,
      name: institution.name,
      kind: institution.kind,
      contacts: contactPersons(institution),
      responsibleUnitId: institution.responsibleUnitId ?? null,
    },
    description: institution.name,
  };
}

export function clueContextFromPlan(plan: Plan): ClueContext {
  const leaders = new Map(plan.leaders.map((l) => [l.id, { id: l.id, name: l.name, email: l.email }]));
  const units = plan.responsibleUnits.map((u) => ({ id: u.id, name: u.name, email: u.email, leader: leaders.get(u.leaderId)! }));
  const intake = units.find((u) => u.id === plan.clues.intakeUnitId) ?? units[0]!;
  const rules = { ...plan.clues };
  delete rules.intakeUnitId;
  return {
    jurisdiction: { code: plan.jurisdiction.code, name: plan.jurisdiction.name, timeZone: plan.jurisdiction.timeZone },
    intakeUnit: { id: intake.id, name: intake.name, email: intake.email },
    leader: intake.leader,
    units,
    officers: officersOf(plan),
    approvers: approversOf(plan),
    rules: {
      ...rules,
      timeOfDay: plan.reminders.timeOfDay,
      endOfDay: plan.calendar.endOfDay,
      ...(plan.calendar.holidays && { holidays: plan.calendar.holidays }),
    },
    cases: caseContextFromPlan(plan),
  };
}
