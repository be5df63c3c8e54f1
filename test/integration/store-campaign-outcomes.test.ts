// What campaigns leave behind (migration 0018) against both backends: typical cases and rules adopted. Typical cases: the facts a publication may say — the kinds of violation from
// the case's opening entry or its inspection's findings (categories and articles, never their descriptions), the ladder's actions from the audit trail, the referrals — and a publication
// recorded once per case with its audit entry: the same again returns it, another text for the case is refused. Rules
// adopted: once per name, listed by period and campaign, in the weekly tables' figures and the special summary's.
import { describe, expect, it } from 'vitest';
import { LedgerConflictError } from '../../records/errors';
import type { SqlStore } from '../../records/store';
import type { AdoptedRuleRecord, AuditEntry, CaseRecord, TypicalCaseRecord } from '../../records/types';
import { BACKENDS } from '../helpers/db';
import { ledgerInstitution } from '../helpers/case-records';
import { useIsolatedStore } from '../helpers/store-fixture';

const J = '349901';
const CAMPAIGN = `${J}-special-2027-inspection`;
const INSPECTION = `inspection:${CAMPAIGN}:H001`;
const CASE = `case:${J}:C1`;
const AT = '2027-09-01T02:00:00.000Z';

const audit = (key: string, action: string, subjectType = 'case', subjectId = CASE): AuditEntry => ({
  key,
  actor: 'test',
  action,
  subjectType,
  subjectId,
  reason: 'test',
  detail: {},
  at: AT,
});

const caseRow = (over: Partial<CaseRecord> = {}): CaseRecord => ({
  id: CASE,
  jurisdiction: J,
  caseNo: 'C1',
  year: 2027,
  institutionId: 'H001',
  inspectionId: INSPECTION,
  campaignId: CAMPAIGN,
  stage: 'closed',
  overdue: false,
  open: false,
  openedAt: '2027-07-10T02:00:00.000Z',
  dueAt: null,
  lossFen: 123_450,
  fineFen: 246_900,
  paidFen: 0,
  outcome: '按期整改',
  updatedAt: AT,
  ...over,
});

const publication = (over: Partial<TypicalCaseRecord> = {}): TypicalCaseRecord => ({
  caseId: CASE,
  jurisdiction: J,
  year: 2027,
  campaignId: CAMPAIGN,
  title: '清溪区人民医院串换项目案',
  publication: '经查，清溪区人民医院存在串换项目等违法违规使用医保基金问题。',
  approvedBy: 'L1',
  approvedAt: '2027-11-20T02:00:00.000Z',
  ...over,
});

describe.each(BACKENDS)('campaign outcomes ledger (%s)', (backend) => {
  let store: SqlStore;
  useIsolatedStore(backend, async (opened) => {
    store = opened;
    await store.upsertInstitutions([ledgerInstitution({ jurisdiction: J, responsibleUnitId: 'fund' })]);
    await store.ensureCampaign({
      id: CAMPAIGN,
      jurisdiction: J,
      kind: 'special',
      title: '专项整治',
      year: 2027,
      startsAt: '2027-07-01T01:00:00.000Z',
      dueAt: '2027-09-30T15:59:00.000Z',
      drawSeed: 'seed',
    });
    const inspection = {
      id: INSPECTION,
      campaignId: CAMPAIGN,
      institutionId: 'H001',
      team: ['i1', 'i2'],
      drawSeed: 'seed',
      announced: false,
      stage: 'case-opened' as const,
      dueAt: '2027-07-31T15:59:00.000Z',
      rectificationDueAt: null,
      updatedAt: '2027-07-10T01:00:00.000Z',
    };
    await store.saveFindings(
      {
        inspectionId: INSPECTION,
        inspectorId: 'i1',
        inspectedAt: '2027-07-09T01:00:00.000Z',
        violation: true,
        // The descriptions are the inspector's free text: here one names a doctor, which no publication may repeat.
        items: [
          { category: '串换项目', description: '医生张某某将甲类药串换为乙类药', amountFen: 100_000, article: '38' },
          { category: '虚假诊疗', description: '虚构检查项目', amountFen: 23_450 },
        ],
        note: '',
        recordedAt: '2027-07-09T02:00:00.000Z',
      },
      inspection,
      audit('f-H001', 'findings-recorded', 'inspection', INSPECTION),
    );
    for (const [i, action] of ['case-opened', 'interview', 'suspended', 'closed'].entries())
      await store.saveCase(
        { ...caseRow(), stage: i < 3 ? 'rectifying' : 'closed', open: i < 3, updatedAt: AT },
        { ...audit(`${CASE}:${action}`, action), at: `2027-08-0${i + 1}T02:00:00.000Z` },
      );
    await store.saveReferral(
      {
        caseId: CASE,
        agency: 'public-security',
        reason: '涉嫌诈骗',
        status: 'sent',
        sentAt: AT,
        dueAt: AT,
        acknowledgedAt: null,
        acknowledgedBy: null,
        reference: null,
      },
      audit(`${CASE}:referral`, 'referral-sent'),
    );
  });

  it('gives the facts a publication may say, and nothing of the findings but their categories and articles', async () => {
    const facts = await store.typicalCaseFacts(CASE);
    expect(facts).toEqual({
      caseId: CASE,
      caseNo: 'C1',
      year: 2027,
      campaignId: CAMPAIGN,
      stage: 'closed',
      institution: { id: 'H001', name: '清溪区人民医院', kind: 'hospital' },
      items: [{ category: '串换项目', article: '38' }, { category: '虚假诊疗' }],
      lossFen: 123_450,
      fineFen: 246_900,
      paidFen: 0,
      actions: ['case-opened', 'interview', 'suspended', 'closed', 'referral-sent'],
      referrals: ['public-security'],
    });
    expect(JSON.stringify(facts)).not.toContain('张某某');
    // A case opened from a clue has no inspection: its opening entry names the kinds of violation.
    const clueCase = `case:${J}:C2`;
    await store.saveCase(
      { ...caseRow(), id: clueCase, caseNo: 'C2', inspectionId: null, campaignId: null },
      {
        ...audit(`${clueCase}:case-opened`, 'case-opened', 'case', clueCase),
        detail: { items: [{ category: '空刷套刷', article: '40' }] },
      },
    );
    expect(await store.typicalCaseFacts(clueCase)).toMatchObject({ items: [{ category: '空刷套刷', article: '40' }], referrals: [] });
    expect(await store.typicalCaseFacts(`case:${J}:NONE`)).toBeUndefined();
  });

  it('records a publication once with its audit entry; the same again returns it, another text is refused', async () => {
    const first = await store.publishTypicalCase(publication(), audit(`${CASE}:typical-case`, 'typical-case-published'));
    expect(first).toEqual(publication());
    const again = await store.publishTypicalCase(
      publication({ approvedAt: '2027-11-21T02:00:00.000Z' }),
      audit(`${CASE}:typical-case`, 'x'),
    );
    expect(again.approvedAt).toBe('2027-11-20T02:00:00.000Z');
    await expect(store.publishTypicalCase(publication({ publication: '另一种写法' }), audit('other', 'x'))).rejects.toThrow(
      LedgerConflictError,
    );
    expect(await store.listTypicalCases(J, 2027)).toEqual([publication()]);
    expect(await store.listTypicalCases(J, 2026)).toEqual([]);
    expect((await store.listAudit(CASE)).filter((a) => a.action === 'typical-case-published')).toHaveLength(1);
  });

  it('records a rule once by name; lists it by period and by campaign, in the weekly figures and the special summary', async () => {
    const rule = (over: Partial<AdoptedRuleRecord> = {}): AdoptedRuleRecord => ({
      jurisdiction: J,
      name: '《定点医药机构医保违规行为内部通报制度》',
      documentNo: '清医保发〔2027〕12号',
      adoptedAt: '2027-10-31T16:00:00.000Z', // 1 November in Shanghai
      adoptedBy: 'L1',
      campaignId: 'special-2027',
      ...over,
    });
    const entry = audit(`adopted-rule:${J}:1`, 'rule-adopted', 'jurisdiction', J);
    expect(await store.recordAdoptedRule(rule(), entry)).toEqual(rule());
    expect(await store.recordAdoptedRule(rule(), entry)).toEqual(rule());
    await expect(store.recordAdoptedRule(rule({ adoptedBy: 'L2' }), entry)).rejects.toThrow(LedgerConflictError);
    await store.recordAdoptedRule(
      rule({ name: '《医保基金内控制度》', documentNo: null, campaignId: null, adoptedAt: '2027-12-01T16:00:00.000Z' }),
      {
        ...entry,
        key: `adopted-rule:${J}:2`,
      },
    );

    const november = { from: '2027-10-31T16:00:00.000Z', to: '2027-11-30T15:59:59.999Z' };
    expect((await store.listAdoptedRules(J, november)).map((r) => r.name)).toEqual(['《定点医药机构医保违规行为内部通报制度》']);
    expect((await store.listAdoptedRules(J, { campaignId: 'special-2027' })).map((r) => r.documentNo)).toEqual(['清医保发〔2027〕12号']);
    const weekly = await store.weeklyReportFigures(J, {
      periodStart: '2026-12-31T16:00:00.000Z',
      cutOff: '2027-12-01T16:00:00.000Z',
      firstDay: '2027-01-01',
    });
    expect(weekly.rules).toEqual(['《定点医药机构医保违规行为内部通报制度》', '《医保基金内控制度》']);
    // The special campaign's summary: the rules recorded under it, the typical cases from its inspections' cases.
    expect(await store.specialFigures('special-2027', CAMPAIGN)).toMatchObject({
      typicalCases: 1,
      rules: ['《定点医药机构医保违规行为内部通报制度》'],
    });
    expect((await store.listAudit(J)).filter((a) => a.action === 'rule-adopted')).toHaveLength(2);
  });
});
