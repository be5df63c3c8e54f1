// The visit's claim of the year's on-site inspection (DESIGN §2, domain/onsite.ts). An inspection a campaign started
// with `claimOnSiteAtVisit` claims it when its findings come, right before they are recorded. Refused means another
// inspection visited first (an unannounced flying check, which claims at its start): the year's one on-site inspection
// has been had, so this one ends as covered by it: the findings are not recorded, no case or credit grade follows, the
// audit trail names the inspections that covered it, and its campaign counts it covered (a final stage, not uninspected).
// Inspections recorded before this (test/replay/) claimed at their start and record their findings as they did.
import { patched } from '@temporalio/workflow';
import { coveredReason, visitOutcome } from '../../domain/onsite';
import { runActivity } from '../activities';
import type { InspectionState } from './state';
import { enterStage } from './steps';

export const ONSITE_CLAIM_AT_VISIT_PATCH = 'onsite-claim-at-visit';

/** True when the inspection ended as covered by another visit; false when its findings go on to be recorded. */
export async function coveredByAnotherVisit(s: InspectionState): Promise<boolean> {
  const { input, workflowId } = s;
  // Asked first, so that an inspection recorded before the patch replays on its old side whatever its input.
  if (!patched(ONSITE_CLAIM_AT_VISIT_PATCH) || !input.claimOnSiteAtVisit) return false;
  const claim = await runActivity('claimOnSiteVisit', '登记本年现场检查', {
    jurisdiction: input.jurisdiction.code,
    institutionId: input.institution.id,
    year: input.campaign.year,
    inspectionId: workflowId,
  });
  const outcome = visitOutcome(claim, workflowId);
  if (!outcome.covered) return false;
  s.status.coveredBy = outcome.by;
  await enterStage(s, 'covered', 'onsite-covered', coveredReason(input.campaign.year, outcome.by), {
    actor: s.status.findings!.inspectorId,
    detail: { coveredBy: outcome.by, refusedFindings: refusedFindingsSummary(s) },
  });
  return true;
}

/** What the audit trail keeps of findings not recorded: whether they found violations and how many items, no text. */
function refusedFindingsSummary(s: InspectionState) {
  const { inspectedAt, violation, items } = s.status.findings!;
  return { inspectedAt, violation, items: items.length };
}
