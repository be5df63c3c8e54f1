// The record system's closure-review part (migration 0008) against both backends: last year's open cases as
// candidates (case records and old-style open rectifications, with what keeps them open), closing deadlines written
// once per review and case with their audit entries, the review's cases as they stand now, and the results at its end.
import { describe, expect, it } from 'vitest';
import type { SqlStore } from '../../records/store';
import type { AuditEntry, CaseRecord, ClosureDeadlineRecord } from '../../records/types';
import { BACKENDS } from '../helpers/db';
import { useIsolatedStore } from '../helpers/store-fixture';

const J = '349901';
const REVIEW = `closure-review:${J}:2028`;
const AT = '2027-10-01T02:00:00.000Z';

const audit = (key: string, subjectId: string, action = 'seeded'): AuditEntry => ({
  key,
  actor: 'test',
  action,
  subjectType: 'case',
  subjectId,
  reason: 'test',
  detail: {},
  at: AT,
});

const caseRow = (caseNo: string, over: Partial<CaseRecord> = {}): CaseRecord => ({
  id: `case:${J}:${caseNo}`,
  jurisdiction: J,
  caseNo,
  year: 2027,
  institutionId: 'H001',
  inspectionId: null,
  campaignId: null,
  stage: 'rectifying',
  overdue: false,
  open: true,
  openedAt: '2027-03-01T02:00:00.000Z',
  dueAt: '2027-04-01T15:59:00.000Z',
  lossFen: 100_000,
  fineFen: 0,
  paidFen: 0,
  outcome: null,
  updatedAt: AT,
  ...over,
});

const deadline = (subjectType: 'case' | 'inspection', subjectId: string, caseNo: string, institutionId: string): ClosureDeadlineRecord => ({
  reviewId: REVIEW,
  jurisdiction: J,
  reviewYear: 2028,
  subjectType,
  subjectId,
  caseNo,
  institutionId,
  dueAt: '2028-03-31T15:59:00.000Z',
  setAt: '2028-03-01T01:00:00.000Z',
  result: null,
  outstanding: null,
  reviewedAt: null,
});

describe.each(BACKENDS)('closure review ledger (%s)', (backend) => {
  let store: SqlStore;
  useIsolatedStore(backend, async (opened) => {
    store = opened;
    await store.upsertInstitutions([
      {
        jurisdiction: J,
        id: 'H001',
        name: '清溪区人民医院',
        kind: 'hospital',
        level: 'III',
        ownership: 'public',
        district: '城关街道',
        responsibleUnitId: 'fund',
      },
      {
        jurisdiction: J,
        id: 'P001',
        name: '百草堂药店',
        kind: 'pharmacy',
        level: null,
        ownership: 'private',
        district: '城关街道',
        responsibleUnitId: 'audit',
      },
    ]);
    // Case A: fined, part paid, a referral unacknowledged and one acknowledged. Case B: no decision (the audit trail
    // has none either). Case C: closed. Case D: another year.
    await store.saveCase(caseRow('A', { stage: 'terminated', fineFen: 100_000, paidFen: 50_000 }), audit('A#1', `case:${J}:A`));
    for (const [agency, status] of [
      ['public-security', 'sent'],
      ['health', 'acknowledged'],
    ] as const) {
      await store.saveReferral(
        {
          caseId: `case:${J}:A`,
          agency,
          reason: '移送',
          status,
          sentAt: AT,
          dueAt: '2027-10-11T15:59:00.000Z',
          acknowledgedAt: status === 'acknowledged' ? AT : null,
          acknowledgedBy: status === 'acknowledged' ? '卫健委' : null,
          reference: null,
        },
        audit(`A#${agency}`, `case:${J}:A`),
      );
    }
    await store.saveCase(caseRow('B', { institutionId: 'P001', stage: 'interview', overdue: true }), audit('B#1', `case:${J}:B`));
    await store.saveCase(caseRow('C', { stage: 'closed', open: false }), audit('C#1', `case:${J}:C`));
    await store.saveCase(caseRow('D', { year: 2028 }), audit('D#1', `case:${J}:D`));
    // An old-style rectification still open in last year's inspection, and one rectified.
    await store.ensureCampaign({
      id: 'old-2027',
      jurisdiction: J,
      kind: 'coverage',
      title: '旧',
      year: 2027,
      startsAt: AT,
      dueAt: AT,
      drawSeed: 's',
    });
    for (const [id, stage] of [
      ['P001', 'rectification-overdue'],
      ['H001', 'rectified'],
    ] as const) {
      const inspectionId = `inspection:old-2027:${id}`;
      await store.saveInspection(
        {
          id: inspectionId,
          campaignId: 'old-2027',
          institutionId: id,
          team: ['a', 'b'],
          drawSeed: 's',
          announced: true,
          stage,
          dueAt: AT,
          rectificationDueAt: '2027-11-30T15:59:00.000Z',
          updatedAt: AT,
        },
        { ...audit(`${inspectionId}#1`, inspectionId), subjectType: 'inspection' },
      );
    }
  });

  it("lists last year's open cases with what keeps them open", async () => {
    const candidates = await store.listClosureCandidates(J, 2027);
    expect(candidates.map((c) => c.caseNo)).toEqual(['A', 'B', 'old-2027.P001']);
    const [a, b, old] = candidates;
    expect(a).toMatchObject({
      subjectType: 'case',
      subjectId: `case:${J}:A`,
      institutionName: '清溪区人民医院',
      responsibleUnitId: 'fund',
      open: true,
      stage: 'terminated',
      lossFen: 100_000,
      fineFen: 100_000,
      paidFen: 50_000,
      penaltyDecided: true,
      unacknowledgedReferrals: ['public-security'],
    });
    expect(b).toMatchObject({
      institutionName: '百草堂药店',
      responsibleUnitId: 'audit',
      stage: 'interview',
      overdue: true,
      penaltyDecided: false,
      unacknowledgedReferrals: [],
    });
    expect(old).toMatchObject({
      subjectType: 'inspection',
      subjectId: 'inspection:old-2027:P001',
      stage: 'rectification-overdue',
      overdue: true,
      stepDueAt: '2027-11-30T15:59:00.000Z',
      open: true,
    });
  });

  it('counts a penalty decision on the audit trail as decided even before a fine is saved', async () => {
    await store.appendAudit(audit('B#decided', `case:${J}:B`, 'penalty-decided'));
    expect((await store.listClosureCandidates(J, 2027)).find((c) => c.caseNo === 'B')?.penaltyDecided).toBe(true);
  });

  it('writes each deadline once (the first wins) with its audit entry, in one transaction', async () => {
    const rows = [
      deadline('case', `case:${J}:A`, 'A', 'H001'),
      deadline('inspection', 'inspection:old-2027:P001', 'old-2027.P001', 'P001'),
    ];
    const audits = rows.map((r) => ({
      ...audit(`${REVIEW}:closure-deadline:${r.subjectId}`, r.subjectId, 'closure-deadline-set'),
      subjectType: r.subjectType,
    }));
    expect(await store.saveClosureDeadlines(rows, audits)).toHaveLength(2);
    // A retry, and a later call with another deadline and one more case: the first two stay as they were.
    const later = [{ ...rows[0], dueAt: '2028-04-30T15:59:00.000Z' }, deadline('case', `case:${J}:B`, 'B', 'P001')];
    const kept = await store.saveClosureDeadlines(later, [
      ...audits,
      audit(`${REVIEW}:closure-deadline:case:${J}:B`, `case:${J}:B`, 'closure-deadline-set'),
    ]);
    expect(kept.map((r) => [r.caseNo, r.dueAt])).toEqual([
      ['A', '2028-03-31T15:59:00.000Z'],
      ['B', '2028-03-31T15:59:00.000Z'],
      ['old-2027.P001', '2028-03-31T15:59:00.000Z'],
    ]);
    expect((await store.listAudit(`case:${J}:A`)).filter((e) => e.action === 'closure-deadline-set')).toHaveLength(1);
    expect(await store.listClosureDeadlines(`case:${J}:A`)).toMatchObject([
      { reviewId: REVIEW, reviewYear: 2028, subjectType: 'case', result: null },
    ]);
  });

  it("lists the review's cases as they stand now, closed ones included", async () => {
    await store.saveCase(
      caseRow('B', { institutionId: 'P001', stage: 'closed', open: false, updatedAt: '2028-03-10T02:00:00.000Z' }),
      audit('B#closed', `case:${J}:B`),
    );
    const inspection = (await store.getInspection('inspection:old-2027:P001'))!;
    await store.saveInspection(
      { ...inspection, stage: 'rectified', updatedAt: '2028-03-10T02:00:00.000Z' },
      { ...audit('old#rectified', inspection.id), subjectType: 'inspection' },
    );
    const cases = await store.listClosureCases(REVIEW);
    expect(cases.map((c) => [c.caseNo, c.open, c.stage])).toEqual([
      ['A', true, 'terminated'],
      ['B', false, 'closed'],
      ['old-2027.P001', false, 'rectified'],
    ]);
    expect(cases[0].deadline).toMatchObject({ reviewId: REVIEW, dueAt: '2028-03-31T15:59:00.000Z', setAt: '2028-03-01T01:00:00.000Z' });
  });

  it('records the results once', async () => {
    const outstanding = {
      unrectified: false,
      penaltyUndecided: false,
      unpaidFen: 150_000,
      unacknowledgedReferrals: ['public-security' as const],
      stepOverdue: false,
      stepDueAt: null,
      stageLabel: '解除定点协议',
    };
    const results = [
      { subjectId: `case:${J}:A`, result: 'open' as const, outstanding, reviewedAt: '2028-05-15T15:59:00.000Z' },
      {
        subjectId: `case:${J}:B`,
        result: 'closed' as const,
        outstanding: { ...outstanding, unpaidFen: 0, unacknowledgedReferrals: [] },
        reviewedAt: '2028-05-15T15:59:00.000Z',
      },
    ];
    await store.saveClosureResults(REVIEW, results, [
      { ...audit(`${REVIEW}:completed`, REVIEW, 'closure-review-completed'), subjectType: 'closure-review' },
    ]);
    await store.saveClosureResults(REVIEW, [{ ...results[0], result: 'closed', reviewedAt: '2028-06-01T00:00:00.000Z' }], []);
    const cases = await store.listClosureCases(REVIEW);
    expect(cases[0].deadline).toMatchObject({ result: 'open', outstanding, reviewedAt: '2028-05-15T15:59:00.000Z' });
    expect(cases[1].deadline.result).toBe('closed');
    expect(cases[2].deadline.result).toBeNull();
    expect((await store.listAudit(REVIEW)).map((e) => e.action)).toEqual(['closure-review-completed']);
  });
});
