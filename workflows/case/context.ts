// What every case of a jurisdiction shares (its rules, who may decide) and what an inspection opening a case tells it.
// Pure: the inspection's start and the CLI build it from the plan.
import type { Plan } from '../../config/plan';
import { approversOf, officersOf } from '../../domain/case-duties';
import { type CaseInput, type CaseRules, type Person } from './api';

/** What every case of a jurisdiction shares: its rules and who may decide. */
export interface CaseContext {
  rules: CaseRules;
  officers: string[];
  approvers: string[];
  agencies: CaseInput['agencies'];
  bureau: CaseInput['bureau'];
}

type CasePlan = Pick<
  Plan,
  | 'cases'
  | 'penalties'
  | 'points'
  | 'agencies'
  | 'rectification'
  | 'reminders'
  | 'creditRules'
  | 'leaders'
  | 'inspectors'
  | 'jurisdiction'
  | 'notifications'
  | 'calendar'
>;

export function caseContextFromPlan(plan: CasePlan): CaseContext {
  const { cases } = plan;
  return {
    rules: {
      timeOfDay: plan.reminders.timeOfDay,
      endOfDay: plan.calendar.endOfDay,
      rectification: plan.rectification,
      decisionPeriodDays: cases.decisionPeriodDays,
      reminderOffsetsDays: cases.reminderOffsetsDays,
      escalationWindowDays: cases.escalationWindowDays,
      maxEscalations: cases.maxEscalations,
      interviewPeriodDays: cases.interviewPeriodDays,
      paymentPeriodDays: cases.paymentPeriodDays,
      paymentLateWindowDays: cases.paymentLateWindowDays,
      referralAckDays: cases.referralAckDays,
      crimeReferral: cases.crimeReferral,
      penalties: plan.penalties,
      points: plan.points,
      creditRules: plan.creditRules,
      // Only when given: the inputs of plans without it stay as recorded.
      ...(plan.calendar.holidays && { holidays: plan.calendar.holidays }),
    },
    // Leaders decide and approve; inspectors may decide cases they did not inspect themselves.
    officers: officersOf(plan),
    approvers: approversOf(plan),
    agencies: plan.agencies,
    bureau: { name: `${plan.jurisdiction.name}医疗保障局`, email: plan.notifications.leadershipEmail },
  };
}

export interface CaseOrigin {
  jurisdiction: CaseInput['jurisdiction'];
  campaign: { id: string; kind: string; title: string; year: number };
  institution: CaseInput['institution'] & { kind: 'hospital' | 'pharmacy' };
  recordedBy: string;
  team: string[];
  items: CaseInput['items'];
  responsibleUnit: Person;
  leader: Person;
}
