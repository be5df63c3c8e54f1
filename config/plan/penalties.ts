// The penalty discretion table (裁量基准) of cases: per article of the regulation, the fine as a multiple of the loss
// and the suspension months; which article an item without one counts under; above which total a decision needs a
// second approver. Left out, DEFAULT_PENALTY_TABLE of domain/penalty.ts applies (with its sources).
import { z } from 'zod';
import { DEFAULT_PENALTY_TABLE, isTenthMultiple } from '../../domain/penalty';
import { show } from '../../domain/validation';
import { citation, integer, nonNegativeInt, text } from './fields';
import { field, isCount, isNumber, rows, type Report } from './unchecked';

const ARTICLE_NO = /^[1-9]\d{0,3}$/;

const articleNo = z
  .string({
    error: (iss) => (iss.input === undefined ? 'required' : `expected the article number in quotes, e.g. "38", got ${show(iss.input, 60)}`),
  })
  .regex(ARTICLE_NO, { error: (iss) => `expected the article number in Arabic digits, e.g. "38", got ${show(iss.input, 60)}` });
const multiple = z
  .number()
  .refine((v) => v > 0, { error: (iss) => `must be more than 0, got ${show(iss.input, 60)}` })
  .refine(isTenthMultiple, { error: (iss) => `expected a multiple in steps of 0.1 (e.g. 1.5), got ${show(iss.input, 60)}` });
const months = integer.min(1).max(12);
const penaltyArticle = z.strictObject({
  article: articleNo,
  title: text,
  /** Document and article, quoted in decisions and messages. */
  source: citation,
  minMultiple: multiple,
  maxMultiple: multiple,
  suspensionMonths: z.strictObject({ min: months, max: months }),
});

export const penalties = z
  .strictObject({
    source: citation.default(DEFAULT_PENALTY_TABLE.source),
    defaultArticle: articleNo.default(DEFAULT_PENALTY_TABLE.defaultArticle),
    articles: z
      .array(penaltyArticle)
      .min(1, 'needs at least one article')
      .default(() => DEFAULT_PENALTY_TABLE.articles.map((a) => ({ ...a, suspensionMonths: { ...a.suspensionMonths } }))),
    /** Integer fen; a decision whose total is strictly above it needs a second approver. */
    secondApproverAboveFen: nonNegativeInt.default(DEFAULT_PENALTY_TABLE.secondApproverAboveFen),
  })
  .prefault({});

/** Articles unique, the default article one of them, ranges in order. */
export function penaltyProblems(plan: unknown, report: Report): void {
  const penaltyTable = field(plan, 'penalties');
  const articleFirstAt = new Map<string, number>();
  for (const [i, entry] of rows(field(penaltyTable, 'articles')) ?? []) {
    if (typeof entry.article === 'string') {
      const first = articleFirstAt.get(entry.article);
      if (first === undefined) articleFirstAt.set(entry.article, i);
      else report(['penalties', 'articles', i, 'article'], `duplicate article "${entry.article}" (first at penalties.articles[${first}])`);
    }
    const { minMultiple: min, maxMultiple: max } = entry;
    const isMultiple = (v: unknown): v is number => isNumber(v) && v > 0 && isTenthMultiple(v);
    if (isMultiple(min) && isMultiple(max) && max < min)
      report(['penalties', 'articles', i, 'maxMultiple'], `${max} is below minMultiple ${min}`);
    const suspension = field(entry, 'suspensionMonths');
    const [sMin, sMax] = [field(suspension, 'min'), field(suspension, 'max')];
    const isMonths = (v: unknown): v is number => isCount(v) && v <= 12;
    if (isMonths(sMin) && isMonths(sMax) && sMax < sMin)
      report(['penalties', 'articles', i, 'suspensionMonths', 'max'], `${sMax} is below min ${sMin}`);
  }
  // The default article must be in the table: the plan's articles when given (and all well-formed), else the built-in ones.
  const articleList = field(penaltyTable, 'articles');
  const articleKeys =
    articleList === undefined
      ? DEFAULT_PENALTY_TABLE.articles.map((a) => a.article)
      : Array.isArray(articleList) && articleList.length > 0 && articleList.every((a) => typeof field(a, 'article') === 'string')
        ? [...articleFirstAt.keys()]
        : undefined;
  const defaultArticle = field(penaltyTable, 'defaultArticle') ?? DEFAULT_PENALTY_TABLE.defaultArticle;
  if (articleKeys && typeof defaultArticle === 'string' && ARTICLE_NO.test(defaultArticle) && !articleKeys.includes(defaultArticle)) {
    report(['penalties', 'defaultArticle'], `unknown article "${defaultArticle}" (penalties.articles has ${articleKeys.join(', ')})`);
  }
}
