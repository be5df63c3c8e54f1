// The business keys are the 1.0 ids: recorded histories, running workflows and the ledger hold them, so a template
// that changes is a break, not a refactor. Each expected string below is an id as 1.0 wrote it.
import { describe, expect, it } from 'vitest';
import * as keys from '../../domain/business-keys';

describe('business keys', () => {
  it('builds every workflow id as 1.0 did', () => {
    expect(keys.annualCycleId('349901', 2027)).toBe('annual:349901:2027');
    expect(keys.coverageWorkflowId('349901', 2027)).toBe('coverage:349901:2027');
    expect(keys.closureReviewWorkflowId('349901', 2027)).toBe('closure-review:349901:2027');
    expect(keys.flyingWorkflowId('349901', 2027)).toBe('flying:349901:2027');
    expect(keys.yearStarterWorkflowId('349901')).toBe('year-starter:349901');
    expect(keys.annualScheduleId('349901')).toBe('annual-cycle:349901');
    expect(keys.campaignWorkflowId('349901', '349901-demo-2026')).toBe('campaign:349901:349901-demo-2026');
    expect(keys.inspectionWorkflowId('349901-coverage-2027', 'H001')).toBe('inspection:349901-coverage-2027:H001');
    expect(keys.lookBackWorkflowId('349901-flying-2027', 'H001')).toBe('look-back:349901-flying-2027:H001');
    expect(keys.caseWorkflowId('349901', keys.caseNoFor('349901-demo-2026', 'H001'))).toBe('case:349901:349901-demo-2026.H001');
    expect(keys.pointsWorkflowId('D0123', 2026)).toBe('points:D0123:2026');
    expect(keys.ledgerIdentityWorkflowId('jianguan')).toBe('ledger:jianguan');
  });

  it('builds every derived campaign id as 1.0 did', () => {
    expect(keys.coverageCampaignId('349901', 2027)).toBe('349901-coverage-2027');
    expect(keys.flyingCampaignId('349901', 2027)).toBe('349901-flying-2027');
    expect(keys.lookBackCampaignId('349901-flying-2027')).toBe('349901-flying-2027-lookback');
    expect(keys.annualCampaignId('349901', 2027)).toBe('349901-annual-2027');
    expect(keys.closureCampaignId('349901', 2027)).toBe('349901-closure-2027');
    expect(keys.demoCampaignId('349901', 2026)).toBe('349901-demo-2026');
  });

  it('accepts ids of letters, digits, "." "_" "-" up to 64 characters, starting with a letter or digit', () => {
    for (const ok of ['H001', 'D0123', '349901-flying-2027', 'a.b_c-d', 'x'.repeat(64)]) expect(keys.isId(ok), ok).toBe(true);
    for (const bad of ['', '-H001', '.H', '_H', 'H 001', 'H:001', 'H/1', '医院', 'x'.repeat(65), 'H001\n'])
      expect(keys.isId(bad), JSON.stringify(bad)).toBe(false);
  });

  it('accepts case numbers up to 200 characters, which two ids and a dot always fit', () => {
    const caseNo = keys.caseNoFor('c'.repeat(64), 'i'.repeat(64));
    expect(keys.CASE_NO_PATTERN.test(caseNo)).toBe(true);
    expect(keys.CASE_NO_PATTERN.test('c'.repeat(200))).toBe(true);
    expect(keys.CASE_NO_PATTERN.test('c'.repeat(201))).toBe(false);
    expect(keys.CASE_NO_PATTERN.test('a:b')).toBe(false);
  });
});
