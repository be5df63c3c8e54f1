// The one-on-site-inspection-a-year rule (DESIGN §2) for the inspections of campaigns (full coverage, targeted and
// special campaigns): the year's on-site inspection is the VISIT, so an inspection claims it when its findings are
// recorded, not when it is started. Starting it only assigns a team; until its team visits, the institution stays in
// the flying checks' random pool, and an unannounced flying check that gets there first has the year's inspection:
// the campaign's inspection then ends as covered by it, rather than visiting a second time: as soon as it learns of
// that visit (at its next reminder or deadline, once the visit's findings are recorded), or at the latest when its
// own findings come and their claim is refused.
// Pure: the ledger's claims in (inspection ids, in the order claimed), the decision and the audit texts out.

/** The ledger's answer to a claim of the year's on-site inspection (records/ledger/inspections.ts OnSiteClaim). */
export interface OnSiteClaimAnswer {
  allowed: boolean;
  /** The year's on-site inspections of the institution, in the order claimed. */
  inspections: string[];
}

/** The inspections other than `inspectionId` that visited the institution this year. */
export function visitedBy(claimed: readonly string[], inspectionId: string): string[] {
  return claimed.filter((id) => id !== inspectionId);
}

/**
 * Whether a campaign's inspection may be started: not when another inspection has visited the institution this year
 * (its own claim, on a retried start after its visit, does not count).
 */
export function mayStartInspection(claimed: readonly string[], inspectionId: string): boolean {
  return visitedBy(claimed, inspectionId).length === 0;
}

/** What a visit's claim means for the inspection: its visit is the year's on-site inspection, or others had it. */
export type VisitOutcome = { covered: false } | { covered: true; by: string[] };

export function visitOutcome(claim: OnSiteClaimAnswer, inspectionId: string): VisitOutcome {
  return claim.allowed ? { covered: false } : { covered: true, by: visitedBy(claim.inspections, inspectionId) };
}

/** The audit trail's reason for a campaign inspection not started: the institution was visited this year already. */
export function notStartedReason(year: number, visited: readonly string[]): string {
  return `${year}年已进行现场检查（${visited.join('、')}），无线索或数据疑点，不再重复检查`;
}

/** One of the institution's on-site inspections of the year, and whether its visit's findings are recorded. */
export interface ClaimedVisit {
  inspectionId: string;
  findingsRecorded: boolean;
}

/**
 * The other inspections whose visit is over (findings recorded): an inspection still waiting for its team is covered
 * by them. A claim alone is not enough: a flying check claims at its start, and until its findings are in, telling
 * another team of it could warn the institution of an unannounced visit (四不两直).
 */
export function recordedVisitsBy(claims: readonly ClaimedVisit[], inspectionId: string): string[] {
  return claims.filter((c) => c.inspectionId !== inspectionId && c.findingsRecorded).map((c) => c.inspectionId);
}

/**
 * The audit trail's reason for an inspection ended as covered: another visit had the year's on-site inspection, found
 * while the inspection waited for its team, or when the team's findings came (`findingsRefused`).
 */
export function coveredReason(year: number, by: readonly string[], findingsRefused: boolean): string {
  const refused = findingsRefused ? '，检查组提交的结果不予记录' : '';
  return `${year}年已由其他检查进行现场检查（${by.join('、')}），本检查不再重复现场检查${refused}，按已覆盖办结`;
}
