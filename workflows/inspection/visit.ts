// The year's on-site inspection and a campaign's inspection (DESIGN §2, domain/onsite.ts). An inspection a campaign
// started with `claimOnSiteAtVisit` claims it at its visit: when its findings come, right before they are recorded.
// Another inspection may have had it first (an unannounced flying check, which claims at its start): the year's one
// on-site inspection has been had, so this one ends as covered by it instead of leading to a second visit:
// - while it waits for its team, at each reminder and at its deadlines it looks for another visit whose findings are
//   recorded; found, its team is told the visit is called off and it ends covered (never earlier: until the other
//   visit's findings are in, telling this team could warn the institution of an unannounced visit);
// - when its team's findings come first, their claim is refused: it ends covered, the findings not recorded (no case,
//   no credit grade: the other visit's findings count), the audit trail keeping only whether they found violations.
// Either way the audit trail names the covering inspections and its campaign counts it covered (a final stage).
// Inspections recorded before this (test/replay/) claimed at their start and run as they did.
import { patched } from '@temporalio/workflow';
import * as messages from '../../domain/inspection-messages';
import { coveredReason, visitOutcome } from '../../domain/onsite';
import { runActivity } from '../activities';
import type { InspectionState } from './state';
import { enterStage, notify } from './steps';

export const ONSITE_CLAIM_AT_VISIT_PATCH = 'onsite-claim-at-visit';

/** Whether this inspection claims at its visit. Asked first, so that one recorded before replays on its old side. */
const claimsAtVisit = (s: InspectionState): boolean => patched(ONSITE_CLAIM_AT_VISIT_PATCH) && s.input.claimOnSiteAtVisit === true;

const yearOf = (s: InspectionState) => ({
  jurisdiction: s.input.jurisdiction.code,
  institutionId: s.input.institution.id,
  year: s.input.campaign.year,
  inspectionId: s.workflowId,
});

/**
 * While waiting for the team: true when another visit of the year is over, which covers this inspection (`coveredBy`
 * set: the wait for findings ends, and the run ends it covered).
 */
export async function coveredMeanwhile(s: InspectionState): Promise<boolean> {
  if (!claimsAtVisit(s)) return false;
  const by = await runActivity('recordedVisitsOfYear', '查询本年现场检查', yearOf(s));
  if (by.length === 0) return false;
  s.status.coveredBy = by;
  return true;
}

/** Once the wait is over: true when the inspection ended covered by another visit; false when its findings go on. */
export async function coveredByAnotherVisit(s: InspectionState): Promise<boolean> {
  if (s.status.coveredBy) {
    await endCovered(s, s.status.coveredBy, false);
    await notify(s, 'covered', s.teamMembers, messages.coveredMessage(s.facts, s.input.campaign.year));
    return true;
  }
  if (!claimsAtVisit(s)) return false;
  const outcome = visitOutcome(await runActivity('claimOnSiteVisit', '登记本年现场检查', yearOf(s)), s.workflowId);
  if (!outcome.covered) return false;
  s.status.coveredBy = outcome.by;
  await endCovered(s, outcome.by, true);
  return true;
}

async function endCovered(s: InspectionState, by: string[], findingsRefused: boolean): Promise<void> {
  const findings = findingsRefused ? s.status.findings! : undefined;
  await enterStage(s, 'covered', 'onsite-covered', coveredReason(s.input.campaign.year, by, findingsRefused), {
    ...(findings && { actor: findings.inspectorId }),
    // What the audit trail keeps of findings not recorded: whether they found violations and how many items, no text.
    detail: {
      coveredBy: by,
      ...(findings && {
        refusedFindings: { inspectedAt: findings.inspectedAt, violation: findings.violation, items: findings.items.length },
      }),
    },
  });
}
