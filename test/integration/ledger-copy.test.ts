// The copy a rehearsal starts from (`--from-ledger`, records/copy.ts): every table's rows as the source holds them,
// from either backend into an embedded ledger, the source left as it was, the copy's sequences past the copied keys,
// and a source at another migration refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyLedger } from '../../records/copy';
import { openStore, type SqlStore } from '../../records/store';
import { lastYearsCase, ledgerInstitution } from '../helpers/case-records';
import { BACKENDS, isolatedStoreOptions, ledgerContents } from '../helpers/db';

const J = '349901';
const audit = (key: string, subjectId: string, at: string) => ({
  key,
  actor: 'test',
  action: 'seeded',
  subjectType: 'case',
  subjectId,
  reason: 'seed',
  detail: { note: '复制', n: 1 },
  at,
});

/** A few areas' records: institutions, a credit grade, risk signals, last year's open case, the audit trail. */
async function seed(store: SqlStore): Promise<void> {
  await store.upsertInstitutions([
    ledgerInstitution(),
    ledgerInstitution({ id: 'P001', name: '清溪大药房', kind: 'pharmacy', level: null }),
  ]);
  await store.importRiskSignals([
    { jurisdiction: J, reference: 'JB-2027-1', institutionId: 'H001', kind: 'clue', date: '2027-03-01', note: '举报' },
    { jurisdiction: J, reference: 'SJ-2027-7', institutionId: 'P001', kind: 'data-anomaly', date: '2027-04-02', note: '' },
  ]);
  await store.saveCreditGrade(
    {
      jurisdiction: J,
      institutionId: 'H001',
      year: 2026,
      grade: 'D',
      inspectionId: 'inspection:349901:c:H001',
      decidedAt: '2027-01-05T02:00:00.000Z',
    },
    audit('credit:H001:2026', 'credit:H001:2026', '2027-01-05T02:00:00.000Z'),
  );
  const at = '2026-10-01T02:00:00.000Z';
  await store.saveCase(
    lastYearsCase({ jurisdiction: J, year: 2026, institutionId: 'H001', updatedAt: at }),
    audit('case:H001#rectifying', 'case:H001', at),
  );
}

describe.each(BACKENDS)('copyLedger from %s', (backend) => {
  let source: SqlStore;
  let target: SqlStore;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const isolated = await isolatedStoreOptions(backend);
    cleanup = isolated.cleanup;
    source = await openStore(isolated.options);
    await seed(source);
  });
  afterAll(async () => {
    await target?.close();
    await source?.close();
    await cleanup?.();
  });

  it('copies every row into an empty embedded ledger and leaves the source as it was', async () => {
    const before = await ledgerContents(source.db);
    target = await openStore({});
    const copied = await copyLedger(source.db, target.db);

    const rows = Object.values(before).reduce((n, t) => n + t.length, 0);
    expect(rows).toBeGreaterThan(6);
    expect(copied.rows).toBe(rows);
    expect(await ledgerContents(target.db)).toEqual(before);
    expect(await ledgerContents(source.db)).toEqual(before);
    // The copy is a ledger of its own, and what the workflows read comes back as they wrote it.
    expect(await target.ledgerId()).not.toBe(await source.ledgerId());
    expect(await target.getCreditGrade(J, 'H001', 2026)).toEqual(await source.getCreditGrade(J, 'H001', 2026));
  });

  it("moves the copy's sequences past the copied keys, so that the rehearsal's own rows go in", async () => {
    const [{ max }] = await target.db.query<{ max: string }>('SELECT max(seq)::text AS max FROM audit_trail');
    await target.appendAudit(audit('rehearsal-1', 'case:H001', '2027-02-01T00:00:00.000Z'));
    const [{ seq }] = await target.db.query<{ seq: string }>("SELECT seq::text FROM audit_trail WHERE key = 'rehearsal-1'");
    expect(BigInt(seq)).toBeGreaterThan(BigInt(max));
  });

  it('refuses a source at another migration, saying which side to update, and copies nothing', async () => {
    const empty = await openStore({});
    try {
      await source.db.query("INSERT INTO schema_migrations (name) VALUES ('9999_from_the_future.sql')");
      await expect(copyLedger(source.db, empty.db)).rejects.toThrow(/at migration 9999_from_the_future.sql .*update jianguan/);
      expect(await empty.db.query('SELECT 1 FROM institutions')).toEqual([]);
    } finally {
      await source.db.query("DELETE FROM schema_migrations WHERE name = '9999_from_the_future.sql'");
      await empty.close();
    }
  });
});
