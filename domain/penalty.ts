// The penalty discretion table (行政处罚裁量基准) of a case and the money arithmetic of a penalty decision: recovery of
// the lost fund money (责令退回) plus a fine that is a multiple of it (罚款), per article of the regulation.
//
// The table is cited data, not code: each article names its source, and a jurisdiction may replace the table in its
// plan (`penalties`, config/plan.ts); DEFAULT_PENALTY_TABLE below is the fallback. Amounts are integer fen (分), and
// every multiplication here is exact integer arithmetic (BigInt), never a float multiplication of money.
import { formatYuan } from './inspection';
import { formatPath, formatProblems, type Problem } from './validation';

export interface PenaltyArticle {
  /** The table key: the article number in Arabic digits, e.g. "38". */
  article: string;
  /** What the article punishes, e.g. 违规使用医保基金. */
  title: string;
  /** Document and article, e.g. 《医疗保障基金使用监督管理条例》（2021）第三十八条. Quoted in messages. */
  source: string;
  /** Fine as a multiple of the loss, inclusive bounds, in steps of 0.1. */
  minMultiple: number;
  maxMultiple: number;
  /** Suspension of the responsible departments' fund-paid services (暂停医保服务), whole months, inclusive. */
  suspensionMonths: { min: number; max: number };
}

export interface PenaltyTable {
  /** The article a finding item counts under when it cites none. */
  defaultArticle: string;
  articles: PenaltyArticle[];
  /** A decision whose total (recovery + fine) is strictly above this, in fen, needs a second approver. */
  secondApproverAboveFen: number;
  /** The document the table comes from. */
  source: string;
}

const YUAN = 100; // fen per yuan
const REGULATION = '《医疗保障基金使用监督管理条例》';

/**
 * The regulation's ranges (《医疗保障基金使用监督管理条例》, State Council Decree No. 735, in force 1 May 2021):
 *
 * - Art. 38 (定点医药机构违反规定使用医保基金, e.g. 分解住院, 过度诊疗, 重复收费, 串换药品): order to correct, optional
 *   interview; where the fund lost money, order its return and a fine of 1–2× the loss; refusal to correct or serious
 *   harm: suspension of the responsible departments' fund-paid services for 6 months to 1 year.
 * - Art. 40 (欺诈骗取医保基金, e.g. 虚构医药服务, 伪造医学文书, 虚假就医): return plus a fine of 2–5× the amount
 *   obtained; suspension 6 months to 1 year, up to termination of the service agreement; referral where a crime is
 *   suspected.
 *
 * `secondApproverAboveFen` is NOT from the regulation: it is this project's default reading of the "heavier penalty"
 * rules (集体讨论 / 法制审核 of 《行政处罚法》 articles 57–58), whose money thresholds each province sets itself. Above
 * 100,000 yuan a second person must approve the decision; a jurisdiction sets its own figure in the plan.
 */
export const DEFAULT_PENALTY_TABLE: PenaltyTable = {
  defaultArticle: '38',
  source: `${REGULATION}（国务院令第735号，2021年5月1日起施行）`,
  secondApproverAboveFen: 100_000 * YUAN,
  articles: [
    {
      article: '38',
      title: '违规使用医保基金',
      source: `${REGULATION}（2021）第三十八条`,
      minMultiple: 1,
      maxMultiple: 2,
      suspensionMonths: { min: 6, max: 12 },
    },
    {
      article: '40',
      title: '欺诈骗取医保基金',
      source: `${REGULATION}（2021）第四十条`,
      minMultiple: 2,
      maxMultiple: 5,
      suspensionMonths: { min: 6, max: 12 },
    },
  ],
};

/** A fine line of a penalty decision: the multiple of the loss under one article. */
export interface ArticleFine {
  article: string;
  multiple: number;
}

export interface PenaltyLine {
  /** The table key ("38"). */
  article: string;
  /** The loss under this article, fen. */
  lossFen: number;
  multiple: number;
  /** lossFen × multiple, rounded half up to the fen. */
  fineFen: number;
}

export interface PenaltyAssessment {
  /** The money to return to the fund: the loss of all finding items, fen. */
  recoveryFen: number;
  /** The sum of the fine lines, fen. */
  fineFen: number;
  /** recoveryFen + fineFen. */
  totalFen: number;
  lines: PenaltyLine[];
}

/** A problem of a penalty decision; `path` like `fines[0].multiple` (domain/validation's Problem, for formatProblems). */
export type PenaltyProblem = Problem;

export class PenaltyError extends Error {
  constructor(readonly problems: PenaltyProblem[]) {
    super(`invalid penalty decision: ${formatProblems(problems)}`);
    this.name = 'PenaltyError';
  }
}

const at = (...path: (string | number)[]): string => formatPath(path);

// ---------------------------------------------------------------------------------------------------------------------
// Article references

const CHINESE_DIGITS: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CHINESE_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/** 三十八 → 38, 十 → 10, 一百零五 → 105; undefined when it is not a Chinese numeral. */
function parseChineseNumber(text: string): number | undefined {
  let total = 0;
  let digit: number | undefined;
  for (const ch of text) {
    if (ch in CHINESE_DIGITS) {
      digit = CHINESE_DIGITS[ch];
    } else if (ch in CHINESE_UNITS) {
      total += (digit ?? 1) * CHINESE_UNITS[ch]!;
      digit = undefined;
    } else {
      return undefined;
    }
  }
  total += digit ?? 0;
  return total > 0 ? total : undefined;
}

/**
 * The table key of an article as people write it: "38", "第38条", "第三十八条", "条例第三十八条",
 * "《医疗保障基金使用监督管理条例》第三十八条第一款" → "38". A reference that names another document (《社会保险法》第…条),
 * or that does not parse, or whose number is not in the table, is returned as given (trimmed), so that
 * penaltyProblems can report it in the author's words. No article → the table's default article.
 */
export function articleKey(article: string | undefined, table: PenaltyTable): string {
  if (article === undefined) return table.defaultArticle;
  const given = article.trim();
  const titles = [...given.matchAll(/《([^》]+)》/g)].map((m) => m[1]!);
  const number = /^0*(\d+)$/.exec(given)?.[1] ?? /第\s*(\d+|[〇零一二两三四五六七八九十百千]+)\s*条/.exec(given)?.[1];
  if (number === undefined) return given;
  const key = /^\d+$/.test(number) ? String(Number(number)) : String(parseChineseNumber(number) ?? '');
  const entry = table.articles.find((a) => a.article === key);
  if (!entry) return given;
  // A named document must be the one the article comes from.
  if (titles.some((title) => !entry.source.includes(`《${title}》`) && !table.source.includes(`《${title}》`))) return given;
  return key;
}

function findArticle(table: PenaltyTable, key: string): PenaltyArticle | undefined {
  return table.articles.find((a) => a.article === key);
}

function checkSafe(value: number, what: string): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} is not a safe integer amount in fen: ${value}`);
  return value;
}

/**
 * The loss of the finding items per article (table key → fen). Items without an article count under the table's
 * default article; an article the table does not know is kept under the text it was given.
 */
export function lossByArticle(items: readonly { amountFen?: number; article?: string }[], table: PenaltyTable): Map<string, number> {
  const losses = new Map<string, number>();
  items.forEach((item, i) => {
    const amount = item.amountFen ?? 0;
    if (!Number.isSafeInteger(amount) || amount < 0)
      throw new RangeError(`items[${i}].amountFen must be a non-negative integer amount in fen, got ${amount}`);
    const key = articleKey(item.article, table);
    losses.set(key, checkSafe((losses.get(key) ?? 0) + amount, `the loss under article ${key}`));
  });
  return losses;
}

// ---------------------------------------------------------------------------------------------------------------------
// Multiples and money

/** The multiple in tenths (1.5 → 15), or undefined when it is not a non-negative multiple of 0.1. */
function toTenths(multiple: number): number | undefined {
  if (!Number.isFinite(multiple) || multiple < 0) return undefined;
  const tenths = Math.round(multiple * 10);
  // 0.3 * 10 is 3.0000000000000004 in binary floating point: allow that much, refuse 1.55.
  return Math.abs(multiple * 10 - tenths) < 1e-9 && Number.isSafeInteger(tenths) ? tenths : undefined;
}

/** Whether `multiple` is a non-negative multiple of 0.1 (1.5 yes, 1.55 no). */
export function isTenthMultiple(multiple: number): boolean {
  return toTenths(multiple) !== undefined;
}

/**
 * `fen` × `multiple`, rounded half up to the fen, exactly: the multiple becomes tenths (1.5 → 15) and the product is
 * computed in integers, (fen × tenths + 5) / 10. 12,345 fen × 1.5 = 18,517.5 → 18,518 fen. RangeError when `fen` is
 * not a non-negative safe integer, the multiple is not a non-negative multiple of 0.1, or the result is not a safe
 * integer.
 */
export function multiplyFen(fen: number, multiple: number): number {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError(`amount must be a non-negative safe integer in fen, got ${fen}`);
  const tenths = toTenths(multiple);
  if (tenths === undefined) throw new RangeError(`multiple must be a non-negative multiple of 0.1, got ${multiple}`);
  const product = (BigInt(fen) * BigInt(tenths) + 5n) / 10n;
  if (product > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${fen} fen × ${multiple} is beyond the safe integer range`);
  return Number(product);
}

function formatRange(min: number, max: number): string {
  return min === max ? `${min}` : `${min}–${max}`;
}

/**
 * Everything wrong with a penalty decision's fine lines against the findings, each with its path: every article with a
 * loss needs exactly one fine line; a line's multiple lies within its article's range and is a multiple of 0.1; the
 * article is in the table, not repeated, and has a loss in the findings. An item citing an unknown article is
 * reported at `items[i].article`.
 */
export function penaltyProblems(
  items: readonly { amountFen?: number; article?: string }[],
  fines: readonly ArticleFine[],
  table: PenaltyTable,
): PenaltyProblem[] {
  const problems: PenaltyProblem[] = [];
  const known = table.articles.map((a) => a.article).join(', ');
  const losses = lossByArticle(items, table);

  items.forEach((item, i) => {
    const key = articleKey(item.article, table);
    if (!findArticle(table, key))
      problems.push({ path: at('items', i, 'article'), message: `unknown article "${key}" (the penalty table has ${known})` });
  });

  const firstAt = new Map<string, number>();
  fines.forEach((fine, i) => {
    const key = articleKey(fine.article, table);
    const entry = findArticle(table, key);
    if (!entry) {
      problems.push({ path: at('fines', i, 'article'), message: `unknown article "${key}" (the penalty table has ${known})` });
    } else {
      const first = firstAt.get(key);
      if (first !== undefined)
        problems.push({ path: at('fines', i, 'article'), message: `duplicate article ${key} (first at fines[${first}])` });
      else firstAt.set(key, i);
      if (!((losses.get(key) ?? 0) > 0)) {
        problems.push({
          path: at('fines', i, 'article'),
          message: `the findings have no loss under article ${key} (${entry.source}): nothing to fine`,
        });
      }
    }
    if (!Number.isFinite(fine.multiple) || fine.multiple < 0) {
      problems.push({ path: at('fines', i, 'multiple'), message: `expected a non-negative multiple of the loss, got ${fine.multiple}` });
    } else if (!isTenthMultiple(fine.multiple)) {
      problems.push({ path: at('fines', i, 'multiple'), message: `${fine.multiple} is not a multiple of 0.1` });
    } else if (entry && (fine.multiple < entry.minMultiple || fine.multiple > entry.maxMultiple)) {
      problems.push({
        path: at('fines', i, 'multiple'),
        message: `${fine.multiple} is outside ${formatRange(entry.minMultiple, entry.maxMultiple)}× of ${entry.source}`,
      });
    }
  });

  for (const [key, loss] of losses) {
    const entry = findArticle(table, key);
    if (entry && loss > 0 && !firstAt.has(key)) {
      problems.push({
        path: 'fines',
        message: `no fine line for article ${key}: the findings have a loss of ${formatYuan(loss)} under it (${formatRange(entry.minMultiple, entry.maxMultiple)}× of ${entry.source})`,
      });
    }
  }
  return problems;
}

/**
 * The recovery, fine and total of a penalty decision, with one line per fine (in the decision's order). Throws a
 * PenaltyError listing every problem when penaltyProblems finds any.
 */
export function assessPenalty(
  items: readonly { amountFen?: number; article?: string }[],
  fines: readonly ArticleFine[],
  table: PenaltyTable,
): PenaltyAssessment {
  const problems = penaltyProblems(items, fines, table);
  if (problems.length > 0) throw new PenaltyError(problems);
  const losses = lossByArticle(items, table);
  const lines = fines.map((fine): PenaltyLine => {
    const article = articleKey(fine.article, table);
    const lossFen = losses.get(article) ?? 0;
    return { article, lossFen, multiple: fine.multiple, fineFen: multiplyFen(lossFen, fine.multiple) };
  });
  const recoveryFen = checkSafe(
    [...losses.values()].reduce((sum, loss) => sum + loss, 0),
    'the recovery',
  );
  const fineFen = checkSafe(
    lines.reduce((sum, line) => sum + line.fineFen, 0),
    'the fine',
  );
  return { recoveryFen, fineFen, totalFen: checkSafe(recoveryFen + fineFen, 'the total'), lines };
}

/** Whether a decision of `totalFen` needs a second approver: strictly above the table's threshold. */
export function needsSecondApprover(totalFen: number, table: Pick<PenaltyTable, 'secondApproverAboveFen'>): boolean {
  return totalFen > table.secondApproverAboveFen;
}

/** The articles' keys the items cite (each item's article, or the table's default). */
function citedKeys(items: readonly { article?: string }[], table: PenaltyTable): string[] {
  return [...new Set(items.map((item) => articleKey(item.article, table)))];
}

/** The range of suspension months the cited articles allow (the default article's when none is in the table). */
export function suspensionRange(items: readonly { article?: string }[], table: PenaltyTable): { min: number; max: number } {
  const keys = citedKeys(items, table);
  const articles = table.articles.filter((a) => keys.includes(a.article));
  const cited = articles.length ? articles : table.articles.filter((a) => a.article === table.defaultArticle);
  return { min: Math.min(...cited.map((a) => a.suspensionMonths.min)), max: Math.max(...cited.map((a) => a.suspensionMonths.max)) };
}

/** The sources of the cited articles, for messages; the table's source when none is in the table. */
export function citedArticles(items: readonly { article?: string }[], table: PenaltyTable): string {
  const keys = citedKeys(items, table);
  return (
    table.articles
      .filter((a) => keys.includes(a.article))
      .map((a) => a.source)
      .join('；') || table.source
  );
}
