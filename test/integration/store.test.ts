// The record system against both backends: the same cases run on embedded PGlite and on the local PostgreSQL.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrate, migrationFiles } from '../../records/migrate';
import { openStore, type SqlStore, type StoreOptions } from '../../records/store';
import type { AuditEntry, CampaignRecord, FindingsRecord, InspectionRecord, InstitutionRecord } from '../../records/types';
import { INSPECTION_STAGES } from '../../domain/inspection';
import { BACKENDS, assertPostgresReachable, isolatedStoreOptions } from '../helpers/db';

const institution = (over: Partial<InstitutionRecord> = {}): InstitutionRecord => ({
  jurisdiction: '341702',
  id: 'H001',
  name: '贵池区人民医院',
  kind: 'hospital',
  level: '二级',
  ownership: 'public',
  district: '秋浦街道',
  // Listed institutions always carry these two (null / [] when none), so the fixture states them too.
  responsibleUnitId: null,
  contacts: [],
  ...over,
});

const campaign = (over: Partial<CampaignRecord> = {}): CampaignRecord => ({
  id: 'full-coverage-2025',
  jurisdiction: '341702',
  kind: 'full-coverage',
  title: '2025年定点医药机构全覆盖现场检查',
  year: 2025,
  startsAt: '2025-01-01T08:00:00+08:00',
  dueAt: '2025-07-31T23:59:59+08:00',
  drawSeed: 'seed-1',
  ...over,
});

const inspection = (over: Partial<InspectionRecord> = {}): InspectionRecord => ({
  id: 'inspection:full-coverage-2025:H001',
  campaignId: 'full-coverage-2025',
  institutionId: 'H001',
  team: ['insp-1', 'insp-2'],
  drawSeed: 'seed-1',
  announced: true,
  stage: 'assigned',
  dueAt: '2025-07-31T15:59:59.000Z',
  rectificationDueAt: null,
  updatedAt: '2025-01-02T00:00:00.000Z',
  ...over,
});

const audit = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  key: 'audit-1',
  actor: 'system',
  action: 'inspection.assigned',
  subjectType: 'inspection',
  subjectId: 'inspection:full-coverage-2025:H001',
  reason: '双随机抽取',
  detail: { draw: 1 },
  at: '2025-01-02T00:00:00.000Z',
  ...over,
});

describe.each(BACKENDS)('record store on %s', (backend) => {
  let options: StoreOptions;
  let cleanup: (() => Promise<void>) | undefined;
  let store: SqlStore;

  /** Closes and re-opens the store on the same data, as a restarted process would. */
  const reopen = async () => {
    await store.close();
    store = await openStore(options);
  };
  const count = async (sql: string, params: unknown[] = []) =>
    (await store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n;

  let setupError: unknown;

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

  it('runs on the expected backend', () => {
    expect(store.backend).toBe(backend);
  });

  it('applies the migrations once and does not re-apply them on re-open', async () => {
    const files = migrationFiles();
    expect(files[0]).toBe('0001_init.sql');
    const applied = async () =>
      (await store.db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).map((r) => r.name);
    expect(await applied()).toEqual(files);
    await reopen(); // re-running 0001 would fail with "relation already exists"
    expect(await applied()).toEqual(files);
    expect(await migrate(store.db, { backend })).toEqual([]); // umzug finds nothing pending
    expect(await count('schema_migrations')).toBe(files.length);
  });

  it('keeps its data across close and re-open', async () => {
    await store.upsertInstitutions([institution({ jurisdiction: 'persist', id: 'P1' })]);
    await store.appendAudit(audit({ key: 'persist-1', subjectId: 'persist' }));
    await reopen();
    expect(await store.listInstitutions('persist')).toEqual([institution({ jurisdiction: 'persist', id: 'P1' })]);
    expect((await store.listAudit('persist')).map((a) => a.key)).toEqual(['persist-1']);
  });

  it('upserts and lists institutions per jurisdiction', async () => {
    await store.upsertInstitutions([
      institution({ id: 'H002', name: '乙医院' }),
      institution({ id: 'H001' }),
      institution({ id: 'D001', kind: 'pharmacy', level: null, ownership: 'private', name: '甲药店' }),
      institution({ jurisdiction: '341700', id: 'H001', name: '别的辖区' }),
    ]);
    await store.upsertInstitutions([institution({ id: 'H002', name: '乙医院（更名）', level: '三级' })]);
    const list = await store.listInstitutions('341702');
    expect(list.map((i) => i.id)).toEqual(['D001', 'H001', 'H002']);
    expect(list[0]).toEqual(institution({ id: 'D001', kind: 'pharmacy', level: null, ownership: 'private', name: '甲药店' }));
    expect(list[2]).toMatchObject({ name: '乙医院（更名）', level: '三级' });
    expect(await store.listInstitutions('341700')).toHaveLength(1);
    expect(await store.listInstitutions('nowhere')).toEqual([]);
  });

  it('writes a batch of institutions all or nothing', async () => {
    const bad = { ...institution({ jurisdiction: 'batch', id: 'B2' }), kind: 'clinic' } as unknown as InstitutionRecord;
    await expect(store.upsertInstitutions([institution({ jurisdiction: 'batch', id: 'B1' }), bad])).rejects.toThrow();
    expect(await store.listInstitutions('batch')).toEqual([]);
  });

  it('ensureCampaign inserts once and keeps the first row', async () => {
    const first = await store.ensureCampaign(campaign());
    expect(first).toEqual(
      campaign({ startsAt: '2025-01-01T00:00:00.000Z', dueAt: '2025-07-31T15:59:59.000Z' }), // ISO-8601, UTC
    );
    const second = await store.ensureCampaign(campaign({ title: '改了的标题', drawSeed: 'seed-2' }));
    expect(second).toEqual(first);
    expect(await store.getCampaign(first.id)).toEqual(first);
    expect(await store.getCampaign('no-such-campaign')).toBeUndefined();
  });

  it('saves an inspection and its audit entry together', async () => {
    await store.ensureCampaign(campaign());
    await store.saveInspection(inspection(), audit());
    expect(await store.getInspection(inspection().id)).toEqual(inspection());

    const updated = inspection({
      stage: 'overdue',
      rectificationDueAt: '2025-09-01T00:00:00.000Z',
      updatedAt: '2025-08-01T00:00:00.000Z',
      team: [],
    });
    await store.saveInspection(updated, audit({ key: 'audit-2', action: 'inspection.overdue', at: '2025-08-01T00:00:00.000Z' }));
    // Same audit key again (a retried activity): the inspection is written, the audit entry is not duplicated.
    await store.saveInspection(updated, audit({ key: 'audit-2', reason: 'retry' }));
    expect(await store.getInspection(updated.id)).toEqual(updated);
    expect(await store.listInspections('full-coverage-2025')).toEqual([updated]);
    const trail = await store.listAudit(updated.id);
    expect(trail.map((a) => a.key)).toEqual(['audit-1', 'audit-2']);
    expect(trail[1].reason).toBe('双随机抽取');
    expect(await store.getInspection('inspection:none')).toBeUndefined();
  });

  it('writes nothing of an inspection when its audit entry fails', async () => {
    await store.ensureCampaign(campaign());
    const fresh = inspection({ id: 'inspection:full-coverage-2025:H009', institutionId: 'H009' });
    const badAudit = audit({ key: 'audit-bad', subjectId: fresh.id, at: 'not-a-timestamp' });
    await expect(store.saveInspection(fresh, badAudit)).rejects.toThrow();
    expect(await store.getInspection(fresh.id)).toBeUndefined();

    // An update of an existing row is rolled back just the same.
    await store.saveInspection(fresh, audit({ key: 'audit-h009', subjectId: fresh.id }));
    await expect(store.saveInspection({ ...fresh, stage: 'compliant' }, badAudit)).rejects.toThrow();
    expect((await store.getInspection(fresh.id))?.stage).toBe('assigned');
    expect((await store.listAudit(fresh.id)).map((a) => a.key)).toEqual(['audit-h009']);
  });

  it('writes nothing of findings when part of the transaction fails', async () => {
    await store.ensureCampaign(campaign());
    const insp = inspection({ id: 'inspection:full-coverage-2025:H011', institutionId: 'H011' });
    await store.saveInspection(insp, audit({ key: 'h011-assigned', subjectId: insp.id }));
    const findings: FindingsRecord = {
      inspectionId: insp.id,
      inspectorId: 'insp-1',
      inspectedAt: '2025-03-01T02:00:00.000Z',
      violation: false,
      items: [],
      note: '',
      recordedAt: '2025-03-01T03:00:00.000Z',
    };
    await expect(
      store.saveFindings(findings, { ...insp, stage: 'compliant' }, audit({ key: 'h011-bad', subjectId: insp.id, at: 'not-a-timestamp' })),
    ).rejects.toThrow();
    expect(await store.getFindings(insp.id)).toBeUndefined();
    expect((await store.getInspection(insp.id))?.stage).toBe('assigned');
  });

  it('accepts exactly the inspection stages of the domain', async () => {
    await store.ensureCampaign(campaign());
    for (const stage of INSPECTION_STAGES) {
      const row = inspection({ id: `inspection:stages:${stage}`, stage });
      await store.saveInspection(row, audit({ key: `stage-${stage}`, subjectId: row.id }));
      expect((await store.getInspection(row.id))?.stage).toBe(stage);
    }
    const bad = { ...inspection({ id: 'inspection:stages:bad' }), stage: 'closed' } as unknown as InspectionRecord;
    await expect(store.saveInspection(bad, audit({ key: 'stage-bad', subjectId: bad.id }))).rejects.toThrow();
  });

  it('never moves an inspection back to an earlier stage (a late or repeated write keeps the row as it is)', async () => {
    await store.ensureCampaign(campaign());
    const row = inspection({ id: 'inspection:forward:H020', institutionId: 'H020' });
    await store.saveInspection(row, audit({ key: 'forward-assigned', subjectId: row.id }));
    await store.saveInspection(
      { ...row, stage: 'rectifying', updatedAt: '2025-03-01T00:00:00.000Z' },
      audit({ key: 'forward-rectifying', subjectId: row.id }),
    );
    await store.saveInspection(
      { ...row, stage: 'assigned', team: ['insp-9', 'insp-8'], updatedAt: '2025-04-01T00:00:00.000Z' },
      audit({ key: 'forward-again', subjectId: row.id }),
    );
    expect(await store.getInspection(row.id)).toMatchObject({
      stage: 'rectifying',
      team: ['insp-1', 'insp-2'],
      updatedAt: '2025-03-01T00:00:00.000Z',
    });
    await store.saveInspection(
      { ...row, stage: 'rectified', updatedAt: '2025-05-01T00:00:00.000Z' },
      audit({ key: 'forward-rectified', subjectId: row.id }),
    );
    await store.saveInspection(
      { ...row, stage: 'overdue', updatedAt: '2025-06-01T00:00:00.000Z' },
      audit({ key: 'forward-overdue', subjectId: row.id }),
    );
    expect(await store.getInspection(row.id)).toMatchObject({ stage: 'rectified', updatedAt: '2025-05-01T00:00:00.000Z' });
  });

  it('records findings once per inspection, however often saveFindings is retried', async () => {
    await store.ensureCampaign(campaign());
    const insp = inspection({ id: 'inspection:full-coverage-2025:H010', institutionId: 'H010' });
    await store.saveInspection(insp, audit({ key: 'h010-assigned', subjectId: insp.id }));
    const findings: FindingsRecord = {
      inspectionId: insp.id,
      inspectorId: 'insp-1',
      inspectedAt: '2025-03-01T02:00:00.000Z',
      violation: true,
      items: [
        { category: '串换项目', description: '将甲类药品串换为乙类收费', amountFen: 123456, article: '条例第三十八条' },
        { category: '台账不全', description: '进销存台账缺失' },
      ],
      note: '第一次提交',
      recordedAt: '2025-03-01T03:00:00.000Z',
    };
    const findingsAudit = audit({ key: 'h010-findings', action: 'findings.recorded', subjectId: insp.id });
    const moved = { ...insp, stage: 'rectifying' as const, rectificationDueAt: '2025-04-01T00:00:00.000Z', updatedAt: findings.recordedAt };
    await store.saveFindings(findings, moved, findingsAudit);
    await store.saveFindings(findings, moved, findingsAudit); // plain retry
    // A repeated submission with other findings does not fail and does not replace the first findings.
    await store.saveFindings({ ...findings, note: '第二次提交', violation: false, items: [] }, moved, findingsAudit);

    expect(await store.getFindings(insp.id)).toEqual(findings);
    expect(await count('findings WHERE inspection_id = $1', [insp.id])).toBe(1);
    expect(await store.getInspection(insp.id)).toEqual(moved);
    expect((await store.listAudit(insp.id)).map((a) => a.key)).toEqual(['h010-assigned', 'h010-findings']);
    expect(await store.getFindings('inspection:none')).toBeUndefined();
  });

  it('claims a notification, marks it sent, and reports it sent on the next claim', async () => {
    const n = { key: 'notice:campaign-x:H001', channel: 'email', recipient: 'h001@example.org', subject: '检查通知' };
    expect(await store.claimNotification(n)).toBe('claimed');
    expect(await store.claimNotification(n)).toBe('claimed'); // still pending: a crashed sender may retry
    const pending = await store.getNotification(n.key);
    expect(pending).toMatchObject({ ...n, status: 'pending', messageId: null, sentAt: null });
    expect(pending?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    await store.markNotificationSent(n.key, '<msg-1@jianguan>');
    await store.markNotificationSent(n.key, '<msg-2@jianguan>'); // retry after success keeps the first id
    const sent = await store.getNotification(n.key);
    expect(sent).toMatchObject({ status: 'sent', messageId: '<msg-1@jianguan>', createdAt: pending?.createdAt });
    expect(sent?.sentAt).toMatch(/Z$/);
    expect(await store.claimNotification(n)).toBe('sent');

    await expect(store.markNotificationSent('never-claimed', 'x')).rejects.toThrow(/never claimed/);
    expect(await store.getNotification('never-claimed')).toBeUndefined();
    await store.claimNotification({ ...n, key: 'other:1' });
    expect((await store.listNotifications({ keyPrefix: 'notice:campaign-x:' })).map((x) => x.key)).toEqual([n.key]);
    expect((await store.listNotifications()).map((x) => x.key).sort()).toEqual([n.key, 'other:1']);
  });

  it('refuses to update, delete or truncate the audit trail, even by raw SQL', async () => {
    const entry = audit({ key: 'immutable-1', subjectId: 'immutable' });
    await store.appendAudit(entry);
    await store.appendAudit({ ...entry, reason: 'second write with the same key' }); // no-op
    await expect(store.db.query("UPDATE audit_trail SET reason = 'tampered' WHERE key = $1", [entry.key])).rejects.toThrow(/append-only/);
    await expect(store.db.query('DELETE FROM audit_trail WHERE key = $1', [entry.key])).rejects.toThrow(/append-only/);
    await expect(store.db.query('TRUNCATE audit_trail')).rejects.toThrow(/append-only/);
    expect(await store.listAudit('immutable')).toEqual([entry]);
  });

  it('lists a subject’s audit trail in append order', async () => {
    // Workflow times deliberately out of order: the trail is ordered by when entries were appended.
    const keys = ['ord-c', 'ord-a', 'ord-b'];
    const ats = ['2025-05-03T00:00:00.000Z', '2025-05-01T00:00:00.000Z', '2025-05-02T00:00:00.000Z'];
    for (const [i, key] of keys.entries()) {
      await store.appendAudit(audit({ key, subjectId: 'ordered', at: ats[i], detail: { i, nested: { ok: true } } }));
    }
    await store.appendAudit(audit({ key: 'ord-other', subjectId: 'someone-else' }));
    const trail = await store.listAudit('ordered');
    expect(trail.map((a) => a.key)).toEqual(keys);
    expect(trail.map((a) => a.at)).toEqual(ats);
    expect(trail[2].detail).toEqual({ i: 2, nested: { ok: true } });
  });
});

describe('record store backend specifics', () => {
  it('opens an in-memory PGlite store when given no options', async () => {
    const store = await openStore();
    try {
      expect(store.backend).toBe('pglite');
      expect(await store.listInstitutions('341702')).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('lets two processes open the same fresh PostgreSQL schema at once (migration lock)', async () => {
    const { options, cleanup } = await isolatedStoreOptions('postgres');
    try {
      const stores = await Promise.all([openStore(options), openStore(options), openStore(options)]);
      try {
        const [{ n }] = await stores[0].db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
        expect(n).toBe(migrationFiles().length);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    } finally {
      await cleanup();
    }
  });

  it('fails clearly, rather than skipping, when PostgreSQL is unreachable', async () => {
    await expect(assertPostgresReachable('postgres://postgres@127.0.0.1:1/test')).rejects.toThrow(
      /PostgreSQL is not reachable at .*127\.0\.0\.1:1/,
    );
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(openStore({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/test', schema: 'x; DROP TABLE y' })).rejects.toThrow(
      /invalid schema name/,
    );
  });
});
