// The special campaign (专项整治, seed 002 三、时间安排; DESIGN §5 specialCampaign) as rules: the self-check report an
// institution submits in the 自查自纠 phase (items found against the campaign's 典型问题清单, money refunded to the fund,
// measures with their deadlines), whether it came on time, and who the 严肃查处 phase inspects on site: "对未认真开展自查
// 自纠、基金运行风险高、问题线索多的定点医药机构开展现场检查" — the non-submitters, the high-risk, and a seeded random share
// of the rest that anyone can re-draw from the recorded seed (domain/draw.ts). Pure: the workflow's Update validator,
// the CLI and the selection activity share it.
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { CampaignPhaseDates, PhaseEnd } from './campaign-file';
import { type CreditGrade } from './credit';
import { seededSample } from './draw';
import { ITEM_AMOUNT_MAX_FEN, FINDING_ITEMS_MAX, DESCRIPTION_MAX } from './inspection';
import { NAME_MAX, NOTE_MAX, requiredText, text } from './validation';

const isLocalDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid;
const localDate = z.string().refine(isLocalDate, { error: 'expected a date "YYYY-MM-DD"' });
const fen = z
  .number()
  .int('expected an integer amount in fen')
  .nonnegative()
  .max(ITEM_AMOUNT_MAX_FEN, `at most ${ITEM_AMOUNT_MAX_FEN} fen`);

/** One problem the institution found in itself, with what it owes and what it has paid back (退回医保基金). */
export const selfCheckItemSchema = z
  .strictObject({
    /** The checklist item it answers to (a category of the 典型问题清单, or another the institution names). */
    category: requiredText(NAME_MAX),
    description: requiredText(DESCRIPTION_MAX, { multiline: true }),
    /** The fund money used against the rules, integer fen. */
    amountFen: fen,
    /** Of it, what was refunded to the fund, integer fen. */
    refundedFen: fen,
  })
  .superRefine((item, ctx) => {
    if (item.refundedFen > item.amountFen)
      ctx.addIssue({
        code: 'custom',
        path: ['refundedFen'],
        message: `${item.refundedFen} fen is more than the item's amountFen ${item.amountFen}`,
      });
  });

/** A rectification measure (整改措施) with its deadline (整改时限), as seed 002 asks of the problem ledger. */
export const selfCheckMeasureSchema = z.strictObject({
  measure: requiredText(NOTE_MAX, { multiline: true }),
  deadline: localDate,
});

export const selfCheckReportSchema = z
  .strictObject({
    /** Who files it for the institution (a name or staff id; the payload is encrypted, the ledger keeps it). */
    submittedBy: requiredText(NAME_MAX),
    /** Nothing found is a report too: an empty list. */
    items: z.array(selfCheckItemSchema).max(FINDING_ITEMS_MAX, `at most ${FINDING_ITEMS_MAX} items`).default([]),
    measures: z.array(selfCheckMeasureSchema).max(FINDING_ITEMS_MAX, `at most ${FINDING_ITEMS_MAX} measures`).default([]),
    note: text(NOTE_MAX, { multiline: true }).default(''),
  })
  .superRefine((report, ctx) => {
    if (report.items.length > 0 && report.measures.length === 0)
      ctx.addIssue({ code: 'custom', path: ['measures'], message: 'problems were found: give at least one measure with its deadline' });
  });
export type SelfCheckReport = z.infer<typeof selfCheckReportSchema>;

/** What the report refunds to the fund in all, integer fen. */
export const refundedFen = (report: Pick<SelfCheckReport, 'items'>): number => report.items.reduce((sum, i) => sum + i.refundedFen, 0);

/** The local date the reports are due: `reportDue` as a date, or days after the phase's start; default its end. */
export function reportDueDate(phase: CampaignPhaseDates, reportDue?: PhaseEnd): string {
  if (reportDue === undefined) return phase.endsOn;
  const due = typeof reportDue === 'string' ? reportDue : DateTime.fromISO(phase.startsOn).plus({ days: reportDue.days }).toISODate()!;
  return due < phase.endsOn ? due : phase.endsOn;
}

/** Whether a report at `submittedAt` is late: after the report's due instant (it is still taken until the phase ends). */
export const isLate = (submittedAt: Date, dueAt: Date): boolean => submittedAt.getTime() > dueAt.getTime();

// ---------------------------------------------------------------------------------------------------------------------
// 严肃查处: who is inspected on site

/** Why an institution is inspected; the first three are "high risk". */
export const INVESTIGATION_REASONS = ['not-submitted', 'risk-signals', 'credit-grade', 'refund-below-estimate', 'random'] as const;
export type InvestigationReason = (typeof INVESTIGATION_REASONS)[number];

export const INVESTIGATION_REASON_LABELS: Record<InvestigationReason, string> = {
  'not-submitted': '未按期提交自查报告',
  'risk-signals': '有举报线索或数据疑点',
  'credit-grade': '信用等级较低',
  'refund-below-estimate': '退回金额远低于数据测算',
  random: '随机抽取',
};

/** Who the investigation picks as high-risk, and how large a random share of the rest it inspects besides. */
export interface InvestigationRules {
  /** A clue or data anomaly of the year makes an institution high-risk. */
  riskSignals: boolean;
  /** These latest credit grades make it high-risk. */
  creditGrades: readonly CreditGrade[];
  /** A refund below this percentage of the data's estimate makes it high-risk (where an estimate is known). */
  refundBelowPercent: number;
  /** Percentage of the remaining targets drawn at random (rounded up). */
  randomPercent: number;
}

/**
 * The defaults, this project's reading (seed 002 names the groups, not their sizes): a clue or data anomaly, a grade
 * of D or E (domain/credit.ts), a refund below half the estimate; one in ten of the rest at random. Set the bureau's own
 * in the campaign file's `investigation`.
 */
export const DEFAULT_INVESTIGATION_RULES: InvestigationRules = {
  riskSignals: true,
  creditGrades: ['D', 'E'],
  refundBelowPercent: 50,
  randomPercent: 10,
};

export interface InvestigationCandidate {
  id: string;
  /** A self-check report is in (on time or late). */
  submitted: boolean;
  refundedFen: number;
  /** What the data (智能监控 etc.) estimates it should refund; null when the ledger does not know. */
  estimateFen: number | null;
  riskSignals: number;
  creditGrade: CreditGrade | null;
}

export interface InvestigationTarget {
  id: string;
  reasons: InvestigationReason[];
}

export interface InvestigationSelection {
  algorithm: typeof INVESTIGATION_DRAW_ALGORITHM;
  seed: string;
  rules: InvestigationRules;
  /** The rest (neither missing nor high-risk), in id order: the pool of the random draw. */
  randomPool: string[];
  randomCount: number;
  /** Every institution inspected, in id order, with why. */
  targets: InvestigationTarget[];
}

/** Names the rules in every recorded selection, so a re-run knows which to apply. */
export const INVESTIGATION_DRAW_ALGORITHM = 'jianguan-special-investigation-v1';

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The reasons other than chance to inspect `c`. */
export function investigationReasons(c: InvestigationCandidate, rules: InvestigationRules): InvestigationReason[] {
  const reasons: InvestigationReason[] = [];
  if (!c.submitted) reasons.push('not-submitted');
  if (rules.riskSignals && c.riskSignals > 0) reasons.push('risk-signals');
  if (c.creditGrade !== null && rules.creditGrades.includes(c.creditGrade)) reasons.push('credit-grade');
  // Integer arithmetic: refunded / estimate < percent / 100.
  if (c.submitted && c.estimateFen !== null && c.estimateFen > 0 && c.refundedFen * 100 < c.estimateFen * rules.refundBelowPercent)
    reasons.push('refund-below-estimate');
  return reasons;
}

/**
 * The investigation's targets: every candidate with a reason, and `randomPercent` of the others (rounded up) drawn
 * with `seededSample` from `${seed}:random` over their ids in code-unit order, so the order of the candidates never
 * changes the result and anyone holding the seed and the pool re-draws it.
 */
export function selectForInvestigation(
  seed: string,
  candidates: readonly InvestigationCandidate[],
  rules: InvestigationRules,
): InvestigationSelection {
  const sorted = [...candidates].sort((a, b) => byId(a.id, b.id));
  const reasoned = sorted.map((c) => ({ id: c.id, reasons: investigationReasons(c, rules) }));
  const randomPool = reasoned.filter((t) => t.reasons.length === 0).map((t) => t.id);
  const randomCount = Math.ceil((randomPool.length * rules.randomPercent) / 100);
  const drawn = new Set(seededSample(`${seed}:random`, randomPool, randomCount));
  const targets = reasoned.flatMap((t) =>
    t.reasons.length > 0 ? [t] : drawn.has(t.id) ? [{ id: t.id, reasons: ['random' as const] }] : [],
  );
  return { algorithm: INVESTIGATION_DRAW_ALGORITHM, seed, rules, randomPool, randomCount, targets };
}

// ---------------------------------------------------------------------------------------------------------------------
// 建章立制: the summary's figures

export interface SpecialCampaignFigures {
  targets: number;
  /** Reports in by the due instant, and after it (before the phase ended). */
  submittedOnTime: number;
  submittedLate: number;
  missing: number;
  /** Refunded to the fund by the self-check reports, integer fen. */
  refundedFen: number;
  /** Institutions the investigation picked, and inspections started for them (the others had theirs this year). */
  selected: number;
  inspections: number;
  /** Inspections with findings of violations, and cases they opened. */
  violations: number;
  cases: number;
  /** 建章立制: typical cases published from the campaign's cases, and the names of the rules adopted under it. */
  typicalCases: number;
  rules: string[];
}
