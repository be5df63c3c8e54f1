// Closure review (结案检查, seed 000 item 5): what is still outstanding on one of last year's open cases, in words
// the responsible unit and its leader act on, and the review's follow-up rules. Pure: the facts come from the ledger
// (records/ledger/closure-review.ts listClosureCandidates / listClosureCases), the texts go into notices and the audit trail.
import { formatLocal } from './calendar';
import { AGENCY_LABELS, CASE_STAGE_LABELS, type CaseStage, type ReferralAgency } from './case';
import { formatYuan, STAGE_LABELS, type InspectionStage } from './inspection';

/** Built-in follow-up rules of the review (the plan's `closureReview` section; same rhythm as a case's escalations). */
export const DEFAULT_CLOSURE_REVIEW = {
  /** Days between escalations of cases still open after the closing deadline. */
  escalationWindowDays: 15,
  /** Escalations in all, the first at the deadline. */
  maxEscalations: 3,
} as const;

export interface ClosureReviewRules {
  endOfDay: string;
  escalationWindowDays: number;
  maxEscalations: number;
}

/** The review's rules from the plan: when a day ends, and the rhythm of escalations after the deadline. */
export function closureReviewRules(plan: {
  calendar: { endOfDay: string };
  closureReview: { escalationWindowDays: number; maxEscalations: number };
}): ClosureReviewRules {
  const { escalationWindowDays, maxEscalations } = plan.closureReview;
  return { endOfDay: plan.calendar.endOfDay, escalationWindowDays, maxEscalations };
}

/**
 * What the ledger knows about an open case: a case of the case workflow (`subjectType: 'case'`), or a rectification
 * order still open in an inspection from before cases existed (`'inspection'`: no penalty or referrals there).
 */
export interface ClosureFacts {
  subjectType: 'case' | 'inspection';
  stage: CaseStage | InspectionStage;
  /** The current step's deadline has passed (the case's or the inspection's overdue flag). */
  overdue: boolean;
  /** ISO-8601: the current step's deadline (a case's dueAt, an inspection's rectification deadline), if any. */
  stepDueAt: string | null;
  /** Integer fen: fund loss to return, fine decided, paid so far. */
  lossFen: number;
  fineFen: number;
  paidFen: number;
  /** A penalty decision (行政处理决定) is on record. */
  penaltyDecided: boolean;
  /** Agencies a referral went to that have not acknowledged it (回执). */
  unacknowledgedReferrals: ReferralAgency[];
}

/** What keeps a case open, in the terms of seed 000 item 5: 未处罚到位、未执行到位、未整改到位 (plus referrals). */
export interface ClosureOutstanding {
  /** 未整改到位: the institution has not (yet) rectified. */
  unrectified: boolean;
  /** 未处罚到位: no penalty decision yet. */
  penaltyUndecided: boolean;
  /** 未执行到位: recovery and fine decided but not paid in full; integer fen still owed (0 when nothing is). */
  unpaidFen: number;
  /** 移送未回执: referrals not acknowledged by their agency. */
  unacknowledgedReferrals: ReferralAgency[];
  /** The current step is past its deadline. */
  stepOverdue: boolean;
  stepDueAt: string | null;
  /** The stage as people read it (限期整改中, 约谈 …). */
  stageLabel: string;
}

/** Stages at which the institution still has to rectify. */
const UNRECTIFIED_CASE_STAGES: readonly string[] = ['rectifying', 'rectification-overdue', 'interview', 'suspended', 'suspension-lifted'];
const UNRECTIFIED_INSPECTION_STAGES: readonly string[] = ['rectifying', 'rectification-overdue', 'unrectified'];

export function outstandingOf(facts: ClosureFacts): ClosureOutstanding {
  const isCase = facts.subjectType === 'case';
  const stageLabel = isCase ? CASE_STAGE_LABELS[facts.stage as CaseStage] : STAGE_LABELS[facts.stage as InspectionStage];
  return {
    unrectified: (isCase ? UNRECTIFIED_CASE_STAGES : UNRECTIFIED_INSPECTION_STAGES).includes(facts.stage),
    penaltyUndecided: isCase && !facts.penaltyDecided,
    unpaidFen: isCase && facts.penaltyDecided ? Math.max(0, facts.lossFen + facts.fineFen - facts.paidFen) : 0,
    unacknowledgedReferrals: isCase ? [...facts.unacknowledgedReferrals] : [],
    stepOverdue: facts.overdue,
    stepDueAt: facts.stepDueAt,
    stageLabel: stageLabel ?? facts.stage,
  };
}

/** "整改逾期；未整改到位（整改期限 2026-09-30 23:59，已逾期）；未作出处理决定（未处罚到位）；…" */
export function outstandingText(o: ClosureOutstanding, timeZone: string): string {
  const due = o.stepDueAt
    ? `期限 ${formatLocal(new Date(o.stepDueAt), timeZone)}${o.stepOverdue ? '，已逾期' : ''}`
    : o.stepOverdue
      ? '已逾期'
      : '';
  const parts = [
    `当前环节：${o.stageLabel}${due ? `（${due}）` : ''}`,
    ...(o.unrectified ? ['未整改到位'] : []),
    ...(o.penaltyUndecided ? ['未作出处理决定（未处罚到位）'] : []),
    ...(o.unpaidFen > 0 ? [`退回及罚款尚欠 ${formatYuan(o.unpaidFen)}（未执行到位）`] : []),
    ...o.unacknowledgedReferrals.map((agency) => `移送${AGENCY_LABELS[agency]}未回执`),
  ];
  return parts.join('；');
}

/** One of last year's open cases in a closure notice. */
export interface ClosureCaseLine {
  /** 案件编号. */
  caseNo: string;
  institutionId: string;
  institutionName: string;
  outstanding: ClosureOutstanding;
}

/** "1. 案件编号 349901-coverage-2026.H001 清溪区人民医院（H001）：当前环节：整改逾期…" */
export function closureCaseList(lines: readonly ClosureCaseLine[], timeZone: string): string {
  return lines
    .map((l, n) => `${n + 1}. 案件编号 ${l.caseNo} ${l.institutionName}（${l.institutionId}）：${outstandingText(l.outstanding, timeZone)}`)
    .join('\n');
}
