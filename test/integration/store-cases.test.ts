// The record system's case part (migrations 0004, 0005) against both backends: cases on the escalation ladder,
// payments, referrals with the persons they flag, practitioners' points deductions, their audit entries, and the
// year-end case figures.
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApplicationFailure } from '@temporalio/common';
import { createCaseActivities } from '../../activities/cases';
import { createSummaryActivities } from '../../activities/summary';
import { DEFAULT_PLAN_FILE } from '../../config';
import type { Notification } from '../../activities/notifications';
import { CASE_STAGES, REFERRAL_AGENCIES, type CaseStage } from '../../domain/case';
import { formatYuan } from '../../domain/inspection';
import { openPglite, openPostgres, type Db } from '../../records/db';
import { MIGRATIONS_DIR, migrationFiles } from '../../records/migrate';
import { LedgerConflictError, LedgerDataError } from '../../records/errors';
import { openStore, type SqlStore, type StoreOptions } from '../../records/store';
import type { AuditEntry, CaseRecord, PaymentRecord, PointsDeductionRecord, ReferralRecord } from '../../records/types';
import { BACKENDS, isolatedStoreOptions, type Backend } from '../helpers/db';
import { testSealer } from '../helpers/sealer';

const J = '349901';
const CASES_MIGRATION = '0004_cases.sql';
const CASE_LEDGER_MIGRATION = '0005_case_ledger.sql';

const caseRow = (caseNo: string, over: Partial<CaseRecord> = {}): CaseRecord => {
  const jurisdiction = over.jurisdiction ?? J;
  return {
    id: `case:${jurisdiction}:${caseNo}`,
    jurisdiction,
    caseNo,
    year: 2027,
    institutionId: 'H001',
    inspectionId: `inspection:coverage-2027:H001`,
    campaignId: 'coverage-2027',
    stage: 'rectifying',
    overdue: false,
    open: true,
    openedAt: '2027-03-01T02:00:00.000Z',
    dueAt: '2027-04-01T15:59:59.000Z',
    lossFen: 123_456,
    fineFen: 0,
    paidFen: 0,
    outcome: null,
    updatedAt: '2027-03-01T02:00:00.000Z',
    ...over,
  };
};

const audit = (key: string, subjectId: string, over: Partial<AuditEntry> = {}): AuditEntry => ({
  key,
  actor: 'system',
  action: 'case.test',
  subjectType: 'case',
  subjectId,
  reason: '测试',
  detail: {},
  at: '2027-03-01T02:00:00.000Z',
  ...over,
});

const payment = (caseId: string, key: string, amountFen: number, over: Partial<PaymentRecord> = {}): PaymentRecord => ({
  key,
  caseId,
  amountFen,
  paidAt: '2027-05-01T02:00:00.000Z',
  reference: `回单-${key}`,
  recordedBy: 'admin-1',
  ...over,
});

const referral = (caseId: string, over: Partial<ReferralRecord> = {}): ReferralRecord => ({
  caseId,
  agency: 'public-security',
  reason: '涉嫌欺诈骗保',
  status: 'sent',
  sentAt: '2027-05-02T02:00:00.000Z',
  dueAt: '2027-05-16T15:59:59.000Z',
  acknowledgedAt: null,
  acknowledgedBy: null,
  reference: null,
  ...over,
});

const deduction = (key: string, points: number, over: Partial<PointsDeductionRecord> = {}): PointsDeductionRecord => ({
  key,
  practitionerId: 'D0001',
  year: 2027,
  tier: Math.ceil(points / 3),
  points,
  caseId: null,
  reason: '串换药品',
  decidedBy: 'leader-1',
  decidedAt: '2027-06-01T02:00:00.000Z',
  ...over,
});

/** Opens the raw database of `options` without migrating (to build a store as an older release left it). */
async function openRaw(backend: Backend, options: StoreOptions): Promise<Db> {
  if (backend === 'pglite') return openPglite(options.dataDir);
  const db = openPostgres(options.databaseUrl!, options.schema);
  await db.exec(`CREATE SCHEMA IF NOT EXISTS "${options.schema}"`);
  return db;
}

describe.each(BACKENDS)('record store cases (0004) on %s', (backend) => {
  let options: StoreOptions;
  let cleanup: (() => Promise<void>) | undefined;
  let store: SqlStore;
  let setupError: unknown;

  const count = async (sql: string, params: unknown[] = []) =>
    (await store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n;
  const auditKeys = async (subjectId: string) => (await store.listAudit(subjectId)).map((a) => a.key);
  /** Saves a case with its own audit entry (a distinct key per stage and time). */
  const save = async (row: CaseRecord) => store.saveCase(row, audit(`${row.id}:${row.stage}:${row.updatedAt}`, row.id));

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

  it('applies 0004 on top of a store created with the migrations before it, keeping its rows', async () => {
    const shipped = migrationFiles();
    expect(shipped).toContain(CASES_MIGRATION);
    const before = shipped.filter((name) => name < CASES_MIGRATION);
    expect(before.length).toBeGreaterThan(0);
    const old = await isolatedStoreOptions(backend);
    try {
      const raw = await openRaw(backend, old.options);
      try {
        await raw.exec('CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
        for (const name of before) {
          await raw.exec(readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8'));
          await raw.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
        }
        await raw.query(
          `INSERT INTO campaigns (id, jurisdiction, kind, title, year, starts_at, due_at, draw_seed)
           VALUES ('old-c', $1, 'full-coverage', '旧活动', 2026, '2026-01-01T00:00:00Z', '2026-07-31T15:59:59Z', 's')`,
          [J],
        );
        await raw.query(
          `INSERT INTO inspections (id, campaign_id, institution_id, team, draw_seed, announced, stage, due_at, updated_at)
           VALUES ('inspection:old-c:H1', 'old-c', 'H1', ARRAY['a', 'b'], 's', true, 'rectifying', '2026-07-31T15:59:59Z', '2026-03-01T00:00:00Z')`,
        );
        // Before 0004 the database does not know an inspection that opened a case.
        await expect(raw.query("UPDATE inspections SET stage = 'case-opened' WHERE id = 'inspection:old-c:H1'")).rejects.toThrow();
      } finally {
        await raw.close();
      }

      const upgraded = await openStore(old.options);
      try {
        const applied = (await upgraded.db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')).map((r) => r.name);
        expect(applied).toEqual(shipped);
        // The old rows are kept, and the inspection may now end at 'case-opened'.
        const inspection = await upgraded.getInspection('inspection:old-c:H1');
        expect(inspection).toMatchObject({ campaignId: 'old-c', stage: 'rectifying', team: ['a', 'b'] });
        await upgraded.saveInspection({ ...inspection!, stage: 'case-opened' }, audit('old-case-opened', inspection!.id));
        expect((await upgraded.getInspection('inspection:old-c:H1'))?.stage).toBe('case-opened');

        const indexes = (
          await upgraded.db.query<{ indexname: string }>(
            "SELECT indexname FROM pg_indexes WHERE tablename IN ('cases', 'case_payments', 'points_deductions') AND schemaname = current_schema()",
          )
        ).map((r) => r.indexname);
        expect(indexes).toEqual(
          expect.arrayContaining([
            'cases_jurisdiction_year_open_idx',
            'cases_institution_idx',
            'case_payments_case_idx',
            'points_deductions_practitioner_year_idx',
          ]),
        );
        // The new tables work on the upgraded store.
        const c = caseRow('old-c.H1', { year: 2026, institutionId: 'H1', inspectionId: 'inspection:old-c:H1', campaignId: 'old-c' });
        await upgraded.saveCase(c, audit('old-opened', c.id));
        expect(await upgraded.recordPayment(payment(c.id, 'old-pay', 500), audit('old-pay', c.id))).toBe(500);
        expect(await upgraded.getCase(c.id)).toEqual({ ...c, paidFen: 500 });
      } finally {
        await upgraded.close();
      }
      const again = await openStore(old.options);
      try {
        expect((await again.db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations'))[0].n).toBe(shipped.length);
      } finally {
        await again.close();
      }
    } finally {
      await old.cleanup();
    }
  });

  it('saves a case with its audit entry, idempotently; later saves move the ladder, the identity stays', async () => {
    const c = caseRow('rt-1');
    expect(await store.getCase(c.id)).toBeUndefined();
    await store.saveCase(c, audit('rt-1:opened', c.id, { action: 'case.opened' }));
    expect(await store.getCase(c.id)).toEqual(c);
    // A retry: one row, one audit entry.
    await store.saveCase(c, audit('rt-1:opened', c.id, { action: 'case.opened' }));
    expect(await count('cases WHERE id = $1', [c.id])).toBe(1);
    expect(await auditKeys(c.id)).toEqual(['rt-1:opened']);
    expect((await store.listAudit(c.id))[0]).toMatchObject({ action: 'case.opened', subjectType: 'case', actor: 'system' });

    // Up the ladder: stage, overdue, dueAt, amounts and outcome follow; the identity columns keep their first values.
    const interview = {
      ...c,
      stage: 'interview' as const,
      overdue: true,
      dueAt: null,
      lossFen: 5_000_000_000, // beyond 32 bits
      fineFen: 10_000_000_000,
      outcome: '约谈负责人',
      updatedAt: '2027-04-05T02:00:00.000Z',
    };
    await store.saveCase(
      { ...interview, institutionId: 'H999', inspectionId: null, campaignId: null, year: 2030, openedAt: '2030-01-01T00:00:00.000Z' },
      audit('rt-1:interview', c.id),
    );
    expect(await store.getCase(c.id)).toEqual(interview);

    // A late save (older updatedAt, e.g. a retried activity) does not move the case back; its audit entry is kept.
    await store.saveCase({ ...c, stage: 'rectification-overdue', updatedAt: '2027-04-02T00:00:00.000Z' }, audit('rt-1:late', c.id));
    expect(await store.getCase(c.id)).toEqual(interview);
    expect(await auditKeys(c.id)).toEqual(['rt-1:opened', 'rt-1:interview', 'rt-1:late']);

    // Closing: open goes false with the stage.
    const closed = {
      ...interview,
      stage: 'closed' as const,
      open: false,
      overdue: false,
      outcome: '整改到位，结案',
      updatedAt: '2027-06-01T00:00:00.000Z',
    };
    await store.saveCase(closed, audit('rt-1:closed', c.id));
    expect(await store.getCase(c.id)).toEqual(closed);
  });

  it('writes nothing of a refused case save: no row, no audit entry, and no case without its audit entry', async () => {
    const refused = async (row: CaseRecord, key: string) => {
      await expect(store.saveCase(row, audit(key, row.id))).rejects.toThrow();
      expect(await store.getCase(row.id)).toBeUndefined();
      expect(await store.listAudit(row.id)).toEqual([]);
    };
    await refused(caseRow('bad-stage', { stage: 'prosecuted' as CaseStage }), 'bad-stage');
    await refused(caseRow('bad-loss', { lossFen: -1 }), 'bad-loss');
    await refused(caseRow('bad-fine', { fineFen: -100 }), 'bad-fine');
    await refused(caseRow('bad-paid', { paidFen: -5 }), 'bad-paid');
    await refused(caseRow('bad-fraction', { lossFen: 10.5 }), 'bad-fraction');
    await refused(caseRow('bad-open', { stage: 'closed', open: true }), 'bad-open'); // open disagrees with the stage
    await refused(caseRow('bad-open-2', { stage: 'interview', open: false }), 'bad-open-2');
    await refused(caseRow('bad-id', { id: `case:${J}:another-number` }), 'bad-id'); // id is not case:{jurisdiction}:{caseNo}
    // An amount JS cannot hold exactly is refused before it reaches the database.
    await expect(store.saveCase(caseRow('unsafe', { fineFen: 2 ** 60 }), audit('unsafe', `case:${J}:unsafe`))).rejects.toThrow(
      LedgerDataError,
    );
    expect(await store.getCase(`case:${J}:unsafe`)).toBeUndefined();

    // A refused audit entry takes the case row with it.
    const c = caseRow('bad-audit');
    await expect(store.saveCase(c, audit('bad-audit', c.id, { at: 'not-a-timestamp' }))).rejects.toThrow();
    expect(await store.getCase(c.id)).toBeUndefined();
    // And on an existing case, the update too.
    await save(c);
    await expect(
      store.saveCase(
        { ...c, stage: 'interview', updatedAt: '2027-05-01T00:00:00.000Z' },
        audit('bad-audit-2', c.id, { detail: [] as unknown as Record<string, unknown> }),
      ),
    ).rejects.toThrow();
    expect(await store.getCase(c.id)).toEqual(c);
  });

  it('accepts exactly the stages and agencies of domain/case.ts', async () => {
    for (const stage of CASE_STAGES) {
      const c = caseRow(`stage-${stage}`, { stage, open: stage !== 'closed' && stage !== 'withdrawn' });
      await save(c);
      expect((await store.getCase(c.id))?.stage).toBe(stage);
    }
    const c = caseRow('agencies');
    await save(c);
    for (const agency of REFERRAL_AGENCIES) await store.saveReferral(referral(c.id, { agency }), audit(`agencies:${agency}`, c.id));
    expect((await store.listReferrals(c.id)).map((r) => r.agency).sort()).toEqual([...REFERRAL_AGENCIES].sort());
    await expect(
      store.saveReferral(referral(c.id, { agency: 'tax' as ReferralRecord['agency'] }), audit('agencies:tax', c.id)),
    ).rejects.toThrow();
    expect(await auditKeys(c.id)).not.toContain('agencies:tax');
  });

  it('records payments once per key, keeps paidFen the sum of them and returns the total', async () => {
    const c = caseRow('pay-1', { lossFen: 300_000, fineFen: 600_000 });
    await save(c);
    expect(
      await store.recordPayment(payment(c.id, 'pay-1:a', 100_000, { paidAt: '2027-05-03T00:00:00.000Z' }), audit('pay-1:a', c.id)),
    ).toBe(100_000);
    // The same key again (a retried activity): nothing added, the same total.
    expect(
      await store.recordPayment(payment(c.id, 'pay-1:a', 100_000, { paidAt: '2027-05-03T00:00:00.000Z' }), audit('pay-1:a', c.id)),
    ).toBe(100_000);
    expect(
      await store.recordPayment(payment(c.id, 'pay-1:b', 4_000_000_000, { paidAt: '2027-05-02T00:00:00.000Z' }), audit('pay-1:b', c.id)),
    ).toBe(4_000_100_000);
    expect(await count('case_payments WHERE case_id = $1', [c.id])).toBe(2);
    expect(await store.listPayments(c.id)).toEqual([
      payment(c.id, 'pay-1:b', 4_000_000_000, { paidAt: '2027-05-02T00:00:00.000Z' }),
      payment(c.id, 'pay-1:a', 100_000, { paidAt: '2027-05-03T00:00:00.000Z' }),
    ]);
    expect((await store.getCase(c.id))?.paidFen).toBe(4_000_100_000);
    expect(await auditKeys(c.id)).toEqual([`${c.id}:rectifying:${c.updatedAt}`, 'pay-1:a', 'pay-1:b']);

    // A later saveCase that carries an out-of-date paidFen does not overwrite the payments' sum.
    await save({ ...c, stage: 'interview', paidFen: 100_000, updatedAt: '2027-05-10T00:00:00.000Z' });
    expect(await store.getCase(c.id)).toMatchObject({ stage: 'interview', paidFen: 4_000_100_000 });

    // The same key for another payment is refused (a LedgerConflictError, which no retry mends), and adds nothing.
    await expect(store.recordPayment(payment(c.id, 'pay-1:a', 999), audit('pay-1:a-again', c.id))).rejects.toThrow(LedgerConflictError);
    await expect(store.recordPayment(payment(c.id, 'pay-1:a', 999), audit('pay-1:a-again', c.id))).rejects.toThrow(/already recorded/);
    const other = caseRow('pay-2');
    await save(other);
    await expect(store.recordPayment(payment(other.id, 'pay-1:a', 100_000), audit('pay-2:stolen-key', other.id))).rejects.toThrow(
      /already recorded/,
    );
    expect(await store.listAudit(other.id).then((a) => a.map((e) => e.key))).not.toContain('pay-2:stolen-key');
    expect((await store.getCase(other.id))?.paidFen).toBe(0);

    // Zero, negative and fractional amounts and unknown cases are refused, with no audit entry.
    for (const [key, amount] of [
      ['zero', 0],
      ['negative', -100],
      ['fraction', 0.5],
    ] as const) {
      await expect(store.recordPayment(payment(c.id, `pay-1:${key}`, amount), audit(`pay-1:${key}`, c.id))).rejects.toThrow();
    }
    await expect(store.recordPayment(payment(`case:${J}:nope`, 'nope', 100), audit('nope', `case:${J}:nope`))).rejects.toThrow(
      /not in the ledger/,
    );
    expect(await count('case_payments WHERE key = $1', ['nope'])).toBe(0);
    expect(await store.listAudit(`case:${J}:nope`)).toEqual([]);
    expect(await auditKeys(c.id)).not.toEqual(expect.arrayContaining(['pay-1:zero']));
    // A refused audit entry takes the payment with it.
    await expect(store.recordPayment(payment(c.id, 'pay-1:c', 1), audit('pay-1:c', c.id, { at: 'nonsense' }))).rejects.toThrow();
    expect(await count('case_payments WHERE key = $1', ['pay-1:c'])).toBe(0);
    expect((await store.getCase(c.id))?.paidFen).toBe(4_000_100_000);
    expect(await store.listPayments(`case:${J}:nope`)).toEqual([]);
  });

  it('counts every one of concurrent payments on a case', async () => {
    const c = caseRow('pay-race');
    await save(c);
    const n = 12;
    const totals = await Promise.all(
      Array.from({ length: n }, (_, i) => store.recordPayment(payment(c.id, `race-${i}`, 1_000 * (i + 1)), audit(`race-${i}`, c.id))),
    );
    const sum = (1_000 * n * (n + 1)) / 2;
    expect(Math.max(...totals)).toBe(sum);
    expect(new Set(totals).size).toBe(n); // each saw the ones before it: n distinct running totals
    expect((await store.getCase(c.id))?.paidFen).toBe(sum);
    expect((await store.listPayments(c.id)).length).toBe(n);
  });

  it('saves referrals per case and agency with their audit entries; an acknowledgement stays', async () => {
    const c = caseRow('ref-1');
    await save(c);
    const sent = referral(c.id);
    await store.saveReferral(sent, audit('ref-1:ps:sent', c.id));
    await store.saveReferral(sent, audit('ref-1:ps:sent', c.id)); // retry
    expect(await store.listReferrals(c.id)).toEqual([sent]);

    const overdue = { ...sent, status: 'overdue' as const };
    await store.saveReferral(overdue, audit('ref-1:ps:overdue', c.id));
    const health = referral(c.id, {
      agency: 'health',
      reason: '违规诊疗',
      sentAt: '2027-05-03T02:00:00.000Z',
      dueAt: '2027-05-17T15:59:59.000Z',
    });
    await store.saveReferral(health, audit('ref-1:health:sent', c.id));
    expect(await store.listReferrals(c.id)).toEqual([overdue, health]);
    expect(await count('case_referrals WHERE case_id = $1', [c.id])).toBe(2);

    const acknowledged = {
      ...overdue,
      status: 'acknowledged' as const,
      acknowledgedAt: '2027-05-20T02:00:00.000Z',
      acknowledgedBy: '市公安局经侦支队',
      reference: '公经〔2027〕12号',
    };
    await store.saveReferral(acknowledged, audit('ref-1:ps:acknowledged', c.id));
    // A late save of an earlier status does not undo the acknowledgement.
    await store.saveReferral(overdue, audit('ref-1:ps:late-overdue', c.id));
    expect((await store.listReferrals(c.id))[0]).toEqual(acknowledged);
    const unacknowledged = { ...health, status: 'unacknowledged' as const };
    await store.saveReferral(unacknowledged, audit('ref-1:health:unacknowledged', c.id));
    expect(await store.listReferrals(c.id)).toEqual([acknowledged, unacknowledged]);
    expect(await auditKeys(c.id)).toEqual([
      `${c.id}:rectifying:${c.updatedAt}`,
      'ref-1:ps:sent',
      'ref-1:ps:overdue',
      'ref-1:health:sent',
      'ref-1:ps:acknowledged',
      'ref-1:ps:late-overdue',
      'ref-1:health:unacknowledged',
    ]);

    // Refused, each with no audit entry: an unknown status, acknowledged without when/by whom, an acknowledgement
    // under another status, a deadline before sending, an unknown case.
    const refused = async (row: ReferralRecord, key: string) => {
      await expect(store.saveReferral(row, audit(key, row.caseId))).rejects.toThrow();
      expect(await auditKeys(row.caseId)).not.toContain(key);
    };
    await refused(referral(c.id, { agency: 'market', status: 'lost' as ReferralRecord['status'] }), 'bad-status');
    await refused(referral(c.id, { agency: 'market', status: 'acknowledged' }), 'bad-ack-1');
    await refused(referral(c.id, { agency: 'market', status: 'acknowledged', acknowledgedAt: '2027-05-20T02:00:00.000Z' }), 'bad-ack-2');
    await refused(
      referral(c.id, { agency: 'market', status: 'sent', acknowledgedAt: '2027-05-20T02:00:00.000Z', acknowledgedBy: 'x' }),
      'bad-ack-3',
    );
    await refused(referral(c.id, { agency: 'market', dueAt: '2027-05-01T00:00:00.000Z' }), 'bad-due');
    await refused(referral(`case:${J}:nope`), 'no-case');
    expect(await count('case_referrals WHERE case_id = $1 AND agency = $2', [c.id, 'market'])).toBe(0);
    expect(await store.listReferrals(`case:${J}:nope`)).toEqual([]);
  });

  it('recordCasePayment fails for good (non-retryable) on a payment key reused for another amount, and stays idempotent otherwise', async () => {
    const activities = createCaseActivities({ cases: store, points: store, sealer: testSealer });
    const c = caseRow('pay-act');
    await save(c);
    const first = payment(c.id, 'pay-act:1', 5_000);
    expect(await activities.recordCasePayment(first, audit('pay-act:1', c.id))).toBe(5_000);
    expect(await activities.recordCasePayment(first, audit('pay-act:1', c.id))).toBe(5_000);
    const conflict = await activities.recordCasePayment({ ...first, amountFen: 6_000 }, audit('pay-act:1b', c.id)).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(ApplicationFailure);
    expect(conflict).toMatchObject({ type: 'PaymentConflict', nonRetryable: true });
    expect((conflict as Error).message).toMatch(/payment key pay-act:1 is already recorded/);
    // Any other failure stays retryable (a plain error: the worker retries it).
    const missing = await activities
      .recordCasePayment(payment(`case:${J}:nope`, 'pay-act:nope', 1), audit('pay-act:nope', `case:${J}:nope`))
      .catch((e: unknown) => e);
    expect(missing).not.toBeInstanceOf(ApplicationFailure);
    expect(await store.listPayments(c.id)).toEqual([first]);
    expect(await auditKeys(c.id)).not.toContain('pay-act:1b');
  });

  it('keeps the persons a referral flags for the discipline commission sealed (0011), through every later save', async () => {
    const c = caseRow('ref-persons');
    await save(c);
    const persons = [
      { name: '某甲', role: '院长' },
      { name: '某乙', role: '医保办主任' },
    ];
    const activities = createCaseActivities({ cases: store, points: store, sealer: testSealer });
    const sent = { ...referral(c.id, { agency: 'discipline' }), persons };
    await activities.saveReferral(sent, audit('ref-persons:sent', c.id, { detail: { agency: 'discipline', flaggedPersons: 2 } }));
    const [stored] = await store.listReferrals(c.id);
    expect(stored!.persons?.count).toBe(2);
    expect(JSON.parse(testSealer.open(stored!.persons!.keyId, stored!.persons!.sealed))).toEqual(persons);
    const acknowledged = {
      ...sent,
      status: 'acknowledged' as const,
      acknowledgedAt: '2027-05-04T02:00:00.000Z',
      acknowledgedBy: '区纪委案管室',
      reference: 'JW-1',
    };
    await activities.saveReferral(acknowledged, audit('ref-persons:ack', c.id));
    const [after] = await store.listReferrals(c.id);
    expect(after).toMatchObject({ status: 'acknowledged', persons: { count: 2 } });
    // Nowhere in the ledger in clear: the referral's row, the audit trail.
    const rows = JSON.stringify(await store.db.query('SELECT * FROM case_referrals')) + JSON.stringify(await store.listAudit(c.id));
    for (const p of persons) expect(rows).not.toContain(p.name);
    // None flagged: no sealed list.
    await activities.saveReferral({ ...referral(c.id, { agency: 'health' }), persons: [] }, audit('ref-persons:health', c.id));
    expect((await store.listReferrals(c.id)).find((r) => r.agency === 'health')?.persons).toBeUndefined();
  });

  it('applies 0005 on top of a store at 0004: its cases and referrals kept, the new stages allowed, persons []', async () => {
    const shipped = migrationFiles();
    expect(shipped).toContain(CASE_LEDGER_MIGRATION);
    const upTo0004 = shipped.filter((name) => name <= CASES_MIGRATION);
    const old = await isolatedStoreOptions(backend);
    try {
      const raw = await openRaw(backend, old.options);
      try {
        await raw.exec('CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
        for (const name of upTo0004) {
          await raw.exec(readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8'));
          await raw.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
        }
        await raw.query(
          `INSERT INTO cases (id, jurisdiction, case_no, year, institution_id, stage, open, opened_at, updated_at)
           VALUES ($1, $2, 'old', 2026, 'H1', 'suspended', true, '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z')`,
          [`case:${J}:old`, J],
        );
        await raw.query(
          `INSERT INTO case_referrals (case_id, agency, reason, status, sent_at, due_at)
           VALUES ($1, 'discipline', '旧移送', 'sent', '2026-03-02T00:00:00Z', '2026-03-12T00:00:00Z')`,
          [`case:${J}:old`],
        );
        // Before 0005 the database knows neither new stage.
        await expect(raw.query(`UPDATE cases SET stage = 'suspension-lifted' WHERE id = $1`, [`case:${J}:old`])).rejects.toThrow();
      } finally {
        await raw.close();
      }
      const upgraded = await openStore(old.options);
      try {
        expect(await upgraded.getCase(`case:${J}:old`)).toMatchObject({ stage: 'suspended', open: true });
        expect(await upgraded.listReferrals(`case:${J}:old`)).toEqual([
          expect.objectContaining({ agency: 'discipline', reason: '旧移送' }),
        ]);
        for (const stage of ['suspension-lifted', 'rectified'] as const) {
          const row = caseRow(`old-${stage}`, { stage });
          await upgraded.saveCase(row, audit(`old-${stage}`, row.id));
          expect((await upgraded.getCase(row.id))?.stage).toBe(stage);
        }
      } finally {
        await upgraded.close();
      }
    } finally {
      await old.cleanup();
    }
  });

  it('a ledger from before 0011: the flagged persons leave the audit trail (0014) and are sealed in their referral', async () => {
    const upTo0010 = migrationFiles().filter((name) => name <= '0010_clues.sql');
    const old = await isolatedStoreOptions(backend);
    const persons = [
      { name: '某丙', role: '院长' },
      { name: '某丁', role: '医保办主任' },
    ];
    const id = `case:${J}:legacy`;
    try {
      const raw = await openRaw(backend, old.options);
      try {
        await raw.exec('CREATE TABLE schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
        for (const name of upTo0010) {
          await raw.exec(readFileSync(path.join(MIGRATIONS_DIR, name), 'utf8'));
          await raw.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
        }
        await raw.query(
          `INSERT INTO cases (id, jurisdiction, case_no, year, institution_id, stage, open, opened_at, updated_at)
           VALUES ($1, $2, 'legacy', 2026, 'H1', 'suspended', true, '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z')`,
          [id, J],
        );
        await raw.query(
          `INSERT INTO case_referrals (case_id, agency, reason, status, sent_at, due_at, persons)
           VALUES ($1, 'discipline', '人事同查', 'sent', '2026-03-02T00:00:00Z', '2026-03-12T00:00:00Z', $2::jsonb)`,
          [id, JSON.stringify(persons)],
        );
        await raw.query(
          `INSERT INTO audit_trail (key, actor, action, subject_type, subject_id, reason, detail, at)
           VALUES ('legacy:referred', 'leader-1', 'referral-sent', 'case', $1, '移送纪委', $2::jsonb, '2026-03-02T00:00:00Z')`,
          [id, JSON.stringify({ agency: 'discipline', persons })],
        );
      } finally {
        await raw.close();
      }
      const upgraded = await openStore(old.options);
      try {
        const [entry] = await upgraded.listAudit(id);
        expect(entry!.detail).toEqual({ agency: 'discipline', flaggedPersons: 2 });
        expect(await upgraded.listAudit('audit_trail')).toMatchObject([
          { action: 'audit-redacted', subjectType: 'ledger', detail: { entries: 1, keys: ['legacy:referred'] } },
        ]);
        expect(await upgraded.sealLegacyReferralPersons((clear) => testSealer.seal(clear))).toBe(1);
        expect(await upgraded.sealLegacyReferralPersons((clear) => testSealer.seal(clear))).toBe(0);
        const [referralRow] = await upgraded.listReferrals(id);
        expect(JSON.parse(testSealer.open(referralRow!.persons!.keyId, referralRow!.persons!.sealed))).toEqual(persons);
        const everything =
          JSON.stringify(await upgraded.db.query('SELECT * FROM case_referrals')) +
          JSON.stringify(await upgraded.db.query('SELECT * FROM audit_trail'));
        for (const p of persons) expect(everything).not.toContain(p.name);
      } finally {
        await upgraded.close();
      }
    } finally {
      await old.cleanup();
    }
  });

  it('records points deductions once per key and returns the practitioner’s total for the year', async () => {
    const p = 'D0001';
    expect(await store.listPointsDeductions(p, 2027)).toEqual([]);
    const c = caseRow('points-1');
    await save(c);
    const first = deduction('pts-1', 3, { caseId: c.id, decidedAt: '2027-06-01T02:00:00.000Z' });
    expect(await store.recordPointsDeduction(first, audit('pts-1', `points:${p}:2027`))).toBe(3);
    expect(await store.recordPointsDeduction(first, audit('pts-1', `points:${p}:2027`))).toBe(3); // retry
    const second = deduction('pts-2', 7, { decidedAt: '2027-05-01T02:00:00.000Z' });
    expect(await store.recordPointsDeduction(second, audit('pts-2', `points:${p}:2027`))).toBe(10);
    // Another year and another practitioner are counted apart.
    expect(await store.recordPointsDeduction(deduction('pts-3', 12, { year: 2028 }), audit('pts-3', `points:${p}:2028`))).toBe(12);
    expect(await store.recordPointsDeduction(deduction('pts-4', 2, { practitionerId: 'D0002' }), audit('pts-4', 'points:D0002:2027'))).toBe(
      2,
    );
    expect(await store.listPointsDeductions(p, 2027)).toEqual([second, first]);
    expect(await auditKeys(`points:${p}:2027`)).toEqual(['pts-1', 'pts-2']);

    // Refused, each with no row and no audit entry.
    const refused = async (row: PointsDeductionRecord, message?: RegExp) => {
      await expect(
        store.recordPointsDeduction(row, audit(`refused:${row.key}:${row.points}`, `points:${row.practitionerId}:${row.year}`)),
      ).rejects.toThrow(message);
      expect(await auditKeys(`points:${row.practitionerId}:${row.year}`)).not.toContain(`refused:${row.key}:${row.points}`);
    };
    await refused(deduction('pts-1', 5), /already recorded/); // the same key for another deduction
    await refused(deduction('pts-bad-0', 0, { tier: 1 }));
    await refused(deduction('pts-bad-13', 13, { tier: 4 }));
    await refused(deduction('pts-bad-tier', 3, { tier: 5 }));
    await refused(deduction('pts-bad-tier0', 3, { tier: 0 }));
    expect(await count("points_deductions WHERE key LIKE 'pts-bad%'")).toBe(0);
    expect(await store.listPointsDeductions(p, 2027)).toHaveLength(2);

    // Concurrent deductions of one practitioner and year: every returned total counts the ones before it.
    const totals = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        store.recordPointsDeduction(
          deduction(`race-pts-${i}`, 1, { practitionerId: 'D-race', tier: 1 }),
          audit(`race-pts-${i}`, 'points:D-race:2027'),
        ),
      ),
    );
    expect([...totals].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('lists cases by jurisdiction, year, open and institution, in order of opening; and the open ones of a year', async () => {
    const j = 'list';
    const rows = [
      caseRow('c3', { jurisdiction: j, openedAt: '2027-03-03T00:00:00.000Z', institutionId: 'H1' }),
      caseRow('c1', { jurisdiction: j, openedAt: '2027-03-01T00:00:00.000Z', institutionId: 'H2' }),
      caseRow('c2', { jurisdiction: j, openedAt: '2027-03-01T00:00:00.000Z', institutionId: 'H1', stage: 'closed', open: false }),
      caseRow('c4', { jurisdiction: j, openedAt: '2027-09-01T00:00:00.000Z', institutionId: 'H1', stage: 'withdrawn', open: false }),
      caseRow('c5', { jurisdiction: j, year: 2026, openedAt: '2026-11-01T00:00:00.000Z', institutionId: 'H1', stage: 'suspended' }),
      caseRow('c6', { jurisdiction: 'list-2', openedAt: '2027-03-01T00:00:00.000Z', institutionId: 'H1' }),
    ];
    for (const r of rows) await save(r);
    const ids = (list: CaseRecord[]) => list.map((c) => c.caseNo);
    expect(ids(await store.listCases({ jurisdiction: j }))).toEqual(['c5', 'c1', 'c2', 'c3', 'c4']);
    expect(ids(await store.listCases({ jurisdiction: j, year: 2027 }))).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(ids(await store.listCases({ jurisdiction: j, open: true }))).toEqual(['c5', 'c1', 'c3']);
    expect(ids(await store.listCases({ jurisdiction: j, open: false }))).toEqual(['c2', 'c4']);
    expect(ids(await store.listCases({ jurisdiction: j, institutionId: 'H1' }))).toEqual(['c5', 'c2', 'c3', 'c4']);
    expect(ids(await store.listCases({ jurisdiction: j, year: 2027, open: true, institutionId: 'H1' }))).toEqual(['c3']);
    expect(await store.listCases({ jurisdiction: j, year: 2025 })).toEqual([]);
    expect(await store.listCases({ jurisdiction: 'nowhere' })).toEqual([]);
    expect((await store.listCases({ jurisdiction: j, year: 2026 }))[0]).toEqual(rows[4]);

    expect(ids(await store.listOpenCaseRecords(j, 2027))).toEqual(['c1', 'c3']);
    expect(await store.listOpenCaseRecords(j, 2026)).toEqual([rows[4]]);
    expect(await store.listOpenCaseRecords('list-2', 2026)).toEqual([]);
    // Closing a case takes it off the open list.
    await save({ ...rows[0], stage: 'closed', open: false, updatedAt: '2027-10-01T00:00:00.000Z' });
    expect(ids(await store.listOpenCaseRecords(j, 2027))).toEqual(['c1']);
  });

  it('sums up the year’s cases, and the year-end mail shows the figures', async () => {
    const j = 'sum-cases';
    const noCases = { opened: 0, open: 0, closed: 0, withdrawn: 0, lossFen: 0, fineFen: 0, paidFen: 0, referrals: 0 };
    expect((await store.yearSummary(j, 2027)).cases).toEqual(noCases);

    const a = caseRow('a', { jurisdiction: j, lossFen: 300_000, fineFen: 600_000 });
    const b = caseRow('b', { jurisdiction: j, lossFen: 3_000_000_000, fineFen: 6_000_000_000, stage: 'closed', open: false });
    const w = caseRow('w', { jurisdiction: j, lossFen: 1_000, stage: 'withdrawn', open: false });
    const s = caseRow('s', { jurisdiction: j, lossFen: 50, fineFen: 100, stage: 'suspended' });
    const lastYear = caseRow('old', { jurisdiction: j, year: 2026, lossFen: 7, fineFen: 7 });
    const elsewhere = caseRow('x', { jurisdiction: 'sum-cases-2', lossFen: 9, fineFen: 9 });
    for (const r of [a, b, w, s, lastYear, elsewhere]) await save(r);
    await store.recordPayment(payment(a.id, 'sum-pay-a', 450_000), audit('sum-pay-a', a.id));
    await store.recordPayment(payment(b.id, 'sum-pay-b', 9_000_000_000), audit('sum-pay-b', b.id));
    await store.recordPayment(payment(lastYear.id, 'sum-pay-old', 14), audit('sum-pay-old', lastYear.id));
    await store.saveReferral(referral(a.id), audit('sum-ref-a1', a.id));
    await store.saveReferral(referral(a.id, { agency: 'discipline' }), audit('sum-ref-a2', a.id));
    await store.saveReferral(referral(b.id, { agency: 'market' }), audit('sum-ref-b', b.id));
    await store.saveReferral(referral(lastYear.id), audit('sum-ref-old', lastYear.id));
    await store.saveReferral(referral(elsewhere.id), audit('sum-ref-x', elsewhere.id));

    const figures = {
      opened: 4,
      open: 2,
      closed: 1,
      withdrawn: 1,
      lossFen: 300_000 + 3_000_000_000 + 1_000 + 50,
      fineFen: 600_000 + 6_000_000_000 + 100,
      paidFen: 450_000 + 9_000_000_000,
      referrals: 3,
    };
    const summary = await store.yearSummary(j, 2027);
    expect(summary.cases).toEqual(figures);
    expect(summary).toMatchObject({ campaigns: 0, inspections: 0, lossFen: 0 }); // inspection figures are apart
    expect((await store.yearSummary(j, 2026)).cases).toEqual({
      ...noCases,
      opened: 1,
      open: 1,
      lossFen: 7,
      fineFen: 7,
      paidFen: 14,
      referrals: 1,
    });

    // The year-end summary activity carries them and mails them in Chinese, amounts in yuan.
    const sent: Notification[] = [];
    const activities = createSummaryActivities({
      summary: store,
      statistics: store,
      planFile: DEFAULT_PLAN_FILE,
      send: async (n) => void sent.push(n),
    });
    const result = await activities.sendYearSummary({
      key: 'sum-cases:year-summary',
      jurisdiction: j,
      jurisdictionName: '清溪区',
      year: 2027,
      to: [{ name: '领导小组', email: 'leaders@example.org' }],
    });
    expect(result.cases).toEqual(figures);
    expect(sent).toHaveLength(1);
    const text = sent[0].text;
    expect(text).toContain('立案 4 件，其中已结案 1 件、已撤销 1 件、尚未办结 2 件');
    expect(text).toContain(`责令退回医保基金 ${formatYuan(figures.lossFen)}`);
    expect(text).toContain(`罚款 ${formatYuan(figures.fineFen)}`);
    expect(text).toContain(`已缴纳退款及罚款 ${formatYuan(figures.paidFen)}`);
    expect(text).toContain('移送有关部门 3 件');
    expect(formatYuan(figures.paidFen)).toBe('90,004,500.00 元');
    // With the year's statistics table and typical cases (seed 003 §6) as one workbook.
    const [attachment] = sent[0].attachments ?? [];
    expect(attachment?.filename).toBe('清溪区2027年打击欺诈骗保工作情况统计表.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(attachment!.content as unknown as ExcelJS.Buffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['统计表', '典型案例']);
  });
});
