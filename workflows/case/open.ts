// Opening a violation case from an inspection (DESIGN §5: "violation → open a case"). A case outlives its inspection,
// its campaign and its year, so it is a workflow of its own, started once per inspection (its id is a business key).
import { workflowInfo } from '@temporalio/workflow';
import { formatLocal } from '../../domain/calendar';
import { caseNoFor, caseWorkflowId } from '../../domain/business-keys';
import { caseDeadline } from '../../domain/case-deadlines';
import { runActivity } from '../activities';
import { type CaseInput } from './api';
import { CaseContext, CaseOrigin } from './context';

/**
 * Starts the case of an inspection's violations, from an activity rather than as a child: a case outlives its
 * inspection (and the test server stops its clock when an abandoned child of a closed parent completes). Leadership gets
 * from the inspection to its case by the ids (`caseId` in the inspection's status and the ledger) and the shared
 * search attributes (CampaignId, InstitutionId). Resolves to the case's workflow id once it runs.
 */
export async function openCase(context: CaseContext, origin: CaseOrigin): Promise<string> {
  const { jurisdiction, campaign, institution } = origin;
  const caseNo = caseNoFor(campaign.id, institution.id);
  const workflowId = caseWorkflowId(jurisdiction.code, caseNo);
  const inspectionId = workflowInfo().workflowId;
  const input: CaseInput = {
    jurisdiction,
    caseNo,
    year: campaign.year,
    institution: { id: institution.id, name: institution.name, contacts: institution.contacts },
    source: { inspectionId, campaignId: campaign.id, origin: campaign.title, recordedBy: origin.recordedBy, team: origin.team },
    items: origin.items,
    responsibleUnit: origin.responsibleUnit,
    leader: origin.leader,
    ...context,
  };
  // The case computes the same deadline by the same rule (domain/case-deadlines.ts).
  const due = caseDeadline('rectification', new Date(), context.rules, jurisdiction.timeZone);
  await runActivity('startCase', `立案：${caseNo}`, {
    workflowId,
    input,
    staticSummary: `案件 ${caseNo}：${institution.name}`,
    staticDetails: `来源：${campaign.year}年 ${campaign.title}（${inspectionId}）；整改期限 ${formatLocal(due, jurisdiction.timeZone)}`,
    searchAttributes: {
      campaignId: campaign.id,
      year: campaign.year,
      institutionId: institution.id,
      institutionKind: institution.kind,
      dueAt: due.toISOString(),
    },
  });
  return workflowId;
}
