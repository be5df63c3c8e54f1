// The ledger's figures for the weekly tables (records/ledger/weekly-report.ts) against both backends, from a scripted
// ledger whose expected figures are worked out by hand below: only what happened in [1 January, cut-off] counts, the
// steps of a case from its audit trail, payments toward the return first, batches still open carried into the year,
// the monthly turnover a suspension stated (else the plan's), money returned to patients.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LedgerConflictError } from '../../records/errors';
import { openStore, type SqlStore } from '../../records/store';
import type { AuditEntry, CaseRecord } from '../../records/types';
import { weeklyTablesFromLedger } from '../../activities/weekly-report';
import { BACKENDS, isolatedStoreOptions } from '../helpers/db';
import { lastYearsCase } from '../helpers/case-records';

const J = '349901';
const TZ = 'Asia/Shanghai';
const CAMPAIGN = `${J}-coverage-2027`;
// 2027-W14: Wednesday 7 April 09:00 +08:00; the period from 1 January 00:00 +08:00.
const PERIOD = { periodStart: '2026-12-31T16:00:00.000Z', cutOff: '2027-04-07T01:00:00.000Z', firstDay: '2027-01-01' };

const step = (caseId: string, action: string, at: string, detail: Record<string, unknown> = {}): AuditEntry => ({
  key: `${caseId}:${action}`,
  actor: 'test',
  action,
  subjectType: 'case',
  subjectId: caseId,
  reason: 'test',
  detail,
  at,
});

async function seed(store: SqlStore): Promise<void> {
  const institution = (id: string, kind: 'hospital' | 'pharmacy', jurisdiction = J) => ({
    jurisdiction,
    id,
    name: `机构${id}`,
    kind,
    level: null,
    ownership: 'public' as const,
    district: '清溪区',
    responsibleUnitId: 'U1',
    contacts: [],
  });
  await store.upsertInstitutions([
    institution('H1', 'hospital'),
    institution('H2', 'hospital'),
    institution('H3', 'hospital'),
    institution('P1', 'pharmacy'),
    institution('P2', 'pharmacy'),
  ]);
  await store.upsertInstitutions([institution('X1', 'hospital', '349902')]);
  // 月营业额 from the plan: H2's (terminated without a figure of its own); H1's is overridden by its suspension's.
  await store.upsertInstitutions([
    { ...institution('H1', 'hospital'), monthlyTurnoverFen: 1 },
    { ...institution('H2', 'hospital'), monthlyTurnoverFen: 80_000_000 },
  ]);
  const db = store.db;
  await db.query(
    `INSERT INTO campaigns (id, jurisdiction, kind, title, year, starts_at, due_at, draw_seed)
     VALUES ($1, $2, 'coverage', '全覆盖', 2027, '2027-01-01T00:00:00Z', '2027-07-31T15:59:00Z', 's')`,
    [CAMPAIGN, J],
  );
  // H1 on site in March; H2 inspected (not claimed on site); H3 before the year; P1 after the cut-off.
  for (const [institutionId, inspectedAt, onSite] of [
    ['H1', '2027-03-01T02:00:00Z', true],
    ['H2', '2027-03-02T02:00:00Z', false],
    ['H3', '2026-12-20T02:00:00Z', true],
    ['P1', '2027-04-08T02:00:00Z', true],
  ] as const) {
    const id = `inspection:${CAMPAIGN}:${institutionId}`;
    await db.query(
      `INSERT INTO inspections (id, campaign_id, institution_id, team, draw_seed, announced, stage, due_at, updated_at)
       VALUES ($1, $2, $3, '{}', 's', true, 'compliant', '2027-07-31T15:59:00Z', $4)`,
      [id, CAMPAIGN, institutionId, inspectedAt],
    );
    await db.query(
      `INSERT INTO findings (inspection_id, inspector_id, inspected_at, violation, items, note, recorded_at)
       VALUES ($1, 'I01', $2, false, '[]'::jsonb, '', $2)`,
      [id, inspectedAt],
    );
    if (onSite) {
      await store.claimOnSiteInspection({ jurisdiction: J, institutionId, year: Number(inspectedAt.slice(0, 4)), inspectionId: id });
    }
  }

  const kase = async (institutionId: string, caseNo: string, over: Partial<CaseRecord>, steps: Array<[string, string, object?]>) => {
    const row = lastYearsCase({ jurisdiction: J, year: 2027, institutionId, updatedAt: '2027-01-01T00:00:00Z' }, over);
    const c = { ...row, caseNo, id: `case:${J}:${caseNo}` };
    const [[firstAction, firstAt, firstDetail], ...rest] = steps;
    await store.saveCase(c, step(c.id, firstAction!, firstAt!, firstDetail as Record<string, unknown>));
    for (const [action, at, detail] of rest) await store.appendAudit(step(c.id, action, at, detail as Record<string, unknown>));
    return c.id;
  };
  const penalty = (recoveryFen: number, fineFen: number) => ({ assessment: { recoveryFen, fineFen, totalFen: recoveryFen + fineFen } });
  const pay = (caseId: string, key: string, amountFen: number, paidAt: string) =>
    store.recordPayment({ key, caseId, amountFen, paidAt, reference: key, recordedBy: 'test' }, step(caseId, `pay-${key}`, paidAt));

  // A: H1 opened, interviewed, penalised (return 10,000 yuan, fine 15,000), suspended; 12,000 paid in March, more after.
  const a = await kase('H1', 'A', { lossFen: 1_000_000, openedAt: '2027-02-01T02:00:00Z' }, [
    ['case-opened', '2027-02-01T02:00:00Z'],
    ['interview', '2027-03-01T02:00:00Z'],
    ['penalty-decided', '2027-03-05T02:00:00Z', penalty(1_000_000, 1_500_000)],
    ['suspended', '2027-03-10T02:00:00Z', { monthlyTurnoverFen: 30_000_000 }],
  ]);
  await pay(a, 'a1', 1_200_000, '2027-03-20T02:00:00Z');
  // Returned to patients (为患者追回资金): 500 yuan in the period, 100 after the cut-off.
  const refund = (reference: string, amountFen: number, paidAt: string) =>
    store.recordPatientRefund({ caseId: a, amountFen, paidAt, reference, recordedBy: 'test' }, step(a, `refund-${reference}`, paidAt));
  await refund('R1', 50_000, '2027-03-25T02:00:00Z');
  await refund('R2', 10_000, '2027-04-09T02:00:00Z');
  await pay(a, 'a2', 800_000, '2027-04-10T02:00:00Z');
  // B: H1 again.
  await kase('H1', 'B', { lossFen: 200, openedAt: '2027-03-15T02:00:00Z' }, [['case-opened', '2027-03-15T02:00:00Z']]);
  // C: H2 from last year: return 5,000 decided and 3,000 paid then; terminated and referred to the police this year.
  const c = await kase('H2', 'C', { lossFen: 500_000, openedAt: '2026-11-01T02:00:00Z', year: 2026 }, [
    ['case-opened', '2026-11-01T02:00:00Z'],
    ['penalty-decided', '2026-12-01T02:00:00Z', penalty(500_000, 0)],
    ['terminated', '2027-01-10T02:00:00Z'],
    ['referral-sent', '2027-01-11T02:00:00Z', { agency: 'public-security' }],
  ]);
  await pay(c, 'c1', 300_000, '2026-12-15T02:00:00Z');
  await pay(c, 'c2', 300_000, '2027-02-01T02:00:00Z');
  // D: P1 after the cut-off. E: P2 ordered to return (no fine) and referred to the health commission.
  await kase('P1', 'D', { openedAt: '2027-04-08T02:00:00Z' }, [['case-opened', '2027-04-08T02:00:00Z']]);
  await kase('P2', 'E', { lossFen: 10_000, openedAt: '2027-03-01T02:00:00Z' }, [
    ['case-opened', '2027-03-01T02:00:00Z'],
    ['penalty-decided', '2027-03-02T02:00:00Z', penalty(10_000, 0)],
    ['referral-sent', '2027-03-03T02:00:00Z', { agency: 'health' }],
  ]);

  const batch = (source: string, batchNo: string, batchDate: string, count: number, receivedAt: string) =>
    db.query(
      `INSERT INTO clue_batches (jurisdiction, source, batch_no, batch_date, clue_count, received_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [J, source, batchNo, batchDate, count, receivedAt],
    );
  await batch('national', '1', '2026-12-03', 3, '2026-12-03T02:00:00Z');
  await batch('provincial', '1', '2026-11-23', 2, '2026-11-23T02:00:00Z');
  await batch('national', '2', '2027-04-08', 1, '2027-04-08T02:00:00Z');
  const clue = (
    no: string,
    source: string,
    batchNo: string | null,
    receivedAt: string,
    concludedAt: string | null,
    outcome: string | null,
  ) =>
    db.query(
      `INSERT INTO clues (id, jurisdiction, clue_no, year, received_at, channel, source, batch_no, batch_date, subject, summary,
                          real_name, reporter_masked, stage, overdue, outcome, concluded_at, updated_at)
       VALUES ($1, $2, $3, 2027, $4, 'phone', $5, $6, (SELECT batch_date FROM clue_batches WHERE jurisdiction = $2 AND source = $5 AND batch_no = $6),
               '机构', '摘要', false, '匿名', 'verifying', false, $7, $8, $4)`,
      [`clue:${J}:${no}`, J, no, receivedAt, source, batchNo, outcome, concludedAt],
    );
  await clue('N1', 'national', '1', '2026-12-03T02:00:00Z', '2027-03-01T02:00:00Z', 'verified');
  await clue('N2', 'national', '1', '2026-12-03T02:00:00Z', '2027-04-09T02:00:00Z', 'unfounded');
  await clue('N3', 'national', '1', '2026-12-03T02:00:00Z', null, null);
  await clue('S1', 'provincial', '1', '2026-11-23T02:00:00Z', '2026-12-20T02:00:00Z', 'verified');
  await clue('S2', 'provincial', '1', '2026-11-23T02:00:00Z', '2026-12-20T02:00:00Z', 'unfounded');
  await clue('L1', 'local', null, '2027-02-01T02:00:00Z', '2027-02-20T02:00:00Z', 'partly-verified');
  await clue('L2', 'local', null, '2027-03-01T02:00:00Z', null, null);
  await clue('L3', 'local', null, '2026-12-01T02:00:00Z', '2026-12-05T02:00:00Z', 'verified');
}

describe.each(BACKENDS)('weekly report figures (%s)', (backend) => {
  let store: SqlStore;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const isolated = await isolatedStoreOptions(backend);
    cleanup = isolated.cleanup;
    store = await openStore(isolated.options);
    await seed(store);
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await cleanup?.();
  });

  it('reads the institutions, inspections, cases and clues of the period as of the cut-off', async () => {
    const f = await store.weeklyReportFigures(J, PERIOD);
    expect(f.census).toEqual({ hospital: { total: 3, inspected: 2, onSite: 1 }, pharmacy: { total: 2, inspected: 0, onSite: 0 } });
    expect(f.cases).toEqual([
      {
        institutionId: 'H1',
        kind: 'hospital',
        actions: ['rectification', 'rectification', 'penalty', 'suspension'],
        lossFen: 1_000_000,
        fineFen: 1_500_000,
        recoveryFen: 1_000_000,
        paidBeforeFen: 0,
        paidByCutOffFen: 1_200_000,
      },
      {
        institutionId: 'H1',
        kind: 'hospital',
        actions: ['rectification'],
        lossFen: 200,
        fineFen: 0,
        recoveryFen: 0,
        paidBeforeFen: 0,
        paidByCutOffFen: 0,
      },
      {
        institutionId: 'H2',
        kind: 'hospital',
        actions: ['termination', 'judicial-referral'],
        lossFen: 500_000,
        fineFen: 0,
        recoveryFen: 500_000,
        paidBeforeFen: 300_000,
        paidByCutOffFen: 600_000,
      },
      {
        institutionId: 'P2',
        kind: 'pharmacy',
        actions: ['rectification', 'other'],
        lossFen: 10_000,
        fineFen: 0,
        recoveryFen: 10_000,
        paidBeforeFen: 0,
        paidByCutOffFen: 0,
      },
    ]);
    // National batch 1 still has clues open, so it is listed in its new year; provincial batch 1 ended last year;
    // national batch 2 came after the cut-off.
    expect(f.batches).toEqual([{ source: 'national', batchNo: '1', batchDate: '2026-12-03', transferred: 3, concluded: 1, verified: 1 }]);
    expect(f.localClues).toEqual({ received: 2, concluded: 1, verified: 1 });
    expect(f.turnoverFen).toEqual({ H1: 30_000_000, H2: 80_000_000 });
    expect(f.patientRefunds).toEqual([{ institutionId: 'H1', kind: 'hospital', amountFen: 50_000 }]);
  });

  it('records money returned to patients once per reference; another amount under it is refused', async () => {
    const [a] = await store.listCases({ jurisdiction: J, institutionId: 'H1' });
    const again = { caseId: a!.id, amountFen: 50_000, paidAt: '2027-03-25T02:00:00Z', reference: 'R1', recordedBy: 'test' };
    expect(await store.recordPatientRefund(again, step(a!.id, 'refund-R1', again.paidAt))).toBe(60_000);
    await expect(store.recordPatientRefund({ ...again, amountFen: 1 }, step(a!.id, 'refund-R1-other', again.paidAt))).rejects.toThrow(
      LedgerConflictError,
    );
  });

  it('gives the tables: the hospital interviewed and suspended counts once in 合计', async () => {
    const t = await weeklyTablesFromLedger(store, {
      jurisdiction: { code: J, name: '清溪区' },
      week: '2027-W14',
      timeZone: TZ,
      weekday: 3,
      time: '09:00',
    });
    expect(t.cutOff).toBe(PERIOD.cutOff);
    expect(t.table1.counts.rectification).toEqual({ hospital: 1, pharmacy: 1 });
    expect(t.table1.counts.suspension).toEqual({ hospital: 1, pharmacy: 0 });
    expect(t.table1.total.hospital.institutions).toBe(2);
    expect(t.table1.total.pharmacy.institutions).toBe(1);
    // A: 10,000 yuan of its 12,000 paid is the return; C: 6,000 − 3,000 paid, capped at its 5,000 return → 2,000.
    expect(t.table1.fundRecoveredFen).toEqual({ hospital: 1_200_000, pharmacy: 0 });
    // 月营业额 of the suspended H1 (its decision's figure) and the terminated H2 (the plan's).
    expect(t.table1.reduced.total.hospital).toEqual({ turnoverFen: 110_000_000, lossFen: 1_500_000, fineFen: 1_500_000 });
    expect(t.table1.patientRefundFen).toEqual({ hospital: 50_000, pharmacy: 0 });
    expect(t.table2.total).toEqual({ persons: 0, fen: 0 });
  });
});
