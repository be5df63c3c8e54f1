// The special campaign's rules (domain/self-check.ts): the self-check report as the Update and the CLI check it, every
// problem by its path; its refunds in fen; when it is due and late; who the investigation inspects and why, the random
// share re-drawn alike from the seed whatever the candidates' order.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INVESTIGATION_RULES,
  investigationReasons,
  isLate,
  refundedFen,
  reportDueDate,
  selectForInvestigation,
  selfCheckReportSchema,
  type InvestigationCandidate,
} from '../../domain/self-check';
import { formatProblems, zodProblems } from '../../domain/validation';

const problems = (payload: unknown) => {
  const parsed = selfCheckReportSchema.safeParse(payload);
  return parsed.success ? '' : formatProblems(zodProblems(parsed.error));
};

const item = { category: '重复收费', description: '检验项目重复收费', amountFen: 10_000, refundedFen: 8_000 };
const measure = { measure: '完善收费审核', deadline: '2026-12-31' };

describe('self-check report', () => {
  it('takes a report with items, refunds and measures, or one that found nothing', () => {
    expect(problems({ submittedBy: '王主任', items: [item], measures: [measure] })).toBe('');
    expect(selfCheckReportSchema.parse({ submittedBy: '王主任' })).toEqual({ submittedBy: '王主任', items: [], measures: [], note: '' });
    expect(
      refundedFen(selfCheckReportSchema.parse({ submittedBy: '甲', items: [item, { ...item, refundedFen: 1 }], measures: [measure] })),
    ).toBe(8_001);
  });

  it('names every problem by its field', () => {
    expect(
      problems({
        submittedBy: '',
        items: [
          { ...item, refundedFen: 20_000 },
          { ...item, amountFen: 1.5 },
        ],
        measures: [{ measure: '整改', deadline: '2026-02-30' }],
        extra: 1,
      }),
    ).toBe(
      [
        'submittedBy: required',
        "items[0].refundedFen: 20000 fen is more than the item's amountFen 10000",
        'items[1].amountFen: expected an integer amount in fen',
        'measures[0].deadline: expected a date "YYYY-MM-DD"',
        '(root): Unrecognized key: "extra"',
      ].join('; '),
    );
    expect(problems({ submittedBy: '甲', items: [item] })).toBe(
      'measures: problems were found: give at least one measure with its deadline',
    );
  });

  it('is due by the date given, days after the phase starts, or the phase’s end; late after the instant', () => {
    const phase = { name: '自查自纠', startsOn: '2026-07-01', endsOn: '2026-07-31' };
    expect(reportDueDate(phase)).toBe('2026-07-31');
    expect(reportDueDate(phase, { days: 14 })).toBe('2026-07-15');
    expect(reportDueDate(phase, '2026-07-20')).toBe('2026-07-20');
    expect(reportDueDate(phase, { days: 60 })).toBe('2026-07-31');
    const due = new Date('2026-07-15T15:59:00Z');
    expect(isLate(due, due)).toBe(false);
    expect(isLate(new Date('2026-07-15T16:00:00Z'), due)).toBe(true);
  });
});

const candidate = (id: string, over: Partial<InvestigationCandidate> = {}): InvestigationCandidate => ({
  id,
  submitted: true,
  refundedFen: 0,
  estimateFen: null,
  riskSignals: 0,
  creditGrade: null,
  ...over,
});

describe('investigation selection', () => {
  const rules = DEFAULT_INVESTIGATION_RULES;

  it('gives each reason other than chance', () => {
    expect(investigationReasons(candidate('a', { submitted: false }), rules)).toEqual(['not-submitted']);
    expect(investigationReasons(candidate('a', { riskSignals: 2, creditGrade: 'E' }), rules)).toEqual(['risk-signals', 'credit-grade']);
    expect(investigationReasons(candidate('a', { creditGrade: 'C' }), rules)).toEqual([]);
    // Below half the estimate is far below; half is not.
    expect(investigationReasons(candidate('a', { refundedFen: 49_999, estimateFen: 100_000 }), rules)).toEqual(['refund-below-estimate']);
    expect(investigationReasons(candidate('a', { refundedFen: 50_000, estimateFen: 100_000 }), rules)).toEqual([]);
    expect(investigationReasons(candidate('a', { riskSignals: 1 }), { ...rules, riskSignals: false })).toEqual([]);
  });

  it('draws the random share of the rest from the seed, whatever the order of the candidates', () => {
    const pool = Array.from({ length: 40 }, (_, n) => candidate(`H${String(n).padStart(3, '0')}`));
    const all = [candidate('Z-missing', { submitted: false }), ...pool];
    const selection = selectForInvestigation('seed-1', all, rules);
    expect(selection.randomPool).toHaveLength(40);
    expect(selection.randomCount).toBe(4);
    expect(selection.targets.filter((t) => t.reasons[0] === 'random')).toHaveLength(4);
    expect(selection.targets.find((t) => t.id === 'Z-missing')?.reasons).toEqual(['not-submitted']);
    expect(selectForInvestigation('seed-1', [...all].reverse(), rules)).toEqual(selection);
    expect(selectForInvestigation('seed-2', all, rules).targets).not.toEqual(selection.targets);
    // Rounded up: one in ten of three is one.
    expect(selectForInvestigation('s', pool.slice(0, 3), rules).randomCount).toBe(1);
    expect(selectForInvestigation('s', pool.slice(0, 3), { ...rules, randomPercent: 0 }).targets).toEqual([]);
  });
});
