// A violation case (案件): the escalation ladder after an inspection found violations (DESIGN §5 "case"), and the
// payloads people send to it. The schemas validate Temporal Update payloads in workflows/case/handlers.ts and the same flags
// and files in `jianguan case …`, so the CLI refuses exactly what the workflow would refuse.
import { z } from 'zod';
import { ID_PATTERN } from './business-keys';
import { recheckSchema } from './inspection';
import { NAME_MAX, NOTE_MAX, requiredText } from './validation';

/**
 * The rungs of the ladder, then the two ways a case ends. `suspension-lifted`: the suspension's months are over and the
 * bureau's recheck decision is awaited (services run again); `rectified`: the ladder ended with the institution
 * rectified, while money or referrals may keep the case open.
 */
export const CASE_STAGES = [
  'rectifying',
  'rectification-overdue',
  'interview',
  'suspended',
  'suspension-lifted',
  'terminated',
  'blacklisted',
  'rectified',
  'closed',
  'withdrawn',
] as const;
export type CaseStage = (typeof CASE_STAGES)[number];

export const CASE_STAGE_LABELS: Record<CaseStage, string> = {
  rectifying: '限期整改中',
  'rectification-overdue': '整改逾期',
  interview: '约谈',
  suspended: '暂停医保服务',
  'suspension-lifted': '暂停期满',
  terminated: '解除定点协议',
  blacklisted: '列入黑名单',
  rectified: '已整改',
  closed: '已结案',
  withdrawn: '已撤销',
};

/** Where the case's penalty (追回及罚款) stands, as leadership reads it. */
export const PENALTY_STATUS_LABELS = {
  'awaiting-decision': '待作出处理决定',
  'decision-overdue': '处理决定逾期',
  'awaiting-payment': '待缴款',
  'payment-overdue': '缴款逾期',
  paid: '已缴清',
  unpaid: '未缴清',
  'no-decision': '未作出处理决定',
} as const;

/** Where a referral (移送) stands, as leadership reads it. */
export const REFERRAL_STATUS_LABELS = {
  sent: '待回执',
  overdue: '回执逾期',
  acknowledged: '已回执',
  unacknowledged: '督办后仍未回执',
} as const;

/** A referral still without the agency's acknowledgement (回执), as the closure review counts it. */
export const awaitsAcknowledgement = (status: keyof typeof REFERRAL_STATUS_LABELS): boolean => status !== 'acknowledged';

/** Agencies a case may be referred to (移送), DESIGN §2. */
export const REFERRAL_AGENCIES = ['public-security', 'health', 'market', 'drug', 'discipline', 'judiciary'] as const;
export type ReferralAgency = (typeof REFERRAL_AGENCIES)[number];

export const AGENCY_LABELS: Record<ReferralAgency, string> = {
  'public-security': '公安机关',
  health: '卫生健康部门',
  market: '市场监管部门',
  drug: '药品监管部门',
  discipline: '纪检监察机关',
  judiciary: '司法机关',
};

const required = requiredText(NAME_MAX);
/** Why a decision was taken: free text. */
const reason = requiredText(NOTE_MAX, { multiline: true });
const isoInstant = z.iso.datetime({ offset: true, message: 'expected an ISO-8601 date-time with offset, e.g. 2027-05-06T10:00:00+08:00' });
const fen = z.number().int('expected an integer amount in fen').nonnegative('must not be negative');
/** The field rules every decision payload shares (a person's case too, domain/person-case.ts). */
export { required as requiredField, reason as reasonField, isoInstant as isoInstantField, fen as fenField };

/**
 * The institution's monthly turnover (月营业额) as the bureau establishes it when it suspends or terminates: what the
 * fund no longer pays it, seed 004 table 1's 减少基金损失. Optional; the plan's figure stands in where it is left out.
 */
const monthlyTurnover = fen.optional();

/** The inspector's recheck of the rectification (same payload as the inspection's). */
export const caseRecheckSchema = recheckSchema;

/**
 * A decision on the ladder, by an officer other than the inspector who recorded the findings. Which actions a
 * stage accepts is the workflow's business (LADDER_ACTIONS); the shape is checked here.
 */
export const ladderDecisionSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('rectified'), decidedBy: required, reason, publicCriticism: z.boolean().default(false) }),
  z.strictObject({
    action: z.literal('suspend'),
    decidedBy: required,
    reason,
    months: z.number().int('expected whole months').min(1),
    publicCriticism: z.boolean().default(false),
    monthlyTurnoverFen: monthlyTurnover,
  }),
  z.strictObject({
    action: z.literal('terminate'),
    decidedBy: required,
    reason,
    publicCriticism: z.boolean().default(false),
    monthlyTurnoverFen: monthlyTurnover,
  }),
  z.strictObject({ action: z.literal('blacklist'), decidedBy: required, reason, publicCriticism: z.boolean().default(false) }),
  z.strictObject({ action: z.literal('close'), decidedBy: required, reason, publicCriticism: z.boolean().default(false) }),
]);
export type LadderDecision = z.infer<typeof ladderDecisionSchema>;
export type LadderAction = LadderDecision['action'];

/**
 * What each waiting stage accepts: the ladder only goes up, or ends. While suspended only a termination cuts the
 * suspension short; "rectified" is decided once the timer has lifted it. The workflow accepts a decision only while
 * its ladder actually waits for one (never once the ladder has ended, whatever the stage still says).
 */
export const LADDER_ACTIONS = {
  interview: ['rectified', 'suspend', 'terminate'],
  suspended: ['terminate'],
  'suspension-lifted': ['rectified', 'terminate'],
  terminated: ['blacklist', 'close'],
} as const satisfies Partial<Record<CaseStage, readonly LadderAction[]>>;

/** A practitioner's points deduction decided with the penalty (医保支付资格记分). */
export const practitionerDeductionSchema = z.strictObject({
  practitionerId: z.string().regex(ID_PATTERN, 'expected a practitioner code (letters, digits, "-", "_", ".")'),
  tier: z.number().int().min(1).max(4),
  points: z.number().int().min(1).max(12),
  suspensionMonths: z.number().int().min(1).optional(),
  reason,
});
export type PractitionerDeduction = z.infer<typeof practitionerDeductionSchema>;

/** Lines of one decision: far more than a penalty table has articles, or a case flags people. */
export const FINES_MAX = 50;
export const PRACTITIONERS_MAX = 100;
export const PERSONS_MAX = 50;

/** The administrative penalty decision (处理决定): fines per article, points, and who decided and approved. */
export const penaltyDecisionSchema = z.strictObject({
  decidedBy: required,
  approvedBy: requiredText(NAME_MAX, {}, 'must not be empty').optional(),
  fines: z
    .array(z.strictObject({ article: required, multiple: z.number().nonnegative() }))
    .max(FINES_MAX, `at most ${FINES_MAX} fines (one per article)`)
    .default([]),
  practitioners: z.array(practitionerDeductionSchema).max(PRACTITIONERS_MAX, `at most ${PRACTITIONERS_MAX} practitioners`).default([]),
  reason,
});
export type PenaltyDecision = z.infer<typeof penaltyDecisionSchema>;

export const paymentSchema = z.strictObject({
  amountFen: fen.min(1, 'must be at least 1 fen'),
  paidAt: isoInstant,
  reference: required,
  recordedBy: required,
});
export type Payment = z.infer<typeof paymentSchema>;

/**
 * A person flagged for the discipline commission (人事同查): role and name travel in the payload, the referral letter
 * and the ledger (referral record, audit detail) only, never in ids, search attributes or logs.
 */
const flaggedPerson = z.strictObject({ name: required, role: required });
export type FlaggedPerson = z.infer<typeof flaggedPerson>;

export const referralDecisionSchema = z.strictObject({
  agency: z.enum(REFERRAL_AGENCIES),
  decidedBy: required,
  reason,
  persons: z.array(flaggedPerson).max(PERSONS_MAX, `at most ${PERSONS_MAX} persons`).default([]),
});
export type ReferralDecision = z.infer<typeof referralDecisionSchema>;

export const referralAckSchema = z.strictObject({
  agency: z.enum(REFERRAL_AGENCIES),
  acknowledgedBy: required,
  reference: required,
  acknowledgedAt: isoInstant,
});
export type ReferralAck = z.infer<typeof referralAckSchema>;

export const withdrawalSchema = z.strictObject({ decidedBy: required, reason });
export type Withdrawal = z.infer<typeof withdrawalSchema>;

/**
 * Whether findings are 三假 fraud (fake patients, conditions or bills, seed 003 annex 1) large enough that a crime
 * is suspected: the item categories name one of `categories`, and their loss together reaches `minLossFen` (at or
 * above it: "reaches", like 数额较大 "达到" in the criminal-law thresholds).
 */
export function suspectedCrime(
  items: readonly { category: string; amountFen?: number }[],
  rule: { categories: readonly string[]; minLossFen: number },
): boolean {
  const fraud = items.filter((item) => rule.categories.some((c) => item.category.includes(c)));
  return fraud.length > 0 && fraud.reduce((sum, item) => sum + (item.amountFen ?? 0), 0) >= rule.minLossFen;
}
