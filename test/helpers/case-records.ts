// Case records seeded straight into the ledger, as the case workflow would have left them.
import type { CaseRecord } from '../../records/types';

/**
 * A case of `year`'s coverage campaign (`{jurisdiction}-coverage-{year}`) at `institutionId`: still open and
 * rectifying, opened 10 May, due 9 June, a 3,000-yuan fund loss, nothing fined or paid. `overrides` changes any field.
 */
export function lastYearsCase(
  of: { jurisdiction: string; year: number; institutionId: string; updatedAt: string },
  overrides: Partial<CaseRecord> = {},
): CaseRecord {
  const { jurisdiction, year, institutionId, updatedAt } = of;
  const campaign = `${jurisdiction}-coverage-${year}`;
  const caseNo = `${campaign}.${institutionId}`;
  return {
    id: `case:${jurisdiction}:${caseNo}`,
    jurisdiction,
    caseNo,
    year,
    institutionId,
    inspectionId: `inspection:${campaign}:${institutionId}`,
    campaignId: campaign,
    stage: 'rectifying',
    overdue: false,
    open: true,
    openedAt: `${year}-05-10T02:00:00.000Z`,
    dueAt: `${year}-06-09T15:59:00.000Z`,
    lossFen: 300_000,
    fineFen: 0,
    paidFen: 0,
    outcome: null,
    updatedAt,
    ...overrides,
  };
}
