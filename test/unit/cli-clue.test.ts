// `jianguan clue …` payloads from flags (or --file), problems named by flag before anything is sent; the clue number
// as typed; who may see a reporter.
import { describe, expect, it } from 'vitest';
import { claimPayload, rewardPayload, toldPayload, verifyPayload } from '../../cli/clue/payloads';
import { revealRefusal } from '../../cli/clue/reporter';
import { parseClueNo } from '../../cli/clue/target';
import { UsageError } from '../../cli/context';
import { DEFAULT_PLAN_FILE, loadPlan } from '../../config';

describe('clue payloads from flags', () => {
  it('verify: yuan to fen, items, the schema’s rules named by flag; --file holds the whole payload', () => {
    expect(
      verifyPayload({
        by: 'insp-08',
        outcome: 'partly-verified',
        amount: '1,234.5',
        findings: '部分属实',
        action: 'case',
        item: ['串换药品|将自费药串换为医保药|1234.50|38'],
      }),
    ).toEqual({
      handledBy: 'insp-08',
      outcome: 'partly-verified',
      verifiedFen: 123_450,
      findings: '部分属实',
      action: 'case',
      items: [{ category: '串换药品', description: '将自费药串换为医保药', amountFen: 123_450, article: '38' }],
    });
    expect(() => verifyPayload({ by: 'insp-08', outcome: 'unfounded', amount: '10', findings: '不属实', action: 'case' })).toThrow(
      new UsageError(
        'invalid conclusion: --action: an unfounded clue leads to no action: use none; --amount: an unfounded clue has no verified amount; --item: a case needs at least one item found',
      ),
    );
    expect(() => verifyPayload({ amount: '12.345' })).toThrow(new UsageError('--amount: "12.345" is not an amount in yuan (e.g. 1234.50)'));
    const file = { handledBy: 'insp-08', outcome: 'unfounded', findings: '不属实', action: 'none' };
    expect(verifyPayload({ file: 'c.yaml' }, () => file)).toMatchObject({ ...file, verifiedFen: 0, items: [] });
    expect(() => verifyPayload({ file: 'c.yaml', by: 'x' }, () => file)).toThrow(
      new UsageError('--file cannot be combined with --by: the file holds the whole payload'),
    );
    expect(() => verifyPayload({ file: 'c.yaml' }, () => ({ ...file, outcome: 'maybe' }))).toThrow(
      /^invalid conclusion in c\.yaml: outcome: expected one of verified, partly-verified, unfounded$/,
    );
  });

  it('reward, claim, told: amounts in yuan, times defaulting to now, missing flags named', () => {
    expect(rewardPayload({ by: 'leader-director' })).toEqual({ approvedBy: 'leader-director', reason: '' });
    expect(() => rewardPayload({ by: 'leader-director', amount: '3000' })).toThrow(
      new UsageError('invalid reward approval: --reason: an amount other than the computed one needs a reason'),
    );
    const now = new Date('2026-12-07T02:00:00Z');
    expect(claimPayload({ by: 'insp-02', reference: 'JL-1' }, now)).toEqual({
      paidBy: 'insp-02',
      reference: 'JL-1',
      paidAt: now.toISOString(),
    });
    expect(() => claimPayload({ by: 'insp-02', reference: 'JL-1', at: '2026-12-07 10:00' })).toThrow(
      /^invalid reward claim: --at: expected/,
    );
    expect(() => toldPayload({ event: 'accepted', how: 'pigeon' }, now)).toThrow(
      new UsageError('invalid reporter notice: --by: required; --how: expected one of phone, letter, in-person, sms'),
    );
  });

  it('the clue number as typed, or its whole workflow id of this jurisdiction', () => {
    expect(parseClueNo('JB-2026-0001', '349901')).toBe('JB-2026-0001');
    expect(parseClueNo('clue:349901:JB-2026-0001', '349901')).toBe('JB-2026-0001');
    expect(() => parseClueNo('clue:110101:JB-1', '349901')).toThrow(/is a clue of jurisdiction 110101, not of 349901/);
    expect(() => parseClueNo('JB 1', '349901')).toThrow(/is not a clue number/);
  });

  it('a reporter is shown to the handling unit’s inspectors and the leaders only', async () => {
    const plan = await loadPlan(DEFAULT_PLAN_FILE);
    expect(revealRefusal(plan, 'audit-centre', 'insp-08')).toBeUndefined();
    expect(revealRefusal(plan, 'audit-centre', 'leader-director')).toBeUndefined();
    expect(revealRefusal(plan, 'audit-centre', 'insp-01')).toMatch(/^--by: insp-01 is an inspector of fund-supervision/);
    expect(revealRefusal(plan, 'audit-centre', 'nobody')).toMatch(/^--by: nobody is not an officer of 清溪区/);
  });
});
