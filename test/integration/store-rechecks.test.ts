// The ledger's re-checks (migration 0017) on both backends: the pool of the year's finished inspections (each
// institution's first with findings, re-checks left out, other years and jurisdictions too), the draw and the summary
// recorded once with their audit entries, and a re-check claimed as a further on-site inspection with reason 'recheck'.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECHECK_THIRDS, recheckDrawRecord, summarizeRecheck } from '../../domain/recheck';
import type { SqlStore } from '../../records/store';
import type { AuditEntry, InspectionRecord } from '../../records/types';
import { BACKENDS } from '../helpers/db';
import { useIsolatedStore } from '../helpers/store-fixture';

const J = 'recheck-j';
const audit = (key: string): AuditEntry => ({
  key,
  actor: 'system',
  action: 'test',
  subjectType: 'campaign',
  subjectId: 'r1',
  reason: '测试',
  detail: {},
  at: '2027-10-01T01:00:00.000Z',
});
const campaign = (id: string, kind: string, year: number, jurisdiction = J) => ({
  id,
  jurisdiction,
  kind,
  title: id,
  year,
  startsAt: `${year}-01-01T00:00:00.000Z`,
  dueAt: `${year}-09-30T15:59:00.000Z`,
  drawSeed: 'seed',
});
const row = (campaignId: string, institutionId: string): InspectionRecord => ({
  id: `inspection:${campaignId}:${institutionId}`,
  campaignId,
  institutionId,
  team: ['I1', 'I2'],
  drawSeed: 'seed',
  announced: false,
  stage: 'compliant',
  dueAt: '2027-09-30T15:59:00.000Z',
  rectificationDueAt: null,
  updatedAt: '2027-06-01T00:00:00.000Z',
});
/** Findings of `campaignId`'s inspection of `institutionId` on `day`, with `fen` of fund loss (0: none found). */
async function finding(store: SqlStore, campaignId: string, institutionId: string, day: string, fen: number) {
  const r = row(campaignId, institutionId);
  await store.saveFindings(
    {
      inspectionId: r.id,
      inspectorId: 'I1',
      inspectedAt: `2027-${day}T02:00:00.000Z`,
      violation: fen > 0,
      items: fen > 0 ? [{ category: '违规收费', description: '重复收费', amountFen: fen }] : [],
      note: '',
      recordedAt: `2027-${day}T03:00:00.000Z`,
    },
    r,
    audit(`f:${r.id}`),
  );
}

describe.each(BACKENDS)('re-checks on %s', (backend) => {
  let store: SqlStore;
  useIsolatedStore(backend, async (opened) => {
    store = opened;
    await store.upsertInstitutions(
      ['H1', 'H2', 'H3', 'P1'].map((id) => ({
        jurisdiction: J,
        id,
        name: `机构${id}`,
        kind: id.startsWith('H') ? ('hospital' as const) : ('pharmacy' as const),
        level: null,
        ownership: id === 'H2' ? ('private' as const) : ('public' as const),
        district: id === 'H2' ? '城南' : '城关',
        responsibleUnitId: 'u1',
      })),
    );
    for (const c of [campaign('cov', 'coverage', 2027), campaign('special-x', 'special', 2027), campaign('old', 'coverage', 2026)])
      await store.ensureCampaign(c);
    await store.ensureCampaign(campaign('r1', 'recheck', 2027));
    await finding(store, 'cov', 'H1', '05-01', 50_000);
    await finding(store, 'special-x', 'H1', '08-01', 0); // a later inspection of H1: the pool keeps the first
    await finding(store, 'cov', 'H2', '05-02', 0);
    await finding(store, 'old', 'H3', '05-03', 1_000); // last year's: not in the pool
    await finding(store, 'r1', 'P1', '09-01', 0); // a re-check's own: not in the pool
    await store.recordCampaignFile(
      {
        campaignId: 'r1',
        jurisdiction: J,
        kind: 'recheck',
        title: '抽查复查',
        year: 2027,
        definition: { id: 'r1' },
        phases: [{ name: '抽查复查', startsOn: '2027-10-01', endsOn: '2027-10-31' }],
        tasks: [],
        recordedAt: '2027-09-30T02:00:00.000Z',
      },
      audit('r1:recorded'),
    );
  });

  it('pools each institution’s first finished inspection of the year, re-checks and other years left out', async () => {
    expect(await store.recheckPool(J, 2027)).toEqual([
      {
        institutionId: 'H1',
        kind: 'hospital',
        ownership: 'public',
        district: '城关',
        inspectionId: 'inspection:cov:H1',
        violation: true,
        amountFen: 50_000,
      },
      {
        institutionId: 'H2',
        kind: 'hospital',
        ownership: 'private',
        district: '城南',
        inspectionId: 'inspection:cov:H2',
        violation: false,
        amountFen: 0,
      },
    ]);
    expect(await store.recheckPool('elsewhere', 2027)).toEqual([]);
  });

  it('records the draw and the summary once each, with their audit entries', async () => {
    const rules = { year: 2027, minimum: { hospital: 10, pharmacy: 20 }, thirds: [...DEFAULT_RECHECK_THIRDS] };
    const draw = recheckDrawRecord('r1', 'seed-a', await store.recheckPool(J, 2027), rules);
    expect(draw.short).toEqual([
      { kind: 'hospital', minimum: 10, pool: 2 },
      { kind: 'pharmacy', minimum: 20, pool: 0 },
    ]);
    expect(await store.recordRecheckDraw(draw, '2027-10-01T01:00:00.000Z', audit('r1:drawn'))).toEqual(draw);
    const other = recheckDrawRecord('r1', 'seed-b', [], rules);
    expect(await store.recordRecheckDraw(other, '2027-10-02T01:00:00.000Z', audit('r1:drawn-again'))).toEqual(draw);
    expect(await store.getRecheckDraw('r1')).toEqual(draw);

    const summary = summarizeRecheck(
      draw.picks.map((p) => ({
        institutionId: p.institutionId,
        third: p.third,
        districtInspectionId: p.inspectionId,
        district: { violation: false, amountFen: 0 },
        recheck: null,
      })),
    );
    expect(await store.recordRecheckSummary('r1', summary, '2027-11-01T01:00:00.000Z', audit('r1:compared'))).toEqual(summary);
    const later = { ...summary, agreements: 99 };
    expect(await store.recordRecheckSummary('r1', later, '2027-11-02T01:00:00.000Z', audit('r1:compared-again'))).toEqual(summary);
    expect((await store.getRecheckSummary('r1'))?.recordedAt).toBe('2027-11-01T01:00:00.000Z');
    expect((await store.listAudit('r1')).map((a) => a.key).filter((k) => k.startsWith('r1:'))).toEqual([
      'r1:recorded',
      'r1:drawn',
      'r1:compared',
    ]);
  });

  it('allows a re-check as a further on-site inspection of the year only with its reference', async () => {
    const first = { jurisdiction: J, institutionId: 'H1', year: 2027 };
    expect((await store.claimOnSiteInspection({ ...first, inspectionId: 'inspection:cov:H1' })).allowed).toBe(true);
    expect((await store.claimOnSiteInspection({ ...first, inspectionId: 'inspection:r1:H1' })).allowed).toBe(false);
    const claim = await store.claimOnSiteInspection({ ...first, inspectionId: 'inspection:r1:H1', reason: 'recheck', reference: 'r1' });
    expect(claim).toEqual({ allowed: true, inspections: ['inspection:cov:H1', 'inspection:r1:H1'] });
    expect((await store.listOnSiteInspections(J, 'H1', 2027))[1]).toMatchObject({ reason: 'recheck', reference: 'r1' });
    await expect(
      store.claimOnSiteInspection({ ...first, institutionId: 'H2', inspectionId: 'inspection:r1:H2', reason: 'recheck' }),
    ).rejects.toThrow(/onsite_inspections_recheck_reference/);
  });
});
