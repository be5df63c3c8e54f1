// `jianguan case …` and `jianguan points …` (cli/case/, cli/points.ts): flags → Update payloads, validated locally
// with the workflows' own schemas. Every refusal names the flag (or the file's field) and happens before anything is
// sent; every accepted set of flags gives a payload the schema accepts, with amounts in integer fen.
import type { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { byUrgency, formatCaseList, type CaseRow } from '../../cli/case/list';
import { ackPayload, caseRecheckPayload, decisionPayload, paymentPayload, type DecideOptions } from '../../cli/case/payloads';
import { formatCaseShow } from '../../cli/case/show';
import { decideCommand } from '../../cli/case/updates';
import { UsageError } from '../../cli/context';
import { parseCaseNo } from '../../cli/payload';
import { buildProgram } from '../../cli/main';
import {
  checkDecider,
  deductionKey,
  deductionPayload,
  deductionYear,
  formatDeductionResult,
  formatLedgerDeductions,
  formatPointsStatus,
  parsePractitionerId,
  pointsInputFromPlan,
} from '../../cli/points';
import { DEFAULT_PLAN_FILE, loadPlan } from '../../config';
import {
  caseRecheckSchema,
  ladderDecisionSchema,
  paymentSchema,
  penaltyDecisionSchema,
  referralAckSchema,
  referralDecisionSchema,
  withdrawalSchema,
} from '../../domain/case';
import { pointsDeductionSchema } from '../../domain/points';
import type { CaseStatus } from '../../workflows/case/api';
import type { PointsStatus } from '../../workflows/points/api';
import { cells } from '../helpers/table';

const NOW = new Date('2027-05-06T02:00:00.000Z');

/** The message of the UsageError `fn` throws (fails the test when it throws nothing or something else). */
function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

const decide = (options: DecideOptions, file?: unknown) => decisionPayload(options, () => file);
const base = { by: 'L1', reason: '约谈后仍未整改' };

// ---------------------------------------------------------------------------------------------------------------------

describe('case decide: ladder decisions', () => {
  it('maps each ladder action to the decide Update with a schema-valid payload', () => {
    for (const action of ['rectified', 'terminate', 'blacklist', 'close'] as const) {
      const decision = decide({ action, ...base });
      expect(decision).toEqual({
        update: 'decide',
        action,
        payload: { action, decidedBy: 'L1', reason: '约谈后仍未整改', publicCriticism: false },
      });
      expect(ladderDecisionSchema.parse(decision.payload)).toEqual(decision.payload);
    }
  });

  it('suspend takes --months, and --public-criticism sets publicCriticism', () => {
    const decision = decide({ action: 'suspend', ...base, months: '6', publicCriticism: true });
    expect(decision).toEqual({
      update: 'decide',
      action: 'suspend',
      payload: { action: 'suspend', decidedBy: 'L1', reason: '约谈后仍未整改', months: 6, publicCriticism: true },
    });
    expect(ladderDecisionSchema.parse(decision.payload)).toEqual(decision.payload);
  });

  it('names --months when it is missing, not whole, or below 1', () => {
    expect(usageError(() => decide({ action: 'suspend', ...base }))).toBe(
      '--months: required with --action suspend (whole months of the suspension)',
    );
    expect(usageError(() => decide({ action: 'suspend', ...base, months: '1.5' }))).toBe('--months: expected a whole number, got "1.5"');
    expect(usageError(() => decide({ action: 'suspend', ...base, months: '0' }))).toMatch(/^invalid suspend decision: --months: /);
  });

  it('names --by and --reason when left out or blank', () => {
    expect(usageError(() => decide({ action: 'close', reason: 'x' }))).toBe('invalid close decision: --by: required');
    expect(usageError(() => decide({ action: 'close', by: 'L1', reason: '   ' }))).toBe('invalid close decision: --reason: required');
    expect(usageError(() => decide({ action: 'close' }))).toBe('invalid close decision: --by: required; --reason: required');
  });

  it('refuses a flag that does not belong to the action, naming it', () => {
    expect(usageError(() => decide({ action: 'close', ...base, months: '3' }))).toBe(
      '--months: only with --action suspend, not with --action close',
    );
    expect(usageError(() => decide({ action: 'suspend', ...base, months: '3', fine: ['38:1'] }))).toBe(
      '--fine: only with --action penalty, not with --action suspend',
    );
    expect(usageError(() => decide({ action: 'withdraw', ...base, publicCriticism: true }))).toBe(
      '--public-criticism: only with --action rectified | suspend | terminate | blacklist | close, not with --action withdraw',
    );
    expect(usageError(() => decide({ action: 'penalty', ...base, agency: 'health' }))).toBe(
      '--agency: only with --action refer, not with --action penalty',
    );
  });

  it('needs a known --action', () => {
    expect(usageError(() => decide({ ...base }))).toMatch(/^--action: required \(one of rectified, suspend, /);
    expect(usageError(() => decide({ action: 'fine', ...base }))).toMatch(/^--action: "fine" is not one of /);
  });
});

describe('case decide: penalty', () => {
  it('maps --fine, --points and --approved-by to the decidePenalty payload', () => {
    const decision = decide({
      action: 'penalty',
      ...base,
      fine: ['38:1.5', '条例第四十条:2'],
      points: ['D0123:3:9:3', 'N0456:1:2'],
      approvedBy: 'L2',
    });
    expect(decision).toEqual({
      update: 'decidePenalty',
      action: 'penalty',
      payload: {
        decidedBy: 'L1',
        approvedBy: 'L2',
        fines: [
          { article: '38', multiple: 1.5 },
          { article: '条例第四十条', multiple: 2 },
        ],
        practitioners: [
          { practitionerId: 'D0123', tier: 3, points: 9, suspensionMonths: 3, reason: '约谈后仍未整改' },
          { practitionerId: 'N0456', tier: 1, points: 2, reason: '约谈后仍未整改' },
        ],
        reason: '约谈后仍未整改',
      },
    });
    expect(penaltyDecisionSchema.parse(decision.payload)).toEqual(decision.payload);
  });

  it('without fines or points the lists are empty (recovery only)', () => {
    expect(decide({ action: 'penalty', ...base }).payload).toEqual({
      decidedBy: 'L1',
      fines: [],
      practitioners: [],
      reason: '约谈后仍未整改',
    });
  });

  it('names the bad --fine and --points by their position and field', () => {
    expect(usageError(() => decide({ action: 'penalty', ...base, fine: ['38:1', '40'] }))).toBe(
      '--fine #2: expected ARTICLE:MULTIPLE (e.g. 38:1.5), got "40"',
    );
    expect(usageError(() => decide({ action: 'penalty', ...base, fine: ['38:-1'] }))).toBe(
      '--fine #1: expected ARTICLE:MULTIPLE (e.g. 38:1.5), got "38:-1"',
    );
    expect(usageError(() => decide({ action: 'penalty', ...base, points: ['D0123:3'] }))).toMatch(
      /^--points #1: expected PRACTITIONER:TIER:POINTS\[:MONTHS\]/,
    );
    expect(usageError(() => decide({ action: 'penalty', ...base, points: ['D0123:3:9:x'] }))).toMatch(/^--points #1: expected /);
    expect(usageError(() => decide({ action: 'penalty', ...base, points: ['D0123:1:2', 'D0124:5:13'] }))).toBe(
      'invalid penalty decision: --points #2 (practitioners[1].tier): Too big: expected number to be <=4; --points #2 (practitioners[1].points): Too big: expected number to be <=12',
    );
    expect(usageError(() => decide({ action: 'penalty', ...base, points: ['张医生:1:2'] }))).toMatch(
      /^invalid penalty decision: --points #1 \(practitioners\[0\]\.practitionerId\): expected a practitioner code/,
    );
    expect(usageError(() => decide({ action: 'penalty', ...base, approvedBy: ' ' }))).toMatch(/^invalid penalty decision: --approved-by: /);
  });
});

describe('case decide: referral and withdrawal', () => {
  it('maps --agency and --person to the refer payload', () => {
    const decision = decide({ action: 'refer', ...base, agency: 'discipline', person: ['王某|院长', '李某 | 医保办主任'] });
    expect(decision).toEqual({
      update: 'refer',
      action: 'refer',
      payload: {
        agency: 'discipline',
        decidedBy: 'L1',
        reason: '约谈后仍未整改',
        persons: [
          { name: '王某', role: '院长' },
          { name: '李某', role: '医保办主任' },
        ],
      },
    });
    expect(referralDecisionSchema.parse(decision.payload)).toEqual(decision.payload);
  });

  it('names --agency when missing or unknown, and a malformed --person', () => {
    expect(usageError(() => decide({ action: 'refer', ...base }))).toBe(
      'invalid referral: --agency: required (one of public-security, health, market, drug, discipline, judiciary)',
    );
    expect(usageError(() => decide({ action: 'refer', ...base, agency: 'police' }))).toMatch(/^invalid referral: --agency: Invalid option/);
    expect(usageError(() => decide({ action: 'refer', ...base, agency: 'discipline', person: ['王某'] }))).toBe(
      '--person #1: expected "姓名|职务" (name|role), got "王某"',
    );
  });

  it('maps withdraw to the withdraw Update', () => {
    const decision = decide({ action: 'withdraw', by: 'L1', reason: '经复核，线索不实' });
    expect(decision).toEqual({ update: 'withdraw', action: 'withdraw', payload: { decidedBy: 'L1', reason: '经复核，线索不实' } });
    expect(withdrawalSchema.parse(decision.payload)).toEqual(decision.payload);
  });
});

describe('case decide --file', () => {
  it('takes the whole payload from the file; --action picks the Update and fills a ladder action left out', () => {
    const penalty = { decidedBy: 'L1', reason: 'r', fines: [{ article: '38', multiple: 1.2 }] };
    expect(decide({ action: 'penalty', file: 'p.yaml' }, penalty)).toEqual({
      update: 'decidePenalty',
      action: 'penalty',
      payload: { ...penalty, practitioners: [] },
    });
    expect(decide({ action: 'suspend', file: 'd.yaml' }, { decidedBy: 'L1', reason: 'r', months: 6 }).payload).toEqual({
      action: 'suspend',
      decidedBy: 'L1',
      reason: 'r',
      months: 6,
      publicCriticism: false,
    });
  });

  it('names the fields of the file by their path', () => {
    expect(
      usageError(() =>
        decide({ action: 'penalty', file: 'p.yaml' }, { decidedBy: 'L1', reason: 'r', fines: [{ article: '38', multiple: -1 }] }),
      ),
    ).toMatch(/^invalid penalty decision in p\.yaml: fines\[0\]\.multiple: /);
    expect(usageError(() => decide({ action: 'withdraw', file: 'w.yaml' }, { decidedBy: 'L1', reason: 'r', note: 'x' }))).toBe(
      'invalid withdrawal in w.yaml: note: unknown field',
    );
    expect(usageError(() => decide({ action: 'refer', file: 'r.yaml' }, { decidedBy: 'L1', reason: 'r' }))).toBe(
      'invalid referral in r.yaml: agency: required (one of public-security, health, market, drug, discipline, judiciary)',
    );
  });

  it('refuses a ladder file whose action differs from --action, and flags next to --file', () => {
    expect(usageError(() => decide({ action: 'close', file: 'd.yaml' }, { action: 'blacklist', decidedBy: 'L1', reason: 'r' }))).toBe(
      '--file: d.yaml has action "blacklist" but --action is close',
    );
    expect(usageError(() => decide({ action: 'close', file: 'd.yaml', by: 'L1', publicCriticism: true }, {}))).toBe(
      '--file cannot be combined with --by, --public-criticism: the file holds the whole payload',
    );
  });

  it('reports a file that cannot be read', () => {
    expect(usageError(() => decisionPayload({ action: 'close', file: '/nonexistent/d.yaml' }))).toMatch(
      /^--file: cannot read \/nonexistent\/d\.yaml/,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe('case pay', () => {
  it('turns yuan into integer fen without floats, paidAt defaulting to now', () => {
    const payload = paymentPayload({ amount: '1,234.50', reference: 'FS-2027-001', by: 'L1' }, NOW);
    expect(payload).toEqual({ amountFen: 123450, paidAt: NOW.toISOString(), reference: 'FS-2027-001', recordedBy: 'L1' });
    expect(paymentSchema.parse(payload)).toEqual(payload);
    expect(paymentPayload({ amount: '0.1', reference: 'R', by: 'L1' }, NOW).amountFen).toBe(10);
    // 0.29 * 100 is 28.999999999999996 in floating point.
    expect(paymentPayload({ amount: '0.29', reference: 'R', by: 'L1' }, NOW).amountFen).toBe(29);
    expect(paymentPayload({ amount: '19999999.99', reference: 'R', by: 'L1', at: '2027-05-06T10:00:00+08:00' }, NOW)).toMatchObject({
      amountFen: 1999999999,
      paidAt: '2027-05-06T10:00:00+08:00',
    });
  });

  it('names --amount, --at, --reference and --by', () => {
    expect(usageError(() => paymentPayload({ amount: '12.345', reference: 'R', by: 'L1' }, NOW))).toBe(
      '--amount: "12.345" is not an amount in yuan (e.g. 1234.50)',
    );
    expect(usageError(() => paymentPayload({ amount: '-5', reference: 'R', by: 'L1' }, NOW))).toMatch(/^--amount: /);
    expect(usageError(() => paymentPayload({ amount: '0', reference: 'R', by: 'L1' }, NOW))).toBe(
      'invalid payment: --amount: must be at least 1 fen',
    );
    expect(usageError(() => paymentPayload({ amount: '1', reference: 'R', by: 'L1', at: '2027-05-06' }, NOW))).toMatch(
      /^invalid payment: --at: expected an ISO-8601 date-time/,
    );
    expect(usageError(() => paymentPayload({ amount: '1' }, NOW))).toBe('invalid payment: --reference: required; --by: required');
  });
});

describe('case ack-referral and case recheck', () => {
  it('builds the acknowledgement', () => {
    const payload = ackPayload({ agency: 'public-security', by: '清溪分局经侦大队', reference: '清公经受字〔2027〕12号' }, NOW);
    expect(payload).toEqual({
      agency: 'public-security',
      acknowledgedBy: '清溪分局经侦大队',
      reference: '清公经受字〔2027〕12号',
      acknowledgedAt: NOW.toISOString(),
    });
    expect(referralAckSchema.parse(payload)).toEqual(payload);
    expect(usageError(() => ackPayload({ by: 'x', reference: 'y' }, NOW))).toMatch(/^invalid acknowledgement: --agency: required/);
    expect(usageError(() => ackPayload({ agency: 'health', by: 'x', reference: 'y', at: 'yesterday' }, NOW))).toMatch(
      /^invalid acknowledgement: --at: /,
    );
  });

  it('builds the recheck and needs exactly one of --rectified, --not-rectified', () => {
    const payload = caseRecheckPayload({ inspector: 'insp-03', notRectified: true }, NOW);
    expect(payload).toEqual({ inspectorId: 'insp-03', checkedAt: NOW.toISOString(), rectified: false, note: '' });
    expect(caseRecheckSchema.parse(payload)).toEqual(payload);
    expect(caseRecheckPayload({ inspector: 'insp-03', rectified: true, note: '已退回', at: '2027-05-06T10:00:00+08:00' }, NOW)).toEqual({
      inspectorId: 'insp-03',
      checkedAt: '2027-05-06T10:00:00+08:00',
      rectified: true,
      note: '已退回',
    });
    expect(usageError(() => caseRecheckPayload({ inspector: 'insp-03' }, NOW))).toBe('give --rectified or --not-rectified');
    expect(usageError(() => caseRecheckPayload({ inspector: 'insp-03', rectified: true, notRectified: true }, NOW))).toBe(
      '--rectified and --not-rectified exclude each other',
    );
    expect(usageError(() => caseRecheckPayload({ rectified: true }, NOW))).toBe('invalid recheck: --inspector: required');
  });
});

describe('case numbers', () => {
  it('takes the part after case:{jurisdiction}:, or the full id of this jurisdiction', () => {
    expect(parseCaseNo('349901-demo-2027.H001', '349901')).toBe('349901-demo-2027.H001');
    expect(parseCaseNo('case:349901:349901-demo-2027.H001', '349901')).toBe('349901-demo-2027.H001');
    expect(usageError(() => parseCaseNo('case:110101:X', '349901'))).toBe(
      '<caseNo>: "case:110101:X" is a case of jurisdiction 110101, not of 349901 (the plan\'s)',
    );
    expect(usageError(() => parseCaseNo('H 001', '349901'))).toMatch(/^<caseNo>: "H 001" is not a case number/);
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe('case list and show output', () => {
  const rows: CaseRow[] = [
    {
      caseNo: 'c.H003',
      institutionId: 'H003',
      stage: 'closed',
      overdue: false,
      open: false,
      dueAt: null,
      lossFen: 0,
      fineFen: 0,
      paidFen: 0,
    },
    {
      caseNo: 'c.H002',
      institutionId: 'H002',
      stage: 'interview',
      overdue: false,
      open: true,
      dueAt: '2027-06-01T15:59:00.000Z',
      lossFen: 123450,
      fineFen: 185175,
      paidFen: 100000,
    },
    {
      caseNo: 'c.H001',
      institutionId: 'H001',
      stage: 'rectification-overdue',
      overdue: true,
      open: true,
      dueAt: '2027-07-01T15:59:00.000Z',
      lossFen: 5,
      fineFen: 0,
      paidFen: 0,
    },
    { caseNo: 'c.P001', institutionId: 'P001', stage: 'rectifying', overdue: false, open: true, dueAt: '2027-05-20T15:59:00.000Z' },
  ];

  it('lists overdue first, then by deadline, with Chinese stage labels and amounts in yuan', () => {
    const sorted = [...rows].sort(byUrgency);
    expect(sorted.map((r) => r.caseNo)).toEqual(['c.H001', 'c.P001', 'c.H002', 'c.H003']);
    const lines = formatCaseList(sorted, 'Asia/Shanghai').split('\n');
    expect(cells(lines[0]!)).toEqual(['', 'case no', 'institution', 'stage', 'due', 'loss (元)', 'fine (元)', 'paid (元)']);
    expect(lines[1]).toMatch(/^─+┼[─┼]+$/);
    expect(cells(lines[2]!)).toEqual(['!', 'c.H001', 'H001', '整改逾期', '2027-07-01 23:59', '0.05', '0.00', '0.00']);
    expect(cells(lines[3]!)).toEqual(['', 'c.P001', 'P001', '限期整改中', '2027-05-20 23:59', '-', '-', '-']);
    expect(cells(lines[4]!)).toEqual(['', 'c.H002', 'H002', '约谈', '2027-06-01 23:59', '1,234.50', '1,851.75', '1,000.00']);
    expect(cells(lines[5]!).slice(0, 5)).toEqual(['', 'c.H003', 'H003', '已结案', '-']);
    // Amounts are right-aligned: the shorter one is padded on its left.
    expect(lines[2]!.split('│')[5]).toMatch(/^ {5,}0\.05 $/);
  });

  it('shows the workflow status with the ledger trail, or the ledger alone', () => {
    const status = {
      caseId: 'case:349901:c.H002',
      caseNo: 'c.H002',
      institutionId: 'H002',
      institutionName: '清溪区第二医院',
      stage: 'interview',
      stageLabel: '约谈',
      overdue: true,
      dueAt: '2027-06-01T15:59:00.000Z',
      openedAt: '2027-05-01T01:00:00.000Z',
      lossFen: 123450,
      decisions: [],
      publicCriticism: false,
      penaltyStatus: 'awaiting-payment',
      penalty: {
        decision: { decidedBy: 'L1', approvedBy: 'L2', fines: [{ article: '38', multiple: 1.5 }], practitioners: [], reason: 'r' },
        assessment: {
          recoveryFen: 123450,
          fineFen: 185175,
          totalFen: 308625,
          lines: [{ article: '38', lossFen: 123450, multiple: 1.5, fineFen: 185175 }],
        },
        decidedAt: '2027-05-10T02:00:00.000Z',
        dueAt: '2027-06-09T15:59:00.000Z',
        paidFen: 100000,
      },
      referrals: [
        {
          agency: 'public-security',
          reason: 'r',
          decidedBy: 'system',
          status: 'sent',
          sentAt: '2027-05-01T01:00:00.000Z',
          dueAt: '2027-05-31T15:59:00.000Z',
        },
      ],
      remindersSent: 2,
      escalations: 1,
      institutionLate: true,
    } as CaseStatus;
    const audit = [
      {
        key: 'k',
        actor: 'L1',
        action: 'penalty-decided',
        subjectType: 'case',
        subjectId: status.caseId,
        reason: '处理决定',
        detail: {},
        at: '2027-05-10T02:00:00.000Z',
      },
    ];
    const text = formatCaseShow(status.caseId, status, { audit, payments: [], referrals: [] }, 'Asia/Shanghai');
    expect(text).toContain('stage        interview (约谈) OVERDUE');
    expect(text).toContain('due          2027-06-01 23:59');
    expect(text).toContain('penalty      awaiting-payment: total 3,086.25 元 (recovery 1,234.50 元 + fine 1,851.75 元), paid 1,000.00 元');
    expect(text).toContain('  art. 38: 1,234.50 元 × 1.5 = 1,851.75 元');
    expect(text).toContain('referral     公安机关 (public-security) sent');
    const trail = text.split('\n').slice(text.split('\n').indexOf('audit trail (1)') + 1);
    expect(cells(trail[0]!)).toEqual(['at', 'actor', 'action', 'reason']);
    expect(cells(trail[2]!)).toEqual(['2027-05-10 10:00', 'L1', 'penalty-decided', '处理决定']);

    const record = {
      ...rows[1]!,
      id: status.caseId,
      jurisdiction: '349901',
      year: 2027,
      inspectionId: null,
      campaignId: null,
      openedAt: status.openedAt,
      outcome: null,
      updatedAt: status.openedAt,
    } as never;
    const ledgerOnly = formatCaseShow(status.caseId, undefined, { record, audit, payments: [], referrals: [] }, 'Asia/Shanghai');
    expect(ledgerOnly).toContain('case         c.H002 (case:349901:c.H002) — from the ledger');
    expect(ledgerOnly).toContain('money        loss 1,234.50 元, fine 1,851.75 元, paid 1,000.00 元');
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe('points deduct', () => {
  it('maps the flags to the deduct payload; --case becomes the case workflow id', () => {
    const payload = deductionPayload(
      { tier: '3', points: '9', months: '3', by: 'L1', reason: '串换药品', case: '349901-demo-2027.H002' },
      '349901',
    );
    expect(payload).toEqual({
      tier: 3,
      points: 9,
      suspensionMonths: 3,
      caseId: 'case:349901:349901-demo-2027.H002',
      reason: '串换药品',
      decidedBy: 'L1',
    });
    expect(pointsDeductionSchema.parse(payload)).toEqual(payload);
    expect(deductionPayload({ tier: '1', points: '2', by: 'L1', reason: 'r' }, '349901')).toEqual({
      tier: 1,
      points: 2,
      reason: 'r',
      decidedBy: 'L1',
    });
  });

  it('names --tier, --points, --months, --by, --reason and --case', () => {
    expect(usageError(() => deductionPayload({ points: '2', by: 'L1', reason: 'r' }, '349901'))).toMatch(/^--tier: required/);
    expect(usageError(() => deductionPayload({ tier: 'x', points: '2', by: 'L1', reason: 'r' }, '349901'))).toBe(
      '--tier: expected a whole number, got "x"',
    );
    expect(usageError(() => deductionPayload({ tier: '1', points: '0', by: 'L1', reason: 'r' }, '349901'))).toMatch(
      /^invalid deduction: --points: /,
    );
    expect(usageError(() => deductionPayload({ tier: '1', points: '2', months: '0', by: 'L1', reason: 'r' }, '349901'))).toMatch(
      /^invalid deduction: --months: /,
    );
    expect(usageError(() => deductionPayload({ tier: '1', points: '2' }, '349901'))).toBe(
      'invalid deduction: --reason: required; --by: required',
    );
    expect(usageError(() => deductionPayload({ tier: '1', points: '2', by: 'L1', reason: 'r', case: 'case:110101:X' }, '349901'))).toMatch(
      /^<caseNo>: /,
    );
    expect(usageError(() => parsePractitionerId('张 医生'))).toMatch(/^<practitionerId>: /);
  });

  it('counts in this year by default and refuses a year that is over', () => {
    expect(deductionYear(undefined, NOW, 'Asia/Shanghai')).toBe(2027);
    // 31 Dec 2026 17:00 UTC is already 1 Jan 2027 in Shanghai.
    expect(deductionYear(undefined, new Date('2026-12-31T17:00:00Z'), 'Asia/Shanghai')).toBe(2027);
    expect(deductionYear(2028, NOW, 'Asia/Shanghai')).toBe(2028);
    expect(usageError(() => deductionYear(2026, NOW, 'Asia/Shanghai'))).toBe(
      '--year: 2026 is over; points count in the year they are decided (2027)',
    );
  });

  it("starts the practitioner's year with the plan's rules, as a case would", async () => {
    const plan = await loadPlan(DEFAULT_PLAN_FILE);
    const input = pointsInputFromPlan(plan, 'D0123', 2027);
    expect(input).toEqual({
      practitionerId: 'D0123',
      jurisdiction: plan.jurisdiction,
      year: 2027,
      rules: plan.points,
      notify: [{ name: `${plan.jurisdiction.name}医疗保障局`, email: plan.notifications.leadershipEmail }],
      officers: [...plan.leaders.map((l) => l.id), ...plan.inspectors.map((i) => i.id)],
      settings: plan.pointsWorkflow,
    });
  });

  it('keys a deduction by what it says, or by --key, per practitioner and year', () => {
    const payload = deductionPayload({ tier: '2', points: '4', by: 'L1', reason: ' 串换  药品 ', case: 'C-1' }, '349901');
    expect(deductionKey('D0123', 2027, payload)).toBe('manual:D0123:2027:case:349901:C-1:2-4:L1:串换 药品');
    // The same command again makes the same key; another practitioner, year or any flag another one.
    expect(
      deductionKey('D0123', 2027, deductionPayload({ tier: '2', points: '4', by: 'L1', reason: '串换 药品', case: 'C-1' }, '349901')),
    ).toBe(deductionKey('D0123', 2027, payload));
    expect(deductionKey('D0123', 2027, { ...payload, points: 5 })).not.toBe(deductionKey('D0123', 2027, payload));
    expect(deductionKey('D0124', 2027, payload)).not.toBe(deductionKey('D0123', 2027, payload));
    expect(deductionKey('D0123', 2027, { tier: 1, points: 2, reason: 'r', decidedBy: 'L2' })).toBe('manual:D0123:2027:-:1-2:L2:r');
    expect(deductionKey('D0123', 2027, payload, ' 清医保罚〔2027〕12号 ')).toBe('manual:D0123:2027:清医保罚〔2027〕12号');
    expect(usageError(() => deductionKey('D0123', 2027, payload, '  '))).toBe('--key: must not be empty');
  });

  it("refuses a --by who is not one of the plan's leaders or inspectors", async () => {
    const plan = await loadPlan(DEFAULT_PLAN_FILE);
    const { officers } = pointsInputFromPlan(plan, 'D0123', 2027);
    expect(() => checkDecider(plan.leaders[0]!.id, officers, plan.jurisdiction.name)).not.toThrow();
    expect(usageError(() => checkDecider('nobody', officers, plan.jurisdiction.name))).toBe(
      `--by (decidedBy): "nobody" is not an officer of ${plan.jurisdiction.name} who may decide points deductions (the plan's leaders and inspectors)`,
    );
  });

  it('says when a key had been deducted already', () => {
    const deduction = {
      key: 'manual:D0123:2027:-:1-2:L1:r',
      tier: 1,
      points: 2,
      caseId: null,
      reason: 'r',
      decidedBy: 'L1',
      decidedAt: NOW.toISOString(),
    };
    const base = {
      practitionerId: 'D0123',
      year: 2027,
      total: 2,
      eligibility: 'eligible' as const,
      suspendedUntil: null,
      barredUntil: null,
      deductions: [deduction],
      rejected: [],
      deduction,
    };
    expect(formatDeductionResult({ ...base, duplicate: false }, 'Asia/Shanghai')).toBe(
      'deducted: D0123 2 points (tier 1) → 2 points in 2027, eligible [key manual:D0123:2027:-:1-2:L1:r]',
    );
    expect(formatDeductionResult({ ...base, duplicate: true }, 'Asia/Shanghai')).toBe(
      'already deducted under key manual:D0123:2027:-:1-2:L1:r on 2027-05-06 10:00 (2 points, tier 1): nothing deducted again → 2 points in 2027, eligible',
    );
  });

  it("shows the ledger's deductions and standing when the workflow is gone", () => {
    const rows = [
      {
        key: 'k1',
        practitionerId: 'D0123',
        year: 2027,
        tier: 3,
        points: 9,
        caseId: null,
        reason: '串换药品',
        decidedBy: 'L1',
        decidedAt: NOW.toISOString(),
      },
    ];
    const standing = {
      practitionerId: 'D0123',
      year: 2027,
      total: 9,
      eligibility: 'suspended' as const,
      suspendedUntil: '2027-08-06T02:00:00.000Z',
      barredUntil: null,
      closed: true,
      version: 2,
      updatedAt: '2027-12-31T16:00:00.000Z',
    };
    const text = formatLedgerDeductions('D0123', 2027, rows, 'Asia/Shanghai', standing);
    expect(text).toContain("eligibility  suspended until 2027-08-06 10:00 (the ledger's standing of 2028-01-01 00:00, year closed)");
    expect(cells(text.split('\n').at(-1)!)).toEqual(['2027-05-06 10:00', '3', '9', '', 'L1', '', '串换药品', 'k1']);
    expect(formatLedgerDeductions('D0123', 2027, rows, 'Asia/Shanghai')).not.toContain('eligibility');
  });

  it('documents --key in --help', async () => {
    const { out } = await run('points', 'deduct', '--help');
    expect(out).toContain('--key <text>');
    expect(out.replace(/\s+/g, ' ')).toContain('Running the command again with the same key deducts nothing more');
  });

  it('shows the status', () => {
    const status: PointsStatus = {
      practitionerId: 'D0123',
      year: 2027,
      total: 9,
      eligibility: 'suspended',
      suspendedUntil: '2027-08-06T02:00:00.000Z',
      barredUntil: null,
      deductions: [
        {
          key: 'k1',
          tier: 3,
          points: 9,
          suspensionMonths: 3,
          caseId: 'case:349901:c.H002',
          reason: '串换药品',
          decidedBy: 'L1',
          decidedAt: NOW.toISOString(),
        },
      ],
      rejected: [],
    };
    const text = formatPointsStatus(status, 'Asia/Shanghai');
    expect(text).toContain('points       9');
    expect(text).toContain('eligibility  suspended until 2027-08-06 10:00');
    const lines = text.split('\n');
    expect(cells(lines.at(-3)!)).toEqual(['decided at', 'tier', 'points', 'months', 'by', 'case', 'reason', 'key']);
    expect(cells(lines.at(-1)!)).toEqual(['2027-05-06 10:00', '3', '9', '3', 'L1', 'case:349901:c.H002', '串换药品', 'k1']);
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// The commands as registered: help, and refusals before anything is sent.

/** Runs `jianguan …args` with exits turned into exceptions and output captured. */
async function run(...args: string[]): Promise<{ error?: CommanderError | Error; out: string; err: string }> {
  const program = buildProgram();
  let out = '';
  let err = '';
  const configure = (command: Command) => {
    command.exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
    command.commands.forEach(configure);
  };
  configure(program);
  try {
    await program.parseAsync(['node', 'jianguan', ...args]);
    return { out, err };
  } catch (error) {
    return { error: error as Error, out, err };
  }
}

describe('registered commands', () => {
  it('every case and points command has --help', async () => {
    for (const args of [
      ['case', 'list'],
      ['case', 'show'],
      ['case', 'decide'],
      ['case', 'recheck'],
      ['case', 'ack-referral'],
      ['case', 'pay'],
      ['points', 'show'],
      ['points', 'deduct'],
    ]) {
      const { error, out } = await run(...args, '--help');
      expect((error as CommanderError).code).toBe('commander.helpDisplayed');
      expect(out).toContain(`Usage: jianguan ${args.join(' ')} [options]`);
    }
  });

  it('refuses a bad choice or a missing required flag by name', async () => {
    const action = await run('case', 'decide', 'c.H001', '--action', 'fine');
    expect((action.error as CommanderError).code).toBe('commander.invalidArgument');
    expect(action.err).toContain("option '--action <action>' argument 'fine' is invalid");
    const agency = await run('case', 'ack-referral', 'c.H001', '--agency', 'police', '--by', 'x', '--reference', 'y');
    expect(agency.err).toContain("option '--agency <agency>' argument 'police' is invalid");
    const amount = await run('case', 'pay', 'c.H001', '--reference', 'R', '--by', 'L1');
    expect(amount.err).toContain("required option '--amount <yuan>' not specified");
    const year = await run('case', 'list', '--year', '27');
    expect(year.err).toContain('--year: "27" is not a year');
  });

  it('the repeatable flags of case decide collect lists', () => {
    const decide = buildProgram()
      .commands.find((c) => c.name() === 'case')!
      .commands.find((c) => c.name() === 'decide')!;
    decide.parseOptions(['--fine', '38:1.5', '40:2', '--points', 'D0123:3:9:3', 'N0456:1:2', '--person', '王某|院长', '--by', 'L1']);
    expect(decide.opts()).toMatchObject({
      fine: ['38:1.5', '40:2'],
      points: ['D0123:3:9:3', 'N0456:1:2'],
      person: ['王某|院长'],
      by: 'L1',
    });
  });

  it('a payload problem stops `case decide` before the plan or Temporal are touched', async () => {
    await expect(decideCommand('c.H001', { action: 'suspend', by: 'L1', reason: 'r', plan: '/nonexistent/plan.yaml' })).rejects.toThrow(
      new UsageError('--months: required with --action suspend (whole months of the suspension)'),
    );
  });
});
