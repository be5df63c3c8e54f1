// The penalty table for individuals (参保人员 and other persons, 职业骗保人 included): 《医疗保障基金使用监督管理条例》
// 第四十一条. Cited data like the institutions' table (./penalty.ts): a jurisdiction may replace it in its plan
// (`personPenalties`, config/plan/person-penalties.ts). Pure.
import { multiplyFen } from './penalty';

export interface PersonPenaltyParagraph {
  /** The table key: article and paragraph, e.g. "41-2". */
  key: string;
  title: string;
  /** Document, article and paragraph, quoted in decisions and messages. */
  source: string;
  /** The fine as a multiple of the amount obtained, inclusive; both 0 where the paragraph sets no fine. */
  minMultiple: number;
  maxMultiple: number;
  /** 暂停医疗费用联网结算 (the insured person's card settlement), whole months, inclusive. */
  suspensionMonths: { min: number; max: number };
}

export interface PersonPenaltyTable {
  source: string;
  paragraphs: PersonPenaltyParagraph[];
}

const REGULATION = '《医疗保障基金使用监督管理条例》';

/**
 * 《医疗保障基金使用监督管理条例》（国务院令第735号，2021年5月1日起施行）第四十一条:
 * - paragraph 1 (将本人医疗保障凭证交由他人冒名使用, 重复享受医疗保障待遇, 利用享受待遇的机会转卖药品…): order to
 *   correct; where the fund lost money, order its return; an insured person's 医疗费用联网结算 suspended 3 to 12 months.
 *   No fine.
 * - paragraph 2 (the same for the purpose of defrauding the fund; 使用他人医疗保障凭证冒名就医、购药; 伪造、变造…医学文书
 *   or 虚构医药服务项目 to obtain fund money): as paragraph 1, plus a fine of 2 to 5 times the amount obtained.
 */
export const DEFAULT_PERSON_PENALTY_TABLE: PersonPenaltyTable = {
  source: `${REGULATION}（国务院令第735号，2021年5月1日起施行）`,
  paragraphs: [
    {
      key: '41-1',
      title: '个人违规享受医疗保障待遇',
      source: `${REGULATION}（2021）第四十一条第一款`,
      minMultiple: 0,
      maxMultiple: 0,
      suspensionMonths: { min: 3, max: 12 },
    },
    {
      key: '41-2',
      title: '个人以骗取医疗保障基金为目的',
      source: `${REGULATION}（2021）第四十一条第二款`,
      minMultiple: 2,
      maxMultiple: 5,
      suspensionMonths: { min: 3, max: 12 },
    },
  ],
};

export interface PersonPenaltyAssessment {
  /** 责令退回: the amount obtained, fen. */
  recoveryFen: number;
  fineFen: number;
  totalFen: number;
  multiple: number;
  paragraph: string;
}

function paragraphOf(key: string, table: PersonPenaltyTable): PersonPenaltyParagraph | undefined {
  return table.paragraphs.find((p) => p.key === key);
}

/** What is wrong with a fine of `multiple` under `key`, or undefined: a known paragraph, the multiple in its range. */
export function personFineProblem(key: string, multiple: number, table: PersonPenaltyTable): string | undefined {
  const p = paragraphOf(key, table);
  if (!p) return `paragraph: unknown "${key}" (the table has ${table.paragraphs.map((x) => x.key).join(', ')})`;
  if (multiple < p.minMultiple || multiple > p.maxMultiple)
    return `multiple: ${multiple} is outside ${p.minMultiple}–${p.maxMultiple} of ${p.source}`;
  return undefined;
}

/** What is wrong with a card suspension of `months`, or undefined: within the widest range of the table. */
export function suspensionMonthsProblem(months: number, table: PersonPenaltyTable): string | undefined {
  const min = Math.min(...table.paragraphs.map((p) => p.suspensionMonths.min));
  const max = Math.max(...table.paragraphs.map((p) => p.suspensionMonths.max));
  return months >= min && months <= max ? undefined : `months: ${months} is outside ${min}–${max} (${table.source}第四十一条)`;
}

/** The return and the fine (exact integer fen, ./penalty.ts multiplyFen). Throws a RangeError on a problem. */
export function assessPersonPenalty(amountFen: number, key: string, multiple: number, table: PersonPenaltyTable): PersonPenaltyAssessment {
  const problem = personFineProblem(key, multiple, table);
  if (problem) throw new RangeError(problem);
  const fineFen = multiplyFen(amountFen, multiple);
  return { recoveryFen: amountFen, fineFen, totalFen: amountFen + fineFen, multiple, paragraph: key };
}

/** The paragraph's citation, for messages and audit text. */
export function paragraphSource(key: string, table: PersonPenaltyTable): string {
  return paragraphOf(key, table)?.source ?? key;
}
