// From a validated jurisdiction plan to a campaign workflow's input: the slice of the plan the workflows need,
// so workflow code never reads files. (The business-key ids are in domain/business-keys.ts.)
import type { Plan } from '../config';
import type { CampaignInput } from '../workflows/campaign/api';
import { caseContextFromPlan } from '../workflows/case/context';

export function campaignInputFromPlan(plan: Plan, campaign: CampaignInput['campaign']): CampaignInput {
  return {
    jurisdiction: plan.jurisdiction,
    campaign,
    institutions: plan.institutions.map((i) => ({
      id: i.id,
      name: i.name,
      kind: i.kind,
      level: i.level ?? null,
      ownership: i.ownership,
      district: i.district,
      responsibleUnitId: i.responsibleUnitId,
      contacts: i.contacts.map((c, n) => ({ id: `${i.id}-contact-${n + 1}`, name: c.name, email: c.email })),
    })),
    inspectorPool: plan.inspectors.map(({ id, name, email, conflicts }) => ({ id, name, email, conflicts })),
    teamSize: plan.inspection.teamSize,
    reminders: plan.reminders,
    lateWindowDays: plan.inspection.lateWindowDays,
    responsibleUnits: plan.responsibleUnits.map(({ id, name, email, leaderId }) => ({ id, name, email, leaderId })),
    leaders: plan.leaders.map(({ id, name, email }) => ({ id, name, email })),
    cases: caseContextFromPlan(plan),
  };
}
