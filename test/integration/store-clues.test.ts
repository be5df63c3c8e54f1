// The record system's clue part (migration 0010) against both backends: a clue's row as its workflow saves it (a
// late save changes nothing, a filed report is kept), transferred batches recorded once, and the reporters' sealed
// identities kept once per clue, never in clear.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type SqlStore } from '../../records/store';
import type { AuditEntry, ClueRecord } from '../../records/types';
import { LedgerConflictError } from '../../records/errors';
import { CLUE_STAGES } from '../../domain/clue';
import { BACKENDS, isolatedStoreOptions } from '../helpers/db';
import { REPORTER } from '../helpers/clue-input';
import { testSealer } from '../helpers/sealer';

const J = '349901';
const AT = '2027-03-01T02:00:00.000Z';
const later = (minutes: number) => new Date(Date.parse(AT) + minutes * 60_000).toISOString();

const audit = (key: string, subjectId: string): AuditEntry => ({
  key,
  actor: 'test',
  action: 'saved',
  subjectType: 'clue',
  subjectId,
  reason: 'test',
  detail: {},
  at: AT,
});

const clue = (clueNo: string, over: Partial<ClueRecord> = {}): ClueRecord => ({
  id: `clue:${J}:${clueNo}`,
  jurisdiction: J,
  clueNo,
  year: 2027,
  receivedAt: AT,
  channel: 'phone',
  source: 'local',
  batchNo: null,
  batchDate: null,
  institutionId: 'H001',
  subject: '示范医院',
  summary: '串换药品',
  realName: true,
  reporterMasked: '欧***',
  stage: 'awaiting-acceptance',
  overdue: false,
  dueAt: '2027-03-22T15:59:00.000Z',
  unitId: null,
  outcome: null,
  verifiedFen: 0,
  action: null,
  concludedAt: null,
  caseId: null,
  rewardFen: 0,
  rewardPaidAt: null,
  rewardWaivedAt: null,
  report: null,
  updatedAt: AT,
  ...over,
});

describe.each(BACKENDS)('clue ledger (%s)', (backend) => {
  let store: SqlStore;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const isolated = await isolatedStoreOptions(backend);
    cleanup = isolated.cleanup;
    store = await openStore(isolated.options);
  });
  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });

  it('saves a clue as its workflow moves it; a save older than the row changes nothing; a filed report stays', async () => {
    await store.saveClue(clue('JB-1'), audit('a1', 'JB-1'));
    await store.saveClue(
      clue('JB-1', { stage: 'concluded', outcome: 'verified', verifiedFen: 123_456, report: '处理报告', updatedAt: later(10) }),
      audit('a2', 'JB-1'),
    );
    await store.saveClue(clue('JB-1', { stage: 'verifying', updatedAt: later(5) }), audit('a3', 'JB-1'));
    await store.saveClue(
      clue('JB-1', { stage: 'closed', outcome: 'verified', verifiedFen: 123_456, updatedAt: later(20) }),
      audit('a4', 'JB-1'),
    );
    expect(await store.getClue(J, 'JB-1')).toMatchObject({
      stage: 'closed',
      verifiedFen: 123_456,
      report: '处理报告',
      updatedAt: later(20),
    });
    expect((await store.listAudit('JB-1')).map((a) => a.key)).toEqual(['a1', 'a2', 'a3', 'a4']);
  });

  it('refuses a stage the workflow does not know', async () => {
    await expect(store.saveClue(clue('JB-2', { stage: 'lost' }), audit('b1', 'JB-2'))).rejects.toThrow();
    expect(await store.getClue(J, 'JB-2')).toBeUndefined();
    for (const stage of CLUE_STAGES) await store.saveClue(clue(`JB-S-${stage}`, { stage }), audit(`s-${stage}`, stage));
  });

  it('records a transferred batch once and lists its clues', async () => {
    const batch = {
      jurisdiction: J,
      source: 'national' as const,
      batchNo: '2027-07',
      batchDate: '2027-02-26',
      clueCount: 2,
      receivedAt: AT,
    };
    await store.saveClueBatch(batch);
    await store.saveClueBatch(batch);
    await expect(store.saveClueBatch({ ...batch, clueCount: 3 })).rejects.toThrow(LedgerConflictError);
    expect(await store.listClueBatches(J)).toEqual([batch]);
    const transferred = { source: 'national' as const, batchNo: '2027-07', batchDate: '2027-02-26', channel: 'transferred' };
    await store.saveClue(clue('GJ-1', transferred), audit('g1', 'GJ-1'));
    await store.saveClue(clue('GJ-2', transferred), audit('g2', 'GJ-2'));
    expect(
      (await store.listClues({ jurisdiction: J, source: 'national', batchNo: '2027-07' })).map((c) => [c.clueNo, c.batchDate]),
    ).toEqual([
      ['GJ-1', '2027-02-26'],
      ['GJ-2', '2027-02-26'],
    ]);
    // A clue of a batch the ledger does not have is refused.
    await expect(store.saveClue(clue('GJ-3', { ...transferred, batchNo: 'nowhere' }), audit('g3', 'GJ-3'))).rejects.toThrow();
  });

  it('keeps a sealed reporter once per clue, and nothing of the identity in clear', async () => {
    const sealed = { jurisdiction: J, clueNo: 'JB-R', ...testSealer.seal(JSON.stringify(REPORTER)), masked: '欧***' };
    expect(await store.saveReporter(sealed)).toBe(true);
    expect(await store.saveReporter({ ...sealed, ...testSealer.seal(JSON.stringify(REPORTER)) })).toBe(false);
    const stored = (await store.getReporter(J, 'JB-R'))!;
    expect(stored.sealed).toBe(sealed.sealed);
    expect(JSON.parse(testSealer.open(stored.keyId, stored.sealed))).toEqual(REPORTER);
    const raw = JSON.stringify(await store.db.query('SELECT * FROM clue_reporters'));
    for (const secret of [REPORTER.name, REPORTER.phone!, REPORTER.idNumber!, REPORTER.email!]) expect(raw).not.toContain(secret);
  });
});
