// The record system's full-coverage part (migration 0002) against both backends: responsible units and contacts,
// frozen campaign memberships, progress, the one-on-site-inspection-a-year rule, credit grades and year figures.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openPglite, openPostgres, type Db } from '../../records/db';
import { MIGRATIONS_DIR, migrationFiles } from '../../records/migrate';
import { openStore, type SqlStore, type StoreOptions } from '../../records/store';
import type {
  AuditEntry,
  CampaignRecord,
  CreditGradeRecord,
  FindingsRecord,
  InspectionRecord,
  InspectionStage,
  InstitutionRecord,
} from '../../records/types';
import { ledgerInstitution } from '../helpers/case-records';
import { BACKENDS, isolatedStoreOptions, type Backend } from '../helpers/db';

const institution = (over: Partial<InstitutionRecord> = {}): InstitutionRecord =>
  ledgerInstitution({ responsibleUnitId: null, contacts: [], ...over });

const campaign = (over: Partial<CampaignRecord> = {}): CampaignRecord => ({
  id: 'coverage-2027',
  jurisdiction: '349901',
  kind: 'full-coverage',
  title: '2027年定点医药机构全覆盖现场检查',
  year: 2027,
  startsAt: '2027-01-04T00:00:00.000Z',
  dueAt: '2027-11-30T15:59:59.000Z',
  drawSeed: 'seed-1',
  ...over,
});

const inspection = (campaignId: string, institutionId: string, over: Partial<InspectionRecord> = {}): InspectionRecord => ({
  id: `inspection:${campaignId}:${institutionId}`,
  campaignId,
  institutionId,
  team: ['insp-1', 'insp-2'],
  drawSeed: 'seed-1',
  announced: true,
  stage: 'assigned',
  dueAt: '2027-11-30T15:59:59.000Z',
  rectificationDueAt: null,
  updatedAt: '2027-01-05T00:00:00.000Z',
  ...over,
});

const audit = (key: string, subjectId: string, over: Partial<AuditEntry> = {}): AuditEntry => ({
  key,
  actor: 'system',
  action: 'test',
  subjectType: 'inspection',
  subjectId,
  reason: '测试',
  detail: {},
  at: '2027-01-05T00:00:00.000Z',
  ...over,
});

/** Opens the raw database of `options` without migrating (to build a store as it was before 0002). */
async function openRaw(backend: Backend, options: StoreOptions): Promise<Db> {
  if (backend === 'pglite') return openPglite(options.dataDir);
  const db = openPostgres(options.databaseUrl!, options.schema);
  await db.exec(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
  return db;
}

describe.each(BACKENDS)('record store coverage (0002) on %s', (backend) => {
  let options: StoreOptions;
  let cleanup: (() => Promise<void>) | undefined;
  let store: SqlStore;
  let setupError: unknown;

  const count = async (sql: string, params: unknown[] = []) =>
    (await store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n;
  /** Moves an inspection to `stage` (a new updated_at, as the workflow would). */
  const move = async (row: InspectionRecord, stage: InspectionStage, at = '2027-03-01T00:00:00.000Z') => {
    const moved = { ...row, stage, updatedAt: at };
    await store.saveInspection(moved, audit(`${row.id}:${stage}:${at}`, row.id));
    return moved;
  };

  beforeAll(async () => {
    try {
      ({ options, cleanup } = await isolatedStoreOptions(backend));
      store = await openStore(options);
    } catch (err) {
      setupError = err; // re-thrown per test below, so each one FAILS (a failed beforeAll would mark them skipped)
    }
  });
  beforeEach(() => {
    if (setupError) throw setupError;
  });
  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });

  it('applies 0002 on top of a store created before it, keeping its rows', async () => {
    const old = await isolatedStoreOptions(backend);
    try {
      // The store as a release with 0001 only left it: the migration table, 0001, and an institution row.
      const raw = await openRaw(backend, old.options);
      try {
        await raw.exec('CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
        await raw.exec(readFileSync(path.join(MIGRATIONS_DIR, '0001_init.sql'), 'utf8'));
        await raw.query("INSERT INTO schema_migrations (name) VALUES ('0001_init.sql')");
        await raw.query(
          `INSERT INTO institutions (jurisdiction, id, name, kind, level, ownership, district)
           VALUES ('349901', 'OLD1', '老机构', 'pharmacy', NULL, 'private', '城关街道')`,
        );
      } finally {
        await raw.close();
      }

      const upgraded = await openStore(old.options);
      try {
        const applied = (await upgraded.db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).map((r) => r.name);
        // Every shipped migration is applied, the old one kept and none twice.
        expect(applied).toEqual(expect.arrayContaining(['0001_init.sql', '0002_coverage.sql']));
        expect(applied).toEqual(migrationFiles());
        expect(await upgraded.listInstitutions('349901')).toEqual([
          institution({ id: 'OLD1', name: '老机构', kind: 'pharmacy', level: null, ownership: 'private' }),
        ]);
        const indexes = (
          await upgraded.db.query<{ indexname: string }>(
            "SELECT indexname FROM pg_indexes WHERE tablename IN ('inspections', 'campaigns', 'credit_grades') AND schemaname = current_schema()",
          )
        ).map((r) => r.indexname);
        expect(indexes).toEqual(
          expect.arrayContaining(['inspections_campaign_stage_idx', 'campaigns_jurisdiction_year_idx', 'credit_grades_year_idx']),
        );
        expect(indexes).not.toContain('inspections_campaign_idx');
        // The new tables work on the upgraded store.
        await upgraded.ensureCampaign(campaign({ id: 'upgraded' }));
        expect(await upgraded.addCampaignMembers('upgraded', '349901')).toBe(1);
      } finally {
        await upgraded.close();
      }
      // Re-opening applies nothing more.
      const again = await openStore(old.options);
      try {
        expect((await again.db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations'))[0].n).toBe(
          migrationFiles().length,
        );
      } finally {
        await again.close();
      }
    } finally {
      await old.cleanup();
    }
  });

  it('upserts and lists responsible units and contacts; leaving them out keeps them', async () => {
    const j = 'contacts';
    const contacts = [
      { name: '院办', email: 'yb@h001.example.org' },
      { name: '医保科', email: 'ybk@h001.example.org' },
    ];
    await store.upsertInstitutions([
      institution({ jurisdiction: j, id: 'H001', responsibleUnitId: 'fund', contacts }),
      institution({ jurisdiction: j, id: 'H002', responsibleUnitId: undefined, contacts: undefined }),
    ]);
    let list = await store.listInstitutions(j);
    expect(list).toEqual([
      institution({ jurisdiction: j, id: 'H001', responsibleUnitId: 'fund', contacts }),
      institution({ jurisdiction: j, id: 'H002' }), // defaults: null and []
    ]);

    // A writer that does not know the two fields (e.g. a campaign registering its institutions) keeps them.
    const bare: InstitutionRecord = institution({ jurisdiction: j, id: 'H001', name: '清溪区人民医院（更名）' });
    delete bare.responsibleUnitId;
    delete bare.contacts;
    await store.upsertInstitutions([bare]);
    list = await store.listInstitutions(j);
    expect(list[0]).toEqual(
      institution({ jurisdiction: j, id: 'H001', name: '清溪区人民医院（更名）', responsibleUnitId: 'fund', contacts }),
    );

    // Given explicitly, they replace (null and [] clear).
    await store.upsertInstitutions([institution({ jurisdiction: j, id: 'H001', responsibleUnitId: 'audit', contacts: [contacts[1]] })]);
    expect((await store.listInstitutions(j))[0]).toMatchObject({ responsibleUnitId: 'audit', contacts: [contacts[1]] });
    await store.upsertInstitutions([institution({ jurisdiction: j, id: 'H001', responsibleUnitId: null, contacts: [] })]);
    expect((await store.listInstitutions(j))[0]).toMatchObject({ responsibleUnitId: null, contacts: [] });

    // The same institution twice in one batch: later fields win, left-out fields do not erase earlier ones.
    await store.upsertInstitutions([
      institution({ jurisdiction: j, id: 'H003', responsibleUnitId: 'fund', contacts }),
      { ...institution({ jurisdiction: j, id: 'H003', name: '第二次' }), responsibleUnitId: undefined, contacts: undefined },
    ]);
    expect((await store.listInstitutions(j))[2]).toEqual(
      institution({ jurisdiction: j, id: 'H003', name: '第二次', responsibleUnitId: 'fund', contacts }),
    );

    await store.upsertInstitutions([]); // nothing to do, no error
    // contacts must be a list; the whole batch is refused.
    const bad = { ...institution({ jurisdiction: j, id: 'H004' }), contacts: { name: 'x' } } as unknown as InstitutionRecord;
    await expect(store.upsertInstitutions([institution({ jurisdiction: j, id: 'H005' }), bad])).rejects.toThrow();
    expect((await store.listInstitutions(j)).map((i) => i.id)).toEqual(['H001', 'H002', 'H003']);
  });

  it('freezes a campaign’s membership once, numbered in byte order of the ids', async () => {
    const j = 'members';
    const ids = ['b2', 'B1', 'a10', 'A9', '_x', 'a9'];
    await store.upsertInstitutions(
      ids.map((id) =>
        institution({
          jurisdiction: j,
          id,
          name: `机构${id}`,
          responsibleUnitId: `unit-${id}`,
          contacts: [{ name: id, email: `${id}@example.org` }],
        }),
      ),
    );
    await store.upsertInstitutions([institution({ jurisdiction: 'elsewhere', id: 'E1' })]);

    await expect(store.addCampaignMembers('no-such-campaign', j)).rejects.toThrow(/not in the ledger/);
    await store.ensureCampaign(campaign({ id: 'members-c', jurisdiction: j }));
    await expect(store.addCampaignMembers('members-c', 'elsewhere')).rejects.toThrow(/belongs to jurisdiction members/);
    expect(await count('campaign_members WHERE campaign_id = $1', ['members-c'])).toBe(0);

    expect(await store.addCampaignMembers('members-c', j)).toBe(6);
    const sorted = [...ids].sort(); // code-unit order, as COLLATE "C" on every server
    const members = await store.listCampaignMembers('members-c', 0, 100);
    expect(members.map((m) => [m.seq, m.id])).toEqual(sorted.map((id, seq) => [seq, id]));
    expect(members[0]).toEqual({
      ...institution({
        jurisdiction: j,
        id: sorted[0],
        name: `机构${sorted[0]}`,
        responsibleUnitId: `unit-${sorted[0]}`,
        contacts: [{ name: sorted[0], email: `${sorted[0]}@example.org` }],
      }),
      seq: 0,
    });

    // Idempotent and frozen: a later institution does not join, a second call changes nothing.
    await store.upsertInstitutions([institution({ jurisdiction: j, id: 'A0' })]);
    expect(await store.addCampaignMembers('members-c', j)).toBe(6);
    expect(await count('campaign_members WHERE campaign_id = $1', ['members-c'])).toBe(6);
    expect((await store.listCampaignMembers('members-c', 0, 100)).map((m) => m.id)).toEqual(sorted);
    // The member's details are the ledger's current ones.
    await store.upsertInstitutions([institution({ jurisdiction: j, id: sorted[1], name: '改名了' })]);
    expect((await store.listCampaignMembers('members-c', 1, 1)).map((m) => [m.seq, m.name])).toEqual([[1, '改名了']]);

    // Paging edges.
    expect((await store.listCampaignMembers('members-c', 4, 10)).map((m) => m.seq)).toEqual([4, 5]);
    expect(await store.listCampaignMembers('members-c', 6, 10)).toEqual([]);
    expect(await store.listCampaignMembers('members-c', 0, 0)).toEqual([]);
    expect(await store.listCampaignMembers('no-such-campaign', 0, 10)).toEqual([]);

    // Concurrent freezes of another campaign agree and do not collide.
    await store.ensureCampaign(campaign({ id: 'members-d', jurisdiction: j }));
    expect(await Promise.all([store.addCampaignMembers('members-d', j), store.addCampaignMembers('members-d', j)])).toEqual([7, 7]);
    expect(await count('campaign_members WHERE campaign_id = $1', ['members-d'])).toBe(7);
  });

  it('loads 5,000 institutions in one call and pages through the frozen membership', async () => {
    const j = 'big';
    const n = 5_000;
    const rows = Array.from({ length: n }, (_, i) => {
      const id = `M${String(i).padStart(5, '0')}`;
      return institution({
        jurisdiction: j,
        id,
        name: `机构${i}`,
        responsibleUnitId: `unit-${i % 7}`,
        contacts: [{ name: '院办', email: `${id}@example.org` }],
      });
    });
    await store.upsertInstitutions(rows);
    expect(await count('institutions WHERE jurisdiction = $1', [j])).toBe(n);
    await store.ensureCampaign(campaign({ id: 'big-c', jurisdiction: j }));
    expect(await store.addCampaignMembers('big-c', j)).toBe(n);
    expect(await store.addCampaignMembers('big-c', j)).toBe(n);

    const first = await store.listCampaignMembers('big-c', 0, 500);
    expect(first.map((m) => m.seq)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(first.map((m) => m.id)).toEqual(rows.slice(0, 500).map((r) => r.id));
    const last = await store.listCampaignMembers('big-c', 4_500, 500);
    expect(last.map((m) => m.seq)).toEqual(Array.from({ length: 500 }, (_, i) => 4_500 + i));
    expect(last.map(({ seq: _seq, ...rest }) => rest)).toEqual(rows.slice(4_500));
    expect(await store.listCampaignMembers('big-c', 4_990, 500)).toHaveLength(10);
    expect(await store.listCampaignMembers('big-c', n, 500)).toEqual([]);
    expect(await store.campaignProgress('big-c')).toEqual({ members: n, byStage: {}, notStarted: n });
  });

  it('reports a campaign’s progress and who is not yet inspected', async () => {
    const j = 'progress';
    const c = campaign({ id: 'progress-c', jurisdiction: j });
    await store.upsertInstitutions(
      ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'].map((id, i) =>
        institution({ jurisdiction: j, id, name: `机构${id}`, responsibleUnitId: i < 3 ? 'fund' : null }),
      ),
    );
    await store.ensureCampaign(c);
    expect(await store.campaignProgress(c.id)).toEqual({ members: 0, byStage: {}, notStarted: 0 });
    expect(await store.listUninspected(c.id)).toEqual([]);
    await store.addCampaignMembers(c.id, j);

    expect(await store.campaignProgress(c.id)).toEqual({ members: 6, byStage: {}, notStarted: 6 });
    expect((await store.listUninspected(c.id)).map((u) => u.institutionId)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5', 'P6']);

    const rows = Object.fromEntries(['P1', 'P2', 'P3', 'P4'].map((id) => [id, inspection(c.id, id)]));
    for (const row of Object.values(rows)) await store.saveInspection(row, audit(`${row.id}:assigned`, row.id));
    // An inspection row of an institution that is not a member does not count.
    await store.saveInspection(inspection(c.id, 'NOT-A-MEMBER'), audit('not-a-member', 'x'));
    await move(rows.P2, 'overdue');
    await move(rows.P3, 'compliant');
    await move(rows.P4, 'rectifying');

    expect(await store.campaignProgress(c.id)).toEqual({
      members: 6,
      byStage: { assigned: 1, overdue: 1, compliant: 1, rectifying: 1 },
      notStarted: 2,
    });
    expect(await store.listUninspected(c.id)).toEqual([
      { institutionId: 'P1', name: '机构P1', responsibleUnitId: 'fund', stage: 'assigned' },
      { institutionId: 'P2', name: '机构P2', responsibleUnitId: 'fund', stage: 'overdue' },
      { institutionId: 'P5', name: '机构P5', responsibleUnitId: null, stage: null },
      { institutionId: 'P6', name: '机构P6', responsibleUnitId: null, stage: null },
    ]);

    // More inspections happen: P1 compliant, P5 recorded and then compliant.
    await move(rows.P1, 'compliant', '2027-04-01T00:00:00.000Z');
    const p5 = inspection(c.id, 'P5');
    await store.saveInspection(p5, audit(`${p5.id}:assigned`, p5.id));
    await move(p5, 'compliant', '2027-04-02T00:00:00.000Z');
    expect((await store.listUninspected(c.id)).map((u) => [u.institutionId, u.stage])).toEqual([
      ['P2', 'overdue'],
      ['P6', null],
    ]);
    expect(await store.campaignProgress(c.id)).toEqual({ members: 6, byStage: { overdue: 1, compliant: 3, rectifying: 1 }, notStarted: 1 });

    // Should a member ever have two inspection rows, the one updated last counts, once.
    await store.saveInspection(
      inspection(c.id, 'P6', { id: 'inspection:progress-c:P6:old', stage: 'compliant', updatedAt: '2027-02-01T00:00:00.000Z' }),
      audit('p6-old', 'x'),
    );
    await store.saveInspection(inspection(c.id, 'P6', { stage: 'overdue', updatedAt: '2027-05-01T00:00:00.000Z' }), audit('p6-new', 'x'));
    expect(await store.campaignProgress(c.id)).toEqual({ members: 6, byStage: { overdue: 2, compliant: 3, rectifying: 1 }, notStarted: 0 });
    expect((await store.listUninspected(c.id)).map((u) => [u.institutionId, u.stage])).toEqual([
      ['P2', 'overdue'],
      ['P6', 'overdue'],
    ]);
  });

  it('counts an inspection covered by another visit as done, never uninspected, and never moves it back (0021)', async () => {
    const j = 'covered';
    const c = campaign({ id: 'covered-c', jurisdiction: j });
    await store.upsertInstitutions(['Q1', 'Q2'].map((id) => institution({ jurisdiction: j, id, name: `机构${id}` })));
    await store.ensureCampaign(c);
    await store.addCampaignMembers(c.id, j);
    const [q1, q2] = ['Q1', 'Q2'].map((id) => inspection(c.id, id));
    for (const row of [q1, q2]) await store.saveInspection(row, audit(`${row.id}:assigned`, row.id));
    // Q1's findings came after a flying check had visited: it ends covered, from overdue.
    const covered = await move(await move(q1, 'overdue'), 'covered', '2027-07-10T00:00:00.000Z');
    expect(await store.campaignProgress(c.id)).toEqual({ members: 2, byStage: { assigned: 1, covered: 1 }, notStarted: 0 });
    expect((await store.listUninspected(c.id, { givenUp: true })).map((u) => u.institutionId)).toEqual(['Q2']);
    // A late write of an earlier stage (a retried step) does not reopen it.
    await store.saveInspection({ ...covered, stage: 'overdue', updatedAt: '2027-07-11T00:00:00.000Z' }, audit('covered-late', q1.id));
    expect((await store.getInspection(q1.id))?.stage).toBe('covered');
  });

  it('allows one on-site inspection a year, another only with a reason, idempotently', async () => {
    const base = { jurisdiction: 'onsite', institutionId: 'H001', year: 2027 };
    expect(await store.claimOnSiteInspection({ ...base, inspectionId: 'i-1' })).toEqual({ allowed: true, inspections: ['i-1'] });
    // A retry of the same inspection: still allowed, nothing added.
    expect(await store.claimOnSiteInspection({ ...base, inspectionId: 'i-1' })).toEqual({ allowed: true, inspections: ['i-1'] });
    // A second one without a reason: refused, nothing written.
    expect(await store.claimOnSiteInspection({ ...base, inspectionId: 'i-2' })).toEqual({ allowed: false, inspections: ['i-1'] });
    expect(await count('onsite_inspections WHERE jurisdiction = $1', ['onsite'])).toBe(1);
    // With a clue it is allowed and the reason recorded; a retry of it, even without the reason, stays allowed.
    expect(await store.claimOnSiteInspection({ ...base, inspectionId: 'i-2', reason: 'clue' })).toEqual({
      allowed: true,
      inspections: ['i-1', 'i-2'],
    });
    expect(await store.claimOnSiteInspection({ ...base, inspectionId: 'i-2' })).toEqual({ allowed: true, inspections: ['i-1', 'i-2'] });
    expect(await store.claimOnSiteInspection({ ...base, inspectionId: 'i-3', reason: 'data-lead' })).toEqual({
      allowed: true,
      inspections: ['i-1', 'i-2', 'i-3'],
    });
    const reasons = await store.db.query<{ inspection_id: string; reason: string | null }>(
      'SELECT inspection_id, reason FROM onsite_inspections WHERE jurisdiction = $1 ORDER BY inspection_id',
      ['onsite'],
    );
    expect(reasons).toEqual([
      { inspection_id: 'i-1', reason: null },
      { inspection_id: 'i-2', reason: 'clue' },
      { inspection_id: 'i-3', reason: 'data-lead' },
    ]);
    // Another year, another institution and another jurisdiction each start afresh.
    expect(await store.claimOnSiteInspection({ ...base, year: 2028, inspectionId: 'i-4' })).toEqual({
      allowed: true,
      inspections: ['i-4'],
    });
    expect(await store.claimOnSiteInspection({ ...base, institutionId: 'H002', inspectionId: 'i-5' })).toEqual({
      allowed: true,
      inspections: ['i-5'],
    });
    expect(await store.claimOnSiteInspection({ ...base, jurisdiction: 'onsite-2', inspectionId: 'i-6' })).toEqual({
      allowed: true,
      inspections: ['i-6'],
    });
    // A reason outside the rule is refused by the database.
    const bad = { ...base, institutionId: 'H003', inspectionId: 'i-7', reason: 'whim' } as unknown as Parameters<
      SqlStore['claimOnSiteInspection']
    >[0];
    await expect(store.claimOnSiteInspection(bad)).rejects.toThrow();
    expect(await count('onsite_inspections WHERE institution_id = $1', ['H003'])).toBe(0);
  });

  it('lets exactly one of two concurrent first claims of a year through', async () => {
    const institutions = Array.from({ length: 10 }, (_, i) => `C${i}`);
    const results = await Promise.all(
      institutions.map((institutionId) =>
        Promise.all([
          store.claimOnSiteInspection({ jurisdiction: 'race', institutionId, year: 2027, inspectionId: `${institutionId}-a` }),
          store.claimOnSiteInspection({ jurisdiction: 'race', institutionId, year: 2027, inspectionId: `${institutionId}-b` }),
        ]),
      ),
    );
    for (const [a, b] of results) {
      expect([a.allowed, b.allowed].filter(Boolean)).toHaveLength(1);
      const winner = a.allowed ? a : b;
      expect(winner.inspections).toHaveLength(1);
      expect((a.allowed ? b : a).inspections).toEqual(winner.inspections);
    }
    expect(await count('onsite_inspections WHERE jurisdiction = $1', ['race'])).toBe(institutions.length);
  });

  it('saves credit grades with their audit entry; the latest decision wins', async () => {
    const grade = (over: Partial<CreditGradeRecord> = {}): CreditGradeRecord => ({
      jurisdiction: 'credit',
      institutionId: 'H001',
      year: 2027,
      grade: 'B',
      inspectionId: 'inspection:c1:H001',
      decidedAt: '2027-03-01T00:00:00.000Z',
      ...over,
    });
    expect(await store.getCreditGrade('credit', 'H001', 2027)).toBeUndefined();
    await store.saveCreditGrade(grade(), audit('credit-1', 'credit:H001:2027', { action: 'credit.graded' }));
    expect(await store.getCreditGrade('credit', 'H001', 2027)).toEqual(grade());

    const later = grade({ grade: 'D', inspectionId: 'inspection:c2:H001', decidedAt: '2027-09-01T00:00:00.000Z' });
    await store.saveCreditGrade(later, audit('credit-2', 'credit:H001:2027'));
    await store.saveCreditGrade(later, audit('credit-2', 'credit:H001:2027')); // retry
    expect(await store.getCreditGrade('credit', 'H001', 2027)).toEqual(later);
    // A retried save of the earlier decision does not undo the later one.
    await store.saveCreditGrade(grade(), audit('credit-1', 'credit:H001:2027'));
    expect(await store.getCreditGrade('credit', 'H001', 2027)).toEqual(later);
    expect((await store.listAudit('credit:H001:2027')).map((a) => a.key)).toEqual(['credit-1', 'credit-2']);

    // Other years and institutions are separate.
    expect(await store.getCreditGrade('credit', 'H001', 2026)).toBeUndefined();
    expect(await store.getCreditGrade('credit', 'H002', 2027)).toBeUndefined();

    // All or nothing: a bad grade writes no audit entry, a bad audit entry writes no grade.
    const badGrade = grade({ institutionId: 'H003', grade: 'F' as CreditGradeRecord['grade'] });
    await expect(store.saveCreditGrade(badGrade, audit('credit-bad-1', 'credit:H003:2027'))).rejects.toThrow();
    expect(await store.listAudit('credit:H003:2027')).toEqual([]);
    await expect(
      store.saveCreditGrade(grade({ institutionId: 'H003' }), audit('credit-bad-2', 'credit:H003:2027', { at: 'not-a-timestamp' })),
    ).rejects.toThrow();
    expect(await store.getCreditGrade('credit', 'H003', 2027)).toBeUndefined();
  });

  it('sums up a year from the ledger', async () => {
    const j = 'summary';
    const noCases = { opened: 0, open: 0, closed: 0, withdrawn: 0, lossFen: 0, fineFen: 0, paidFen: 0, referrals: 0 };
    const empty = {
      jurisdiction: j,
      year: 2027,
      campaigns: 0,
      inspections: 0,
      byStage: {},
      withViolations: 0,
      lossFen: 0,
      notificationsSent: 0,
      grades: {},
      cases: noCases,
    };
    expect(await store.yearSummary(j, 2027)).toEqual(empty);

    await store.ensureCampaign(campaign({ id: 'sum-a', jurisdiction: j, year: 2027 }));
    await store.ensureCampaign(campaign({ id: 'sum-b', jurisdiction: j, year: 2027 }));
    await store.ensureCampaign(campaign({ id: 'sum-last-year', jurisdiction: j, year: 2026 }));
    await store.ensureCampaign(campaign({ id: 'sum-elsewhere', jurisdiction: 'summary-2', year: 2027 }));

    const findings = (inspectionId: string, violation: boolean, amounts: Array<number | undefined>): FindingsRecord => ({
      inspectionId,
      inspectorId: 'insp-1',
      inspectedAt: '2027-03-01T02:00:00.000Z',
      violation,
      items: amounts.map((amountFen, i) => ({
        category: '串换项目',
        description: `第${i + 1}项`,
        ...(amountFen === undefined ? {} : { amountFen }),
      })),
      note: '',
      recordedAt: '2027-03-01T03:00:00.000Z',
    });
    const record = async (c: string, id: string, stage: InspectionStage, f?: (inspectionId: string) => FindingsRecord) => {
      const row = inspection(c, id, { stage });
      if (f) await store.saveFindings(f(row.id), row, audit(`${row.id}:findings`, row.id));
      else await store.saveInspection(row, audit(`${row.id}:saved`, row.id));
      return row;
    };
    await record('sum-a', 'H1', 'rectifying', (id) => findings(id, true, [123_456, undefined, 1_000]));
    await record('sum-a', 'H2', 'compliant', (id) => findings(id, false, []));
    await record('sum-a', 'H3', 'assigned');
    await record('sum-b', 'H4', 'rectified', (id) => findings(id, true, [2_500_000_000])); // beyond 32 bits
    await record('sum-b', 'H5', 'rectifying', (id) => findings(id, true, [undefined]));
    // Not this year's or not this jurisdiction's: left out.
    await record('sum-last-year', 'H6', 'rectifying', (id) => findings(id, true, [999]));
    await record('sum-elsewhere', 'H7', 'rectifying', (id) => findings(id, true, [999]));

    const notify = async (key: string, sent: boolean) => {
      await store.claimNotification({ key, channel: 'email', recipient: 'x@example.org', subject: '通知' });
      if (sent) await store.markNotificationSent(key, `<${key}>`);
    };
    await notify('inspection:sum-a:H1:institution-notice', true);
    await notify('inspection:sum-a:H1:rectification-order', true);
    await notify('inspection:sum-b:H4:institution-notice', true);
    await notify('inspection:sum-b:H5:institution-notice', false); // pending: not sent
    await notify('inspection:sum-last-year:H6:institution-notice', true);
    await notify('inspection:sum-elsewhere:H7:institution-notice', true);
    await notify('inspection:sum-ab:H9:institution-notice', true); // another campaign whose id merely starts alike

    const grade = (institutionId: string, g: CreditGradeRecord['grade'], year = 2027): CreditGradeRecord => ({
      jurisdiction: j,
      institutionId,
      year,
      grade: g,
      inspectionId: `inspection:x:${institutionId}`,
      decidedAt: '2027-06-01T00:00:00.000Z',
    });
    for (const [id, g] of [
      ['H1', 'C'],
      ['H2', 'A'],
      ['H4', 'C'],
      ['H5', 'D'],
    ] as const)
      await store.saveCreditGrade(grade(id, g), audit(`grade-${id}`, id));
    await store.saveCreditGrade(grade('H6', 'E', 2026), audit('grade-H6', 'H6'));

    expect(await store.yearSummary(j, 2027)).toEqual({
      jurisdiction: j,
      year: 2027,
      campaigns: 2,
      inspections: 5,
      byStage: { rectifying: 2, compliant: 1, assigned: 1, rectified: 1 },
      withViolations: 3,
      lossFen: 123_456 + 1_000 + 2_500_000_000,
      notificationsSent: 3,
      grades: { A: 1, C: 2, D: 1 },
      cases: noCases, // the inspection figures do not count as cases (store-cases.test.ts sums those up)
    });
    expect(await store.yearSummary(j, 2026)).toMatchObject({
      campaigns: 1,
      inspections: 1,
      withViolations: 1,
      lossFen: 999,
      notificationsSent: 1,
      grades: { E: 1 },
    });
    expect(await store.yearSummary(j, 2025)).toEqual({ ...empty, year: 2025 });
  });
});
