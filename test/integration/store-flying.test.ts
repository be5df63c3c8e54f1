// The record system's flying-check part (migration 0007) against both backends: on-site claims with reason and
// reference, risk signals imported by reference, the eligible pool, the recorded draw (first writer wins) and its
// targets; and the activities' cores over it: starting a page of targets under the one-a-year rule, following up.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { flyingDrawRecord } from '../../domain/flying-draw';
import {
  createFlyingActivities,
  followUpTargets,
  startFlyingTargetPage,
  type StartFlyingTargetsInput,
  type StartWorkflow,
} from '../../activities/flying';
import { ledgerAreas } from '../helpers/ledger-areas';
import { DEFAULT_RISK_WEIGHTS } from '../../domain/flying';
import { openStore, type SqlStore, type StoreOptions } from '../../records/store';
import type { AuditEntry, InstitutionRecord } from '../../records/types';
import type { InspectionContext } from '../../workflows/inspection/start';
import { BACKENDS, isolatedStoreOptions } from '../helpers/db';
import { caseContext } from '../helpers/inspection-input';

const J = 'flying-j';
const YEAR = 2027;
const CAMPAIGN = `${J}-flying-${YEAR}`;
const COVERAGE = (id: string) => `inspection:${J}-coverage-${YEAR}:${id}`;

const institution = (id: string): InstitutionRecord => ({
  jurisdiction: J,
  id,
  name: `机构${id}`,
  kind: id.startsWith('H') ? 'hospital' : 'pharmacy',
  level: null,
  ownership: 'private',
  district: '城关街道',
  responsibleUnitId: 'unit-1',
  contacts: [{ name: `联系人${id}`, email: `${id.toLowerCase()}@example.org` }],
});

const audit = (key: string, subjectId: string): AuditEntry => ({
  key,
  actor: 'system',
  action: 'test',
  subjectType: 'campaign',
  subjectId,
  reason: '测试',
  detail: {},
  at: '2027-07-01T01:00:00.000Z',
});

const context: StartFlyingTargetsInput['context'] = {
  jurisdiction: { code: J, name: '测试区', timeZone: 'Asia/Shanghai' },
  campaign: { id: CAMPAIGN, kind: 'flying', title: '2027年飞行检查', year: YEAR, dueAt: '2027-07-31T15:59:00.000Z', announced: false },
  inspectorPool: [
    { id: 'i1', name: '甲', email: 'i1@example.org', conflicts: [] },
    { id: 'i2', name: '乙', email: 'i2@example.org', conflicts: [] },
  ],
  teamSize: 2,
  drawSeed: 'seed',
  reminders: { offsetsDays: [7, 1], timeOfDay: '09:00' },
  lateWindowDays: 30,
  responsibleUnits: [{ id: 'unit-1', name: '监管股', email: 'unit@example.org', leaderId: 'L1' }],
  leaders: [{ id: 'L1', name: '局长', email: 'l1@example.org' }],
  cases: caseContext(),
} satisfies Omit<InspectionContext, 'reportToParent'>;

describe.each(BACKENDS)('record store flying checks (0007) on %s', (backend) => {
  let options: StoreOptions;
  let cleanup: (() => Promise<void>) | undefined;
  let store: SqlStore;
  let setupError: unknown;

  beforeAll(async () => {
    try {
      ({ options, cleanup } = await isolatedStoreOptions(backend));
      store = await openStore(options);
      await store.upsertInstitutions(['H001', 'H002', 'H003', 'H004', 'P001', 'P002'].map(institution));
      await store.ensureCampaign({
        id: CAMPAIGN,
        jurisdiction: J,
        kind: 'flying',
        title: '2027年飞行检查',
        year: YEAR,
        startsAt: '2027-07-01T01:00:00.000Z',
        dueAt: '2027-07-31T15:59:00.000Z',
        drawSeed: 'seed',
      });
    } catch (err) {
      setupError = err;
    }
  });
  beforeEach(() => {
    if (setupError) throw setupError;
  });
  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });

  it('records a further on-site inspection with its reason and reference; the reasonless claim is unchanged', async () => {
    const base = { jurisdiction: J, institutionId: 'C001', year: YEAR };
    expect(await store.claimOnSiteInspection({ ...base, inspectionId: 'c-1' })).toEqual({ allowed: true, inspections: ['c-1'] });
    expect(await store.claimOnSiteInspection({ ...base, inspectionId: 'c-2' })).toEqual({ allowed: false, inspections: ['c-1'] });
    expect(await store.claimOnSiteInspection({ ...base, inspectionId: 'c-2', reason: 'clue', reference: 'JB-1, JB-2' })).toEqual({
      allowed: true,
      inspections: ['c-1', 'c-2'],
    });
    expect(await store.claimOnSiteInspection({ ...base, inspectionId: 'c-3', reason: 'look-back', reference: 'c-2' })).toEqual({
      allowed: true,
      inspections: ['c-1', 'c-2', 'c-3'],
    });
    expect(
      (await store.listOnSiteInspections(J, 'C001', YEAR)).map(({ inspectionId, reason, reference }) => ({
        inspectionId,
        reason,
        reference,
      })),
    ).toEqual([
      { inspectionId: 'c-1', reason: null, reference: null },
      { inspectionId: 'c-2', reason: 'clue', reference: 'JB-1, JB-2' },
      { inspectionId: 'c-3', reason: 'look-back', reference: 'c-2' },
    ]);
    // A look-back must say whose findings it follows.
    await expect(store.claimOnSiteInspection({ ...base, inspectionId: 'c-4', reason: 'look-back' })).rejects.toThrow();
    expect(await store.listOnSiteInspections(J, 'C001', YEAR)).toHaveLength(3);
  });

  it('imports risk signals idempotently by reference, and nothing at all when one conflicts', async () => {
    const item = (reference: string, institutionId: string, kind: 'clue' | 'data-anomaly', date: string) => ({
      jurisdiction: J,
      reference,
      institutionId,
      kind,
      date,
      note: '',
    });
    const first = [
      item('JB-2027-01', 'H002', 'clue', '2027-03-01'),
      item('YD-2027-01', 'P001', 'data-anomaly', '2027-04-01'),
      item('YD-2026-99', 'P001', 'data-anomaly', '2026-12-30'),
    ];
    expect(await store.importRiskSignals(first)).toEqual({
      inserted: ['JB-2027-01', 'YD-2027-01', 'YD-2026-99'],
      unchanged: [],
      conflicts: [],
    });
    expect(await store.importRiskSignals([{ ...first[0], note: '改过的备注' }, first[1]])).toEqual({
      inserted: [],
      unchanged: ['JB-2027-01', 'YD-2027-01'],
      conflicts: [],
    });
    const conflicting = await store.importRiskSignals([
      item('JB-2027-02', 'H003', 'clue', '2027-05-01'),
      item('JB-2027-01', 'H004', 'clue', '2027-03-01'),
    ]);
    expect(conflicting.conflicts).toEqual([
      { reference: 'JB-2027-01', recorded: { reference: 'JB-2027-01', institutionId: 'H002', kind: 'clue', date: '2027-03-01', note: '' } },
    ]);
    expect(conflicting.inserted).toEqual([]);
    const count = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM risk_signal_items WHERE jurisdiction = $1', [J]);
    expect(count[0].n).toBe(3); // JB-2027-02 was not written either
    await expect(store.importRiskSignals([first[0], first[0]])).rejects.toThrow(/given twice/);
  });

  it('gives the pool with the year’s signals (imported and counted), references and on-site inspections', async () => {
    await store.upsertRiskSignals([{ jurisdiction: J, institutionId: 'H004', year: YEAR, clues: 2, dataAnomalies: 0 }]);
    for (const id of ['H001', 'H002', 'P001', 'P002'])
      await store.claimOnSiteInspection({ jurisdiction: J, institutionId: id, year: YEAR, inspectionId: COVERAGE(id) });
    const pool = new Map((await store.flyingPool(J, YEAR)).map((r) => [r.id, r]));
    expect(pool.get('H002')).toMatchObject({
      risk: { clues: 1, dataAnomalies: 0 },
      references: ['JB-2027-01'],
      onsite: [COVERAGE('H002')],
    });
    // Last year's anomaly does not count this year.
    expect(pool.get('P001')).toMatchObject({
      risk: { clues: 0, dataAnomalies: 1 },
      references: ['YD-2027-01'],
      onsite: [COVERAGE('P001')],
    });
    expect(pool.get('H004')).toMatchObject({ risk: { clues: 2 }, references: [`risk_signals:H004:${YEAR}`], onsite: [] });
    expect(pool.get('H001')).toMatchObject({ risk: { clues: 0, dataAnomalies: 0 }, references: [], onsite: [COVERAGE('H001')] });
    expect(pool.get('H003')).toMatchObject({ references: [], onsite: [] });
  });

  it('records the first draw of a campaign and keeps it (first writer wins), with its targets and reasons', async () => {
    const request = {
      workflowId: `flying:${J}:${YEAR}`,
      jurisdiction: J,
      year: YEAR,
      campaignId: CAMPAIGN,
      seed: 'seed',
      randomCount: 10,
      riskCount: 0,
      weights: DEFAULT_RISK_WEIGHTS,
      at: '2027-07-01T01:00:00.000Z',
    };
    const draw = flyingDrawRecord(request, await store.flyingPool(J, YEAR));
    expect(draw.excluded.map((e) => e.id).sort()).toEqual(['H001', 'P002']);
    const kept = await store.recordFlyingDraw(draw, audit(`${request.workflowId}:draw`, CAMPAIGN));
    expect(kept).toEqual(draw);
    // A retry that re-read a changed pool (another seed here) gets the recorded draw back, and nothing is added.
    const other = flyingDrawRecord({ ...request, seed: 'other' }, (await store.flyingPool(J, YEAR)).slice(1));
    expect(await store.recordFlyingDraw(other, audit(`${request.workflowId}:draw-2`, CAMPAIGN))).toEqual(draw);
    expect(await store.getFlyingDraw(CAMPAIGN)).toEqual(draw);
    expect((await store.listAudit(CAMPAIGN)).map((a) => a.key)).toEqual([`${request.workflowId}:draw`]);
    const targets = await store.listFlyingTargets(CAMPAIGN, 0, 100);
    expect(targets.map((t) => t.institutionId)).toEqual(draw.result.random);
    expect(targets.map((t) => t.seq)).toEqual([0, 1, 2, 3]);
    const byId = new Map(targets.map((t) => [t.institutionId, t]));
    expect(byId.get('H002')).toMatchObject({
      how: 'random',
      reason: 'clue',
      references: ['JB-2027-01'],
      claim: null,
      lookBackId: null,
      inspection: { stage: null },
    });
    expect(byId.get('P001')).toMatchObject({ reason: 'data-lead', references: ['YD-2027-01'] });
    expect(byId.get('H003')).toMatchObject({
      reason: null,
      references: [],
      institution: { name: '机构H003', kind: 'hospital', responsibleUnitId: 'unit-1' },
    });
    expect(await store.listFlyingTargets(CAMPAIGN, 1, 2)).toHaveLength(2);
  });

  it('draws once: the draw activities return the recorded draw on a retry, whatever the pool or seed now', async () => {
    const activities = createFlyingActivities(ledgerAreas(store));
    const request = {
      workflowId: `flying:${J}:${YEAR}`,
      jurisdiction: J,
      year: YEAR,
      campaignId: CAMPAIGN,
      seed: 'another-seed',
      randomCount: 1,
      riskCount: 1,
      weights: DEFAULT_RISK_WEIGHTS,
      at: '2027-07-02T01:00:00.000Z',
    };
    const recorded = (await store.getFlyingDraw(CAMPAIGN))!;
    expect(await activities.drawEligibleTargets(request)).toEqual({
      seed: 'seed',
      random: recorded.result.random,
      risk: recorded.result.risk,
      eligible: 4,
      excluded: 2,
    });
  });

  it('starts a page: an institution inspected meanwhile without a lead is refused (the audit says why); a clue allows another', async () => {
    // Drawn at random while not yet inspected; then full coverage inspects it before the page starts.
    await store.claimOnSiteInspection({ jurisdiction: J, institutionId: 'H003', year: YEAR, inspectionId: COVERAGE('H003') });
    const started: Array<{ workflowId: string; statementPeriod: unknown; announced: boolean }> = [];
    const start: StartWorkflow = async (options) => {
      if (started.some((s) => s.workflowId === options.workflowId)) return false;
      started.push({
        workflowId: options.workflowId,
        statementPeriod: options.args[0].statementPeriod,
        announced: options.args[0].announced,
      });
      return true;
    };
    const input: StartFlyingTargetsInput = {
      campaignId: CAMPAIGN,
      jurisdiction: J,
      year: YEAR,
      context,
      statementPeriod: { workingDays: 5 },
      fromSeq: 0,
      limit: 500,
      at: '2027-07-01T01:00:00.000Z',
    };
    const result = await startFlyingTargetPage({ flying: store, inspections: store, start }, input);
    const inspectionId = (id: string) => `inspection:${CAMPAIGN}:${id}`;
    expect(result.refused).toEqual([{ id: 'H003', inspections: [COVERAGE('H003')] }]);
    expect(result.extra.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'H002', reason: 'clue', reference: 'JB-2027-01' },
      { id: 'P001', reason: 'data-lead', reference: 'YD-2027-01' },
    ]);
    expect(started.map((s) => s.workflowId).sort()).toEqual(['H002', 'H004', 'P001'].map(inspectionId));
    for (const s of started) expect(s).toMatchObject({ statementPeriod: { workingDays: 5 }, announced: false });
    expect(result.started).toBe(3);

    const [refusal] = (await store.listAudit('H003')).filter((a) => a.action === 'not-started');
    expect(refusal.reason).toBe(`${YEAR}年已进行现场检查（${COVERAGE('H003')}），无举报线索或数据疑点，飞行检查不再重复现场检查`);
    expect(refusal.detail).toMatchObject({ campaignId: CAMPAIGN, inspectionId: inspectionId('H003'), how: 'random' });
    const [extra] = (await store.listAudit('H002')).filter((a) => a.action === 'onsite-extra');
    expect(extra.reason).toBe(`${YEAR}年已进行现场检查（${COVERAGE('H002')}），因举报线索（JB-2027-01）再次现场检查（飞行检查）`);
    expect((await store.listOnSiteInspections(J, 'H002', YEAR)).map((o) => [o.inspectionId, o.reason, o.reference])).toEqual([
      [COVERAGE('H002'), null, null],
      [inspectionId('H002'), 'clue', 'JB-2027-01'],
    ]);
    // H004 had no inspection this year: its first, recorded with the signal that drew it.
    expect((await store.listOnSiteInspections(J, 'H004', YEAR)).map((o) => [o.reason, o.reference])).toEqual([
      ['clue', `risk_signals:H004:${YEAR}`],
    ]);
    expect(Object.fromEntries((await store.listFlyingTargets(CAMPAIGN, 0, 100)).map((t) => [t.institutionId, t.claim]))).toEqual({
      H002: 'extra',
      H003: 'refused',
      H004: 'first',
      P001: 'extra',
    });

    // A retried page starts nothing twice and records nothing twice.
    const again = await startFlyingTargetPage({ flying: store, inspections: store, start }, input);
    expect(again).toMatchObject({ started: 0, alreadyStarted: 3 });
    expect(started).toHaveLength(3);
    expect((await store.listAudit('H002')).filter((a) => a.action === 'onsite-extra')).toHaveLength(1);
  });

  it('follows up: finished targets, look-backs ordered once for concluded findings with violations', async () => {
    const row = (id: string, stage: 'compliant' | 'case-opened' | 'stating-case') => ({
      id: `inspection:${CAMPAIGN}:${id}`,
      campaignId: CAMPAIGN,
      institutionId: id,
      team: ['i1', 'i2'],
      drawSeed: 'seed',
      announced: false,
      stage,
      dueAt: '2027-07-31T15:59:00.000Z',
      rectificationDueAt: null,
      updatedAt: '2027-07-10T01:00:00.000Z',
    });
    const findings = (id: string, violation: boolean) => ({
      inspectionId: `inspection:${CAMPAIGN}:${id}`,
      inspectorId: 'i1',
      inspectedAt: '2027-07-09T01:00:00.000Z',
      violation,
      items: [],
      note: '',
      recordedAt: '2027-07-09T02:00:00.000Z',
    });
    await store.saveFindings(findings('H002', true), row('H002', 'case-opened'), audit('f-H002', 'x'));
    await store.saveFindings(findings('P001', true), row('P001', 'stating-case'), audit('f-P001', 'x'));
    await store.saveFindings(findings('H004', false), row('H004', 'compliant'), audit('f-H004', 'x'));
    const ordered: string[] = [];
    const startLookBack = async (workflowId: string, args: { follows: string; findingsAt: string; institution: { id: string } }) => {
      ordered.push(workflowId);
      expect(args).toMatchObject({ follows: `inspection:${CAMPAIGN}:${args.institution.id}`, findingsAt: '2027-07-09T02:00:00.000Z' });
    };
    const input = { campaignId: CAMPAIGN, jurisdiction: J, year: YEAR, drawSeed: 'seed', at: '2027-07-20T01:00:00.000Z' };
    const first = await followUpTargets({ flying: store, startLookBack }, input);
    expect(first).toMatchObject({
      targets: 4,
      refused: 1,
      finished: 2,
      pending: 1,
      unfinished: ['P001'],
      lookBacksStarted: [`look-back:${CAMPAIGN}:H002`],
    });
    // P001 still states its case; once concluded its look-back is ordered, H002's not again.
    await store.saveInspection({ ...row('P001', 'case-opened'), updatedAt: '2027-07-20T01:00:00.000Z' }, audit('c-P001', 'x'));
    const second = await followUpTargets({ flying: store, startLookBack }, input);
    expect(second).toMatchObject({ finished: 3, pending: 0, lookBacksStarted: [`look-back:${CAMPAIGN}:P001`] });
    expect(ordered).toEqual([`look-back:${CAMPAIGN}:H002`, `look-back:${CAMPAIGN}:P001`]);
    expect((await store.listFlyingTargets(CAMPAIGN, 0, 100)).find((t) => t.institutionId === 'H002')?.lookBackId).toBe(
      `look-back:${CAMPAIGN}:H002`,
    );
    await store.setFlyingTargetLookBack(CAMPAIGN, 'H002', 'other');
    expect((await store.listFlyingTargets(CAMPAIGN, 0, 100)).find((t) => t.institutionId === 'H002')?.lookBackId).toBe(
      `look-back:${CAMPAIGN}:H002`,
    );
  });
});
