// The ledger's special campaigns (migration 0015) on both backends: a self-check report recorded once (the first stays)
// with its refund in fen and its audit entry in one transaction; the missing and late targets; the standings with the
// data's estimates; the investigation's selection and the summary's figures recorded once.
import { describe, expect, it } from 'vitest';
import { selectForInvestigation, DEFAULT_INVESTIGATION_RULES } from '../../domain/self-check';
import type { SqlStore } from '../../records/store';
import type { AuditEntry, SelfCheckRecord } from '../../records/types';
import { BACKENDS } from '../helpers/db';
import { useIsolatedStore } from '../helpers/store-fixture';

const J = 'special-j';
const C = 's1';
const audit = (key: string): AuditEntry => ({
  key,
  actor: 'system',
  action: 'test',
  subjectType: 'campaign',
  subjectId: C,
  reason: '测试',
  detail: {},
  at: '2027-07-01T01:00:00.000Z',
});
const report = (institutionId: string, late: boolean, refundedFen: number): SelfCheckRecord => ({
  campaignId: C,
  institutionId,
  submittedAt: '2027-07-10T02:00:00.000Z',
  late,
  refundedFen,
  report: { submittedBy: '甲', items: [], measures: [], note: '' },
});

describe.each(BACKENDS)('special campaigns on %s', (backend) => {
  let store: SqlStore;
  useIsolatedStore(backend, async (opened) => {
    store = opened;
    await store.upsertInstitutions(
      ['H1', 'H2', 'H3', 'H4'].map((id) => ({
        jurisdiction: J,
        id,
        name: `机构${id}`,
        kind: 'hospital' as const,
        level: null,
        ownership: 'public' as const,
        district: '城关',
        responsibleUnitId: 'u1',
      })),
    );
    const campaign = { jurisdiction: J, kind: 'special', title: '专项整治', year: 2027, startsAt: '2027-07-01T00:00:00.000Z' };
    await store.ensureCampaign({ ...campaign, id: C, dueAt: '2027-07-31T15:59:00.000Z', drawSeed: 'seed' });
    await store.addCampaignMembers(C, J, ['H1', 'H2', 'H3', 'H4']);
    await store.ensureCampaign({ ...campaign, id: `${C}-inspection`, dueAt: '2027-10-31T15:59:00.000Z', drawSeed: 'seed' });
  });

  it('records a report once, with its refund and audit entry, and lists the missing and the late', async () => {
    expect(await store.recordSelfCheck(report('H1', false, 120_000), audit('H1:recorded'))).toEqual(report('H1', false, 120_000));
    expect(await store.recordSelfCheck(report('H1', true, 1), audit('H1:again'))).toEqual(report('H1', false, 120_000));
    await store.recordSelfCheck(report('H2', true, 500_000_000_000), audit('H2:recorded'));
    expect(await store.listAudit(C)).toHaveLength(2);
    expect((await store.listSelfChecks(C, 'missing')).map((m) => m.institutionId)).toEqual(['H3', 'H4']);
    expect(await store.listSelfChecks(C, 'late')).toEqual([{ institutionId: 'H2', name: '机构H2', responsibleUnitId: 'u1' }]);
  });

  it('reads the standings with the data’s estimates (the first recorded stays)', async () => {
    await store.recordSelfCheckEstimates(C, [{ institutionId: 'H1', estimateFen: 1_000_000, source: '测算' }]);
    await store.recordSelfCheckEstimates(C, [{ institutionId: 'H1', estimateFen: 1, source: '再测算' }]);
    expect(await store.selfCheckStandings(C)).toEqual([
      { institutionId: 'H1', submitted: true, refundedFen: 120_000, estimateFen: 1_000_000 },
      { institutionId: 'H2', submitted: true, refundedFen: 500_000_000_000, estimateFen: null },
      { institutionId: 'H3', submitted: false, refundedFen: 0, estimateFen: null },
      { institutionId: 'H4', submitted: false, refundedFen: 0, estimateFen: null },
    ]);
  });

  it('records the selection and the summary once, and counts the figures', async () => {
    const candidates = (await store.selfCheckStandings(C)).map((s) => ({ ...s, id: s.institutionId, riskSignals: 0, creditGrade: null }));
    const selection = selectForInvestigation('seed:investigation', candidates, DEFAULT_INVESTIGATION_RULES);
    expect(await store.recordInvestigation(C, selection, '2027-08-01T00:00:00.000Z', audit('selected'))).toEqual(selection);
    const other = selectForInvestigation('other', candidates, { ...DEFAULT_INVESTIGATION_RULES, randomPercent: 100 });
    expect(await store.recordInvestigation(C, other, '2027-08-02T00:00:00.000Z', audit('selected-again'))).toEqual(selection);
    const figures = await store.specialFigures(C, `${C}-inspection`);
    expect(figures).toEqual({
      targets: 4,
      submittedOnTime: 1,
      submittedLate: 1,
      missing: 2,
      refundedFen: 500_000_120_000,
      selected: selection.targets.length,
      inspections: 0,
      violations: 0,
      cases: 0,
      typicalCases: 0,
      rules: [],
    });
    expect(await store.recordSpecialSummary(C, figures, '2027-12-15T08:00:00.000Z', audit('summary'))).toEqual(figures);
    expect(await store.recordSpecialSummary(C, { ...figures, targets: 9 }, '2027-12-16T08:00:00.000Z', audit('summary-again'))).toEqual(
      figures,
    );
    expect((await store.getSpecialSummary(C))?.recordedAt).toBe('2027-12-15T08:00:00.000Z');
    expect((await store.listAudit(C)).map((a) => a.key)).toEqual(['H1:recorded', 'H2:recorded', 'selected', 'summary']);
  });
});
