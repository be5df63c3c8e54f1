// One institution's inspection: its stages, and the payloads inspectors send (findings, recheck results).
// The schemas validate Temporal Update payloads in the workflow and the same flags/files in the CLI.
import { z } from 'zod';
import { NAME_MAX, NOTE_MAX, requiredText, text } from './validation';

export const INSPECTION_STAGES = [
  'assigned',
  'overdue',
  'compliant',
  'stating-case',
  'rectifying',
  'rectification-overdue',
  'rectified',
  'unrectified',
  'unreported',
  'case-opened',
  'covered',
] as const;
export type InspectionStage = (typeof INSPECTION_STAGES)[number];

/** Stage names as leadership reads them in the UI, the CLI and notifications. */
export const STAGE_LABELS: Record<InspectionStage, string> = {
  assigned: '待检查',
  overdue: '逾期未报结果',
  compliant: '检查无问题',
  'stating-case': '陈述申辩期',
  rectifying: '限期整改中',
  'rectification-overdue': '整改逾期',
  rectified: '已整改',
  unrectified: '未整改',
  unreported: '逾期未检查',
  'case-opened': '已立案处理',
  // Another inspection had the institution's on-site inspection of the year first (domain/onsite.ts).
  covered: '已由其他现场检查覆盖',
};

/** Stages after which nothing more happens in the inspection workflow. */
export const FINAL_STAGES: readonly InspectionStage[] = ['compliant', 'rectified', 'unrectified', 'unreported', 'case-opened', 'covered'];

const isoInstant = z.iso.datetime({ offset: true, message: 'expected an ISO-8601 date-time with offset, e.g. 2027-05-06T10:00:00+08:00' });

/** Items in one inspection's findings: a large hospital's list fits, a history and a mail stay small. */
export const FINDING_ITEMS_MAX = 200;
/** One item's description. */
export const DESCRIPTION_MAX = 500;
/** The institution's statement (陈述申辩): a few pages. */
export const STATEMENT_MAX = 10_000;
/**
 * One item's loss, integer fen: 10 billion yuan, far above any case, and 200 of them still add up to a safe integer
 * (a total the ledger could not store would fail the case's opening on every attempt).
 */
export const ITEM_AMOUNT_MAX_FEN = 1_000_000_000_000;

export const findingItemSchema = z.strictObject({
  category: requiredText(NAME_MAX),
  description: requiredText(DESCRIPTION_MAX, { multiline: true }),
  amountFen: z
    .number()
    .int('expected an integer amount in fen')
    .nonnegative()
    .max(ITEM_AMOUNT_MAX_FEN, `at most ${ITEM_AMOUNT_MAX_FEN} fen (${formatYuan(ITEM_AMOUNT_MAX_FEN)})`)
    .optional(),
  article: requiredText(NAME_MAX, {}, 'must not be empty').optional(),
});
export type FindingItem = z.infer<typeof findingItemSchema>;

const inspectorId = requiredText(NAME_MAX);
const note = text(NOTE_MAX, { multiline: true }).default('');

export const findingsSchema = z
  .strictObject({
    inspectorId,
    inspectedAt: isoInstant,
    violation: z.boolean(),
    items: z.array(findingItemSchema).max(FINDING_ITEMS_MAX, `at most ${FINDING_ITEMS_MAX} items`).default([]),
    note,
  })
  .superRefine((findings, ctx) => {
    if (findings.violation && findings.items.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['items'], message: 'a violation needs at least one item' });
    }
    if (!findings.violation && findings.items.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['violation'], message: 'items were given but violation is false' });
    }
  });
export type Findings = z.infer<typeof findingsSchema>;

export const recheckSchema = z.strictObject({
  inspectorId,
  checkedAt: isoInstant,
  rectified: z.boolean(),
  note,
});
export type Recheck = z.infer<typeof recheckSchema>;

/** The institution's statement (陈述申辩) on fed-back findings of a flying check. */
export const statementSchema = z.strictObject({
  submittedBy: requiredText(NAME_MAX),
  text: requiredText(STATEMENT_MAX, { multiline: true }),
});
export type Statement = z.infer<typeof statementSchema>;

/** Total fund loss of the findings, in fen. */
export function totalLossFen(items: readonly FindingItem[]): number {
  return items.reduce((sum, item) => sum + (item.amountFen ?? 0), 0);
}

/** Formats fen as yuan for Chinese texts ("1,234.50 元") without floating-point arithmetic. */
export function formatYuan(fen: number): string {
  const yuan = Math.trunc(fen / 100).toLocaleString('en-US');
  return `${yuan}.${String(Math.abs(fen % 100)).padStart(2, '0')} 元`;
}

/** Parses a yuan amount as people write it ("1234.5", "1,234.50") into integer fen, without floating point. */
export function parseYuanToFen(text: string): number {
  const match = /^(\d{1,3}(?:,\d{3})*|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) throw new RangeError(`"${text}" is not an amount in yuan (e.g. 1234.50)`);
  return Number(match[1].replaceAll(',', '')) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}
