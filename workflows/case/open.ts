// Opening a violation case (DESIGN §5: "violation → open a case"), from an inspection's findings or a verified clue.
// A case outlives what opened it, so it is a workflow of its own, started once per origin (its id is a business key).
import { workflowInfo } from '@temporalio/workflow';
import { formatLocal } from '../../domain/calendar';
import { caseNoFor, caseWorkflowId } from '../../domain/business-keys';
import { caseDeadline } from '../../domain/case-deadlines';
import { runActivity } from '../activities';
import { type CaseInput } from './api';
import { CaseContext, CaseOrigin } from './context';

/** What a case is opened on: everything of its input but what the jurisdiction's cases share. */
export type CaseOpening = Omit<CaseInput, keyof CaseContext> & {
  institution: CaseInput['institution'] & { kind: 'hospital' | 'pharmacy' };
  /** The campaign's id for the search attributes (a clue's case has none: the clue's id stands in). */
  campaignId: string;
  /** Where it came from, for the Web UI's details. */
  originText: string;
};

/**
 * Starts the case from an activity rather than as a child: a case outlives its origin (and the test server stops its
 * clock when an abandoned child of a closed parent completes). Leadership gets from the origin to its case by the ids
 * (`caseId` in the origin's status and the ledger) and the shared search attributes. Resolves to the case's id.
 */
export async function startCase(context: CaseContext, opening: CaseOpening): Promise<string> {
  const { campaignId, originText, ...fields } = opening;
  const { jurisdiction, institution, caseNo } = fields;
  const workflowId = caseWorkflowId(jurisdiction.code, caseNo);
  const input: CaseInput = {
    ...fields,
    institution: { id: institution.id, name: institution.name, contacts: institution.contacts },
    ...context,
  };
  // The case computes the same deadline by the same rule (domain/case-deadlines.ts).
  const due = caseDeadline('rectification', new Date(), context.rules, jurisdiction.timeZone);
  await runActivity('startCase', `立案：${caseNo}`, {
    workflowId,
    input,
    staticSummary: `案件 ${caseNo}：${institution.name}`,
    staticDetails: `来源：${originText}；整改期限 ${formatLocal(due, jurisdiction.timeZone)}`,
    searchAttributes: {
      campaignId,
      year: fields.year,
      institutionId: institution.id,
      institutionKind: institution.kind,
      dueAt: due.toISOString(),
    },
  });
  return workflowId;
}

/** The case of an inspection's violations. */
export function openCase(context: CaseContext, origin: CaseOrigin): Promise<string> {
  const { jurisdiction, campaign, institution } = origin;
  const inspectionId = workflowInfo().workflowId;
  return startCase(context, {
    jurisdiction,
    caseNo: caseNoFor(campaign.id, institution.id),
    year: campaign.year,
    institution,
    source: { inspectionId, campaignId: campaign.id, origin: campaign.title, recordedBy: origin.recordedBy, team: origin.team },
    items: origin.items,
    responsibleUnit: origin.responsibleUnit,
    leader: origin.leader,
    campaignId: campaign.id,
    originText: `${campaign.year}年 ${campaign.title}`,
  });
}
