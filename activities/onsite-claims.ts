// On-site inspections a rule allows beyond the year's first (DESIGN §2: one a year unless a clue or a data lead calls
// for another): a look-back following findings, a flying check a clue ordered, the city's re-check of a district's
// inspection. Shared by the flying checks (./flying.ts) and the fan-out (./fan-out.ts).
import type { AuditLedger, ExtraInspectionReason, InspectionLedger, OnSiteClaim } from '../records/types';

export interface FurtherClaim {
  jurisdiction: string;
  year: number;
  institutionId: string;
  inspectionId: string;
  reason: Exclude<ExtraInspectionReason, 'data-lead'>;
  reference: string;
  at: string;
}

/**
 * Records the inspection with its reason and reference; when it is a further one of the year, the audit trail says
 * so with `why`.
 */
export async function claimFurtherInspection(
  { inspections, audit }: { inspections: InspectionLedger; audit: AuditLedger },
  args: FurtherClaim,
  why: string,
): Promise<OnSiteClaim> {
  const { jurisdiction, institutionId, year, inspectionId, reason, reference } = args;
  const claim = await inspections.claimOnSiteInspection({ jurisdiction, institutionId, year, inspectionId, reason, reference });
  const others = claim.inspections.filter((id) => id !== inspectionId);
  if (others.length > 0) {
    await audit.appendAudit({
      key: `${inspectionId}:onsite-extra`,
      actor: 'system',
      action: 'onsite-extra',
      subjectType: 'institution',
      subjectId: institutionId,
      reason: `${year}年已进行现场检查（${others.join('、')}），${why}，再次现场检查`,
      detail: { inspectionId, reason, references: [reference], inspections: claim.inspections },
      at: args.at,
    });
  }
  return claim;
}
