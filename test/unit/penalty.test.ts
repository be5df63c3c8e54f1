// The penalty discretion table and the money of a penalty decision (domain/penalty.ts): recovery + fine per article,
// exact integer arithmetic in fen.
import { describe, expect, it } from 'vitest';
import {
  articleKey,
  assessPenalty,
  DEFAULT_PENALTY_TABLE,
  isTenthMultiple,
  lossByArticle,
  multiplyFen,
  needsSecondApprover,
  PenaltyError,
  penaltyProblems,
  type PenaltyTable,
} from '../../domain/penalty';
import { formatProblems } from '../../domain/validation';

const table = DEFAULT_PENALTY_TABLE;
const ART38 = '《医疗保障基金使用监督管理条例》（2021）第三十八条';
const ART40 = '《医疗保障基金使用监督管理条例》（2021）第四十条';

describe('DEFAULT_PENALTY_TABLE', () => {
  it('carries the ranges of Art. 38 and Art. 40, each with its source', () => {
    expect(table.defaultArticle).toBe('38');
    expect(table.secondApproverAboveFen).toBe(10_000_000);
    expect(table.source).toContain('《医疗保障基金使用监督管理条例》');
    expect(table.articles).toEqual([
      { article: '38', title: '违规使用医保基金', source: ART38, minMultiple: 1, maxMultiple: 2, suspensionMonths: { min: 6, max: 12 } },
      { article: '40', title: '欺诈骗取医保基金', source: ART40, minMultiple: 2, maxMultiple: 5, suspensionMonths: { min: 6, max: 12 } },
    ]);
  });
});

describe('multiplyFen', () => {
  it('rounds half up to the fen: 12,345 fen × 1.5 = 18,517.5 → 18,518', () => {
    expect(multiplyFen(12_345, 1.5)).toBe(18_518);
    expect(multiplyFen(12_345, 1.4)).toBe(17_283); // 17,283.0
    expect(multiplyFen(1, 1.5)).toBe(2); // 1.5 → 2
    expect(multiplyFen(1, 1.4)).toBe(1); // 1.4 → 1
    expect(multiplyFen(3, 1.5)).toBe(5); // 4.5 → 5
    expect(multiplyFen(12_345, 2)).toBe(24_690);
    expect(multiplyFen(0, 5)).toBe(0);
    expect(multiplyFen(999, 0)).toBe(0);
  });

  it('takes multiples whose float is inexact (0.1 steps) without drift', () => {
    // 0.3 * 10 is 3.0000000000000004 and 1.1 * 10 is 11.000000000000002 in floating point.
    expect(multiplyFen(10, 0.3)).toBe(3);
    expect(multiplyFen(100_000, 1.1)).toBe(110_000);
    expect(multiplyFen(333, 2.3)).toBe(766); // 765.9 → 766
    expect(multiplyFen(7, 4.9)).toBe(34); // 34.3 → 34
  });

  it('is exact for huge amounts where floating point is not', () => {
    // 6,004,799,503,160,659 × 1.5 = 9,007,199,254,740,988.5, which rounds half up to …989. The float product
    // loses the half and gives …988.
    expect(Math.round(6_004_799_503_160_659 * 1.5)).toBe(9_007_199_254_740_988);
    expect(multiplyFen(6_004_799_503_160_659, 1.5)).toBe(9_007_199_254_740_989);
    expect(multiplyFen(Number.MAX_SAFE_INTEGER, 1)).toBe(Number.MAX_SAFE_INTEGER);
    expect(multiplyFen(1_000_000_000_000_000, 5)).toBe(5_000_000_000_000_000);
  });

  it('refuses results beyond the safe integer range', () => {
    expect(() => multiplyFen(6_004_799_503_160_661, 1.5)).toThrow(RangeError);
    expect(() => multiplyFen(Number.MAX_SAFE_INTEGER, 1.1)).toThrow(/beyond the safe integer range/);
  });

  it('refuses amounts that are not safe non-negative integers', () => {
    expect(() => multiplyFen(12.5, 1)).toThrow(/non-negative safe integer in fen, got 12\.5/);
    expect(() => multiplyFen(-1, 1)).toThrow(RangeError);
    expect(() => multiplyFen(Number.MAX_SAFE_INTEGER + 1, 1)).toThrow(RangeError);
    expect(() => multiplyFen(Number.NaN, 1)).toThrow(RangeError);
  });

  it('refuses multiples that are not steps of 0.1', () => {
    expect(() => multiplyFen(100, 1.55)).toThrow(/multiple of 0\.1, got 1\.55/);
    expect(() => multiplyFen(100, -1)).toThrow(RangeError);
    expect(() => multiplyFen(100, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(isTenthMultiple(1.5)).toBe(true);
    expect(isTenthMultiple(0.3)).toBe(true);
    expect(isTenthMultiple(2)).toBe(true);
    expect(isTenthMultiple(1.55)).toBe(false);
    expect(isTenthMultiple(1.01)).toBe(false);
  });
});

describe('articleKey', () => {
  it('normalises the ways inspectors cite an article to the table key', () => {
    for (const text of [
      '38',
      ' 38 ',
      '038',
      '第38条',
      '第三十八条',
      '条例第三十八条',
      '《医疗保障基金使用监督管理条例》第三十八条第一款',
    ]) {
      expect(articleKey(text, table), text).toBe('38');
    }
    for (const text of ['40', '第四十条', '条例第 40 条']) expect(articleKey(text, table), text).toBe('40');
  });

  it('uses the default article when none is cited', () => {
    expect(articleKey(undefined, table)).toBe('38');
    expect(articleKey(undefined, { ...table, defaultArticle: '40' })).toBe('40');
  });

  it('keeps unknown articles as given, including another document’s article of the same number', () => {
    expect(articleKey('条例第三十九条', table)).toBe('条例第三十九条');
    expect(articleKey('39', table)).toBe('39');
    expect(articleKey('《社会保险法》第三十八条', table)).toBe('《社会保险法》第三十八条');
    expect(articleKey('Art. 38', table)).toBe('Art. 38');
  });

  it('reads larger Chinese numerals', () => {
    const wide: PenaltyTable = {
      ...table,
      articles: [...table.articles, { ...table.articles[0]!, article: '105' }, { ...table.articles[0]!, article: '10' }],
    };
    expect(articleKey('第一百零五条', wide)).toBe('105');
    expect(articleKey('第十条', wide)).toBe('10');
  });
});

describe('lossByArticle', () => {
  it('sums the loss per article, items without one under the default article', () => {
    const losses = lossByArticle(
      [
        { amountFen: 100_00 },
        { amountFen: 250_00, article: '条例第三十八条' },
        { amountFen: 1_000_00, article: '第四十条' },
        { article: '40' },
        { amountFen: 5_00, article: '第三十九条' },
      ],
      table,
    );
    expect([...losses]).toEqual([
      ['38', 350_00],
      ['40', 1_000_00],
      ['第三十九条', 5_00],
    ]);
  });

  it('refuses bad amounts and sums beyond the safe range', () => {
    expect(() => lossByArticle([{ amountFen: -5 }], table)).toThrow(/items\[0\]\.amountFen must be a non-negative integer/);
    expect(() => lossByArticle([{ amountFen: Number.MAX_SAFE_INTEGER }, { amountFen: 1 }], table)).toThrow(RangeError);
  });
});

describe('penaltyProblems and assessPenalty', () => {
  const items = [
    { category: '串换药品', amountFen: 12_345, article: '条例第三十八条' },
    { category: '重复收费', amountFen: 655 }, // default article 38
    { category: '虚构医药服务', amountFen: 1_000_000, article: '第四十条' },
  ];

  it('assesses recovery, fines per article and the total', () => {
    expect(
      penaltyProblems(
        items,
        [
          { article: '38', multiple: 1.5 },
          { article: '第四十条', multiple: 2.5 },
        ],
        table,
      ),
    ).toEqual([]);
    expect(
      assessPenalty(
        items,
        [
          { article: '38', multiple: 1.5 },
          { article: '第四十条', multiple: 2.5 },
        ],
        table,
      ),
    ).toEqual({
      recoveryFen: 1_013_000,
      fineFen: 19_500 + 2_500_000, // 13,000 × 1.5 and 1,000,000 × 2.5
      totalFen: 1_013_000 + 2_519_500,
      lines: [
        { article: '38', lossFen: 13_000, multiple: 1.5, fineFen: 19_500 },
        { article: '40', lossFen: 1_000_000, multiple: 2.5, fineFen: 2_500_000 },
      ],
    });
  });

  it('rounds each line half up: 12,345 fen × 1.5 = 18,518 fen', () => {
    const a = assessPenalty([{ amountFen: 12_345 }], [{ article: '38', multiple: 1.5 }], table);
    expect(a).toEqual({
      recoveryFen: 12_345,
      fineFen: 18_518,
      totalFen: 30_863,
      lines: [{ article: '38', lossFen: 12_345, multiple: 1.5, fineFen: 18_518 }],
    });
  });

  it('accepts the bounds of each range', () => {
    expect(
      penaltyProblems(
        items,
        [
          { article: '38', multiple: 1 },
          { article: '40', multiple: 5 },
        ],
        table,
      ),
    ).toEqual([]);
    expect(
      penaltyProblems(
        items,
        [
          { article: '38', multiple: 2 },
          { article: '40', multiple: 2 },
        ],
        table,
      ),
    ).toEqual([]);
  });

  it('refuses a multiple outside its article’s range, citing the source', () => {
    expect(
      penaltyProblems(
        items,
        [
          { article: '38', multiple: 3 },
          { article: '40', multiple: 1.9 },
        ],
        table,
      ),
    ).toEqual([
      { path: 'fines[0].multiple', message: `3 is outside 1–2× of ${ART38}` },
      { path: 'fines[1].multiple', message: `1.9 is outside 2–5× of ${ART40}` },
    ]);
    expect(
      penaltyProblems(
        items,
        [
          { article: '38', multiple: 0.9 },
          { article: '40', multiple: 5.1 },
        ],
        table,
      ).map((p) => p.path),
    ).toEqual(['fines[0].multiple', 'fines[1].multiple']);
  });

  it('refuses a multiple that is not a step of 0.1', () => {
    expect(
      penaltyProblems(
        items,
        [
          { article: '38', multiple: 1.55 },
          { article: '40', multiple: 2 },
        ],
        table,
      ),
    ).toEqual([{ path: 'fines[0].multiple', message: '1.55 is not a multiple of 0.1' }]);
    expect(
      penaltyProblems(
        items,
        [
          { article: '38', multiple: -1 },
          { article: '40', multiple: Number.NaN },
        ],
        table,
      ),
    ).toEqual([
      { path: 'fines[0].multiple', message: 'expected a non-negative multiple of the loss, got -1' },
      { path: 'fines[1].multiple', message: 'expected a non-negative multiple of the loss, got NaN' },
    ]);
  });

  it('refuses a missing fine line for an article with a loss', () => {
    expect(penaltyProblems(items, [{ article: '38', multiple: 1 }], table)).toEqual([
      { path: 'fines', message: `no fine line for article 40: the findings have a loss of 10,000.00 元 under it (2–5× of ${ART40})` },
    ]);
    expect(penaltyProblems(items, [], table).map((p) => p.message)).toEqual([
      expect.stringContaining('no fine line for article 38'),
      expect.stringContaining('no fine line for article 40'),
    ]);
  });

  it('refuses duplicate, unknown and loss-free articles', () => {
    const fines = [
      { article: '38', multiple: 1 },
      { article: '第三十八条', multiple: 2 },
      { article: '39', multiple: 1 },
      { article: '40', multiple: 2 },
    ];
    const only38 = [{ amountFen: 500 }, { amountFen: 0, article: '40' }];
    expect(penaltyProblems(only38, fines, table)).toEqual([
      { path: 'fines[1].article', message: 'duplicate article 38 (first at fines[0])' },
      { path: 'fines[2].article', message: 'unknown article "39" (the penalty table has 38, 40)' },
      { path: 'fines[3].article', message: `the findings have no loss under article 40 (${ART40}): nothing to fine` },
    ]);
  });

  it('reports items citing an article the table does not know', () => {
    expect(penaltyProblems([{ amountFen: 100, article: '条例第三十九条' }], [], table)).toEqual([
      { path: 'items[0].article', message: 'unknown article "条例第三十九条" (the penalty table has 38, 40)' },
    ]);
  });

  it('needs no fine line when nothing was lost', () => {
    expect(assessPenalty([{ amountFen: 0 }, {}], [], table)).toEqual({ recoveryFen: 0, fineFen: 0, totalFen: 0, lines: [] });
  });

  it('throws a PenaltyError listing every problem', () => {
    const fines = [{ article: '38', multiple: 3 }];
    let error: unknown;
    try {
      assessPenalty(items, fines, table);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PenaltyError);
    const { problems, message } = error as PenaltyError;
    expect(problems).toHaveLength(2);
    expect(message).toBe(`invalid penalty decision: ${formatProblems(problems)}`);
    expect(message).toContain(`fines[0].multiple: 3 is outside 1–2× of ${ART38}`);
    expect(message).toContain('fines: no fine line for article 40');
  });

  it('follows a plan’s own table', () => {
    const local: PenaltyTable = {
      ...table,
      defaultArticle: '40',
      articles: [{ ...table.articles[1]!, minMultiple: 3, maxMultiple: 4 }],
    };
    expect(assessPenalty([{ amountFen: 1_001 }], [{ article: '40', multiple: 3.5 }], local).fineFen).toBe(3_504); // 3,503.5
    expect(penaltyProblems([{ amountFen: 1_001 }], [{ article: '40', multiple: 2 }], local)[0]!.message).toBe(
      `2 is outside 3–4× of ${ART40}`,
    );
  });
});

describe('needsSecondApprover', () => {
  it('is strictly above the threshold', () => {
    expect(needsSecondApprover(10_000_000, table)).toBe(false);
    expect(needsSecondApprover(10_000_001, table)).toBe(true);
    expect(needsSecondApprover(0, table)).toBe(false);
    expect(needsSecondApprover(1, { ...table, secondApproverAboveFen: 0 })).toBe(true);
  });
});
