// How one institution's inspection is started, whoever starts it: a campaign workflow (as a child) or the start
// activity of a large campaign (through the client). The input, the typed search attributes and the Chinese summary
// live here once. Pure: no Temporal workflow API, so activities may import it too.
import type { PlanDigest } from '../../activities/plan';
import { contactPersons, inspectionWorkflowId } from '../../domain/business-keys';
import { formatLocal } from '../../domain/calendar';
import { STAGE_LABELS } from '../../domain/inspection';
import { ONE_RUN_PER_KEY } from '../business-key';
import { caseContextFromPlan } from '../case/context';
import type { InspectionInput, InspectorCandidate, Person } from './api';
import { searchAttributes } from '../search-attributes';

/** What every inspection of a campaign shares. */
export interface InspectionContext {
  jurisdiction: InspectionInput['jurisdiction'];
  campaign: InspectionInput['campaign'] & { dueAt: string; announced: boolean };
  inspectorPool: InspectorCandidate[];
  teamSize: number;
  drawSeed: string;
  reminders: InspectionInput['reminders'];
  lateWindowDays: number;
  responsibleUnits: Array<Person & { leaderId: string }>;
  leaders: Person[];
  reportToParent: boolean;
  creditRules?: InspectionInput['creditRules'];
  cases: InspectionInput['cases'];
}

export interface InspectedInstitution {
  id: string;
  name: string;
  kind: 'hospital' | 'pharmacy';
  contacts: Array<{ name: string; email: string }>;
  responsibleUnitId: string | null;
}

/** The shared part of a campaign's inspections, from the plan digest the worker loaded. */
export function contextFromPlan(
  plan: PlanDigest,
  campaign: InspectionContext['campaign'],
  drawSeed: string,
): Omit<InspectionContext, 'reportToParent'> {
  return {
    jurisdiction: plan.jurisdiction,
    campaign,
    inspectorPool: plan.inspectors.map(({ id, name, email, conflicts }) => ({ id, name, email, conflicts })),
    teamSize: plan.inspection.teamSize,
    drawSeed,
    reminders: plan.reminders,
    lateWindowDays: plan.inspection.lateWindowDays,
    responsibleUnits: plan.responsibleUnits.map(({ id, name, email, leaderId }) => ({ id, name, email, leaderId })),
    leaders: plan.leaders.map(({ id, name, email }) => ({ id, name, email })),
    creditRules: plan.creditRules,
    cases: caseContextFromPlan(plan),
  };
}

/**
 * Everything needed to start the inspection of `institution`, as a child workflow or through the client. `labels`:
 * with the Web UI's list columns (institution's name, Chinese stage); a campaign workflow whose 1.0 history started
 * its children without them passes false (workflows/upsert.ts).
 */
export function inspectionStartOptions(ctx: InspectionContext, institution: InspectedInstitution, labels = true) {
  const { campaign, jurisdiction } = ctx;
  // Institutions loaded before units were recorded fall back to the first unit, so nobody goes unreminded.
  const unit = ctx.responsibleUnits.find((u) => u.id === institution.responsibleUnitId) ?? ctx.responsibleUnits[0];
  const leader = ctx.leaders.find((l) => l.id === unit.leaderId)!;
  const dueAt = new Date(campaign.dueAt);
  const input: InspectionInput = {
    jurisdiction,
    campaign: { id: campaign.id, kind: campaign.kind, title: campaign.title, year: campaign.year },
    institution: {
      id: institution.id,
      name: institution.name,
      kind: institution.kind,
      contacts: contactPersons(institution),
    },
    inspectorPool: ctx.inspectorPool,
    teamSize: ctx.teamSize,
    drawSeed: ctx.drawSeed,
    announced: campaign.announced,
    dueAt: campaign.dueAt,
    reminders: ctx.reminders,
    lateWindowDays: ctx.lateWindowDays,
    responsibleUnit: { id: unit.id, name: unit.name, email: unit.email },
    leader: { id: leader.id, name: leader.name, email: leader.email },
    ...(ctx.reportToParent ? {} : { reportToParent: false }),
    ...(ctx.creditRules && { creditRules: ctx.creditRules }),
    cases: ctx.cases,
  };
  return {
    workflowId: inspectionWorkflowId(campaign.id, institution.id),
    ...ONE_RUN_PER_KEY,
    args: [input] as [InspectionInput],
    staticSummary: `${campaign.year}年 ${jurisdiction.name} ${campaign.title}：${institution.name}`,
    staticDetails: `期限 ${formatLocal(dueAt, jurisdiction.timeZone)}；${campaign.announced ? '提前告知' : '不预先通知（四不两直）'}`,
    typedSearchAttributes: searchAttributes({
      jurisdiction: jurisdiction.code,
      campaignId: campaign.id,
      campaignKind: campaign.kind,
      year: campaign.year,
      institutionId: institution.id,
      institutionKind: institution.kind,
      stage: 'assigned',
      dueAt,
      overdue: false,
      ...(labels && { institutionName: institution.name, stageLabel: STAGE_LABELS.assigned }),
    }),
  };
}
