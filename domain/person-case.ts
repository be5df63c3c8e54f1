// A case against an insured person (参保人员) or a 职业骗保人 (seed 004 表二): who the person is (personal data: only in
// encrypted payloads and the sealed ledger table), what opened the case, the decisions on it, and how each counts in
// table 2. Pure: the workflow's validators and the CLI check the same payloads with these schemas.
import { z } from 'zod';
import { CASE_NO_PATTERN } from './business-keys';
import { fenField, reasonField, requiredField } from './case';
import { NAME_MAX, NOTE_MAX, requiredText } from './validation';
import type { PersonActionKind } from './weekly-report';

// ---------------------------------------------------------------------------------------------------------------------
// 居民身份证号码 (GB 11643-1999): 17 digits, then a check character over them (ISO 7064 MOD 11-2).

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The check character of the first 17 digits of an ID number. */
export function idCheckCharacter(first17: string): string {
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * ID_WEIGHTS[i]!, 0);
  return ID_CHECK[sum % 11]!;
}

/** Why `id` is not an 18-character ID number with a right check character, or undefined. */
export function idNumberProblem(id: string): string | undefined {
  if (!/^\d{17}[\dX]$/.test(id)) return 'expected 18 characters: 17 digits and a digit or X';
  const expected = idCheckCharacter(id.slice(0, 17));
  return id[17] === expected ? undefined : 'the check character (the 18th) does not match the first 17 digits (GB 11643)';
}

// Never echoes the value: an ID number must not reach a refusal that may be logged.
export const idNumberSchema = z
  .string({ error: 'expected the ID number as text' })
  .transform((v) => v.trim().toUpperCase())
  .superRefine((v, ctx) => {
    const problem = idNumberProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The person: personal data, never in ids, search attributes, logs or audit text. */
export const personSchema = z.strictObject({
  name: requiredField,
  idNumber: idNumberSchema,
  /** 医保号 (the insurance number), when known. */
  insuranceNo: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{6,32}$/, 'expected 6–32 letters or digits')
    .optional(),
  /** 职业骗保人: a person who defrauds the fund as a trade (seed 004 lists them with the insured). */
  professional: z.boolean().default(false),
});
export type InsuredPerson = z.infer<typeof personSchema>;

export const PERSON_CASE_SOURCES = ['clue', 'inspection', 'data'] as const;
export type PersonCaseSource = (typeof PERSON_CASE_SOURCES)[number];
export const SOURCE_LABELS: Record<PersonCaseSource, string> = {
  clue: '举报线索',
  inspection: '检查发现',
  data: '数据筛查',
};

export const personCaseItemSchema = z.strictObject({
  category: requiredField,
  description: requiredText(NOTE_MAX, { multiline: true }),
  amountFen: fenField,
});

export const PERSON_CASE_STAGES = ['open', 'closed', 'left-open'] as const;
export type PersonCaseStage = (typeof PERSON_CASE_STAGES)[number];
/** Left open: nobody decided by the decision period and its escalations (the closure review's to chase). */
export const PERSON_STAGE_LABELS: Record<PersonCaseStage, string> = { open: '办理中', closed: '已结案', 'left-open': '未结' };

// ---------------------------------------------------------------------------------------------------------------------
// Decisions

export const PERSON_DECISION_ACTIONS = ['interview', 'suspend-card', 'penalty', 'refer', 'other', 'recover', 'close'] as const;
export type PersonDecisionAction = (typeof PERSON_DECISION_ACTIONS)[number];

/** The agencies a person is referred to (移交司法机关): the police and the procuratorate (the plan's `agencies`). */
export const JUDICIAL_AGENCIES = ['public-security', 'judiciary'] as const;

const months = z.number().int('expected whole months').min(1, 'at least 1 month').max(12, 'at most 12 months');

export const personDecisionSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('interview'), decidedBy: requiredField, reason: reasonField }),
  z.strictObject({ action: z.literal('suspend-card'), decidedBy: requiredField, reason: reasonField, months }),
  z.strictObject({
    action: z.literal('penalty'),
    decidedBy: requiredField,
    approvedBy: requiredField.optional(),
    reason: reasonField,
    /** The table's key, e.g. "41-2" (config/plan/person-penalties.ts). */
    paragraph: requiredText(NAME_MAX),
    multiple: z.number().nonnegative(),
  }),
  z.strictObject({
    action: z.literal('refer'),
    decidedBy: requiredField,
    reason: reasonField,
    agency: z.enum(JUDICIAL_AGENCIES).default('public-security'),
  }),
  z.strictObject({ action: z.literal('other'), decidedBy: requiredField, note: reasonField }),
  z.strictObject({
    action: z.literal('recover'),
    decidedBy: requiredField,
    amountFen: fenField.min(1, 'must be at least 1 fen'),
    reference: requiredField,
  }),
  z.strictObject({ action: z.literal('close'), decidedBy: requiredField, reason: reasonField }),
]);
export type PersonDecision = z.infer<typeof personDecisionSchema>;

export const PERSON_ACTION_LABELS: Record<PersonDecisionAction | 'card-lifted', string> = {
  interview: '约谈',
  'suspend-card': '暂停医保卡结算',
  'card-lifted': '恢复医保卡结算',
  penalty: '行政处罚',
  refer: '移交司法机关',
  other: '其他处理',
  recover: '追回骗取医保基金',
  close: '结案',
};

/** How a decision counts in table 2 (seed 004): its action column, or none (a recovery, the closing). */
export function table2Action(action: PersonDecisionAction): PersonActionKind | undefined {
  const map: Partial<Record<PersonDecisionAction, PersonActionKind>> = {
    interview: 'interview',
    'suspend-card': 'card-suspension',
    penalty: 'penalty',
    refer: 'judicial-referral',
    other: 'other',
  };
  return map[action];
}

// ---------------------------------------------------------------------------------------------------------------------
// Opening (`jianguan person-case open FILE`)

/** The case file: the person, where the case came from, the items with their amounts, the responsible unit. */
export function personCaseOpeningSchema(units: ReadonlySet<string>) {
  return z.strictObject({
    caseNo: z.string().regex(CASE_NO_PATTERN, 'expected a case number of letters, digits, ".", "_", "-" (no personal data)'),
    year: z.number().int().min(2000).max(2100).optional(),
    person: personSchema,
    source: z.strictObject({ kind: z.enum(PERSON_CASE_SOURCES), reference: requiredField, recordedBy: requiredField }),
    items: z.array(personCaseItemSchema).min(1, 'needs at least one item').max(200, 'at most 200 items'),
    responsibleUnit: z
      .string()
      .refine((id) => units.has(id), { error: `expected one of the plan's responsible units: ${[...units].join(', ')}` }),
  });
}
export type PersonCaseOpening = z.infer<ReturnType<typeof personCaseOpeningSchema>>;
