// Records seeded straight into the ledger, as the workflows (or the plan's loading) would have left them.
import type { CaseRecord, InstitutionRecord } from '../../records/types';

/** The sample plan's first hospital as the ledger holds it, with `over` changed. */
export const ledgerInstitution = (over: Partial<InstitutionRecord> = {}): InstitutionRecord => ({
  jurisdiction: '349901',
  id: 'H001',
  name: '清溪区人民医院',
  kind: 'hospital',
  level: 'III',
  ownership: 'public',
  district: '城关街道',
  responsibleUnitId: 'fund-supervision',
  ...over,
});

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
