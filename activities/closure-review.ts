// Closure review activities (结案检查, seed 000 item 5): setting each of last year's open cases its closing deadline in
// the ledger, telling each responsible unit (and, past the deadline, its leader) about its cases still open with what is
// outstanding on each, and recording at the end what remained open. Each is idempotent: deadlines and results are
// written once per review and case, audit entries and notifications are keyed by the review, occasion and case/unit.
import { formatLocal } from '../domain/calendar';
import { outstandingOf, outstandingText, type ClosureCaseLine } from '../domain/closure-review';
import * as texts from '../domain/coverage-messages';
import type { AuditEntry, ClosureCase, ClosureDeadlineRecord, ClosureReviewLedger } from '../records/types';
import { noticePerUnit, type LeaderContact, type Send, type UnitContact } from './unit-notices';

export interface ClosureReviewRef {
  /** The review's workflow id, `closure-review:{jurisdiction}:{year}`. */
  reviewId: string;
  jurisdiction: string;
  /** The year of the review; its cases are of the year before. */
  reviewYear: number;
  timeZone: string;
}

export interface ClosureNotice extends ClosureReviewRef {
  /** Prefix of every notification key, e.g. `closure-review:349901:2027:closing-reminder:7`; the unit id follows. */
  keyPrefix: string;
  /** deadline: the closing deadline to each unit; reminder: before it; escalation: past it, to each unit's leader. */
  occasion: 'deadline' | 'reminder' | 'escalation';
  /** The closing deadline, local ("2027-03-31 23:59"). */
  due: string;
  /** reminder: days before the deadline. */
  offsetDays?: number;
  /** escalation: which one, of how many. */
  round?: { n: number; of: number };
  units: UnitContact[];
  leaders: LeaderContact[];
}

export interface ClosureNoticeResult {
  /** The review's cases still open now (each listed in its unit's notice). */
  pending: number;
  /** Units notified. */
  units: string[];
}

/** A case in a notice: its number, institution and what keeps it open. */
export function caseLine(c: ClosureCase): ClosureCaseLine {
  return { caseNo: c.caseNo, institutionId: c.institutionId, institutionName: c.institutionName, outstanding: outstandingOf(c) };
}

export function createClosureReviewActivities(deps: { closureReview: ClosureReviewLedger; send: Send }) {
  const { closureReview, send } = deps;
  return {
    /**
     * Gives each of last year's open cases its closing deadline in the ledger (`closure_deadlines`) with an audit entry
     * `closure-deadline-set` on the case. A retry, or a case already given one by this review, keeps the first deadline.
     * Returns how many cases the review now holds.
     */
    async setClosureDeadlines(args: ClosureReviewRef & { dueAt: string; at: string }): Promise<{ cases: number }> {
      const candidates = await closureReview.listClosureCandidates(args.jurisdiction, args.reviewYear - 1);
      const due = formatLocal(new Date(args.dueAt), args.timeZone);
      const rows: ClosureDeadlineRecord[] = candidates.map((c) => ({
        reviewId: args.reviewId,
        jurisdiction: args.jurisdiction,
        reviewYear: args.reviewYear,
        subjectType: c.subjectType,
        subjectId: c.subjectId,
        caseNo: c.caseNo,
        institutionId: c.institutionId,
        dueAt: args.dueAt,
        setAt: args.at,
        result: null,
        outstanding: null,
        reviewedAt: null,
      }));
      const audits: AuditEntry[] = candidates.map((c) => ({
        key: `${args.reviewId}:closure-deadline:${c.subjectId}`,
        actor: 'system',
        action: 'closure-deadline-set',
        subjectType: c.subjectType,
        subjectId: c.subjectId,
        reason: `${args.reviewYear}年结案检查：案件 ${c.caseNo} 结案期限 ${due}（${outstandingText(outstandingOf(c), args.timeZone)}）`,
        detail: { reviewId: args.reviewId, caseNo: c.caseNo, dueAt: args.dueAt, outstanding: outstandingOf(c) },
        at: args.at,
      }));
      const kept = await closureReview.saveClosureDeadlines(rows, audits);
      return { cases: kept.length };
    },

    /** Tells each unit of its cases in the review still open now (deadline, reminder), or escalates them to its leader. */
    async noticeClosureCases(args: ClosureNotice): Promise<ClosureNoticeResult> {
      const open = (await closureReview.listClosureCases(args.reviewId)).filter((c) => c.open);
      const escalate = args.occasion === 'escalation';
      return noticePerUnit(send, { ...args, escalate }, open, caseLine, (unit, leader, lines) => {
        if (escalate)
          return texts.closureOverdueMessage(leader.name, unit.name, args.reviewYear, args.due, lines, args.timeZone, args.round);
        if (args.occasion === 'reminder')
          return texts.closureReminderMessage(unit.name, args.reviewYear, args.due, args.offsetDays ?? 0, lines, args.timeZone);
        return texts.closureDeadlineMessage(unit.name, args.reviewYear, args.due, lines, args.timeZone);
      });
    },

    /**
     * The end of the review: records per case whether it was closed by then or remained open, and what was outstanding
     * (`closure_deadlines.result`, an audit entry `closure-review-result` on the case), and one `closure-review-completed`
     * entry on the review. Idempotent: results are written once.
     */
    async completeClosureReview(
      args: ClosureReviewRef & { at: string },
    ): Promise<{ cases: number; closed: number; open: number; openCaseNos: string[] }> {
      const cases = await closureReview.listClosureCases(args.reviewId);
      const open = cases.filter((c) => c.open);
      const results = cases.map((c) => ({
        subjectId: c.subjectId,
        result: c.open ? ('open' as const) : ('closed' as const),
        outstanding: outstandingOf(c),
        reviewedAt: args.at,
      }));
      const audits: AuditEntry[] = [
        ...cases.map((c) => ({
          key: `${args.reviewId}:closure-result:${c.subjectId}`,
          actor: 'system',
          action: 'closure-review-result',
          subjectType: c.subjectType,
          subjectId: c.subjectId,
          reason: c.open
            ? `${args.reviewYear}年结案检查结束时仍未办结：${outstandingText(outstandingOf(c), args.timeZone)}`
            : `${args.reviewYear}年结案检查期间已办结`,
          detail: {
            reviewId: args.reviewId,
            caseNo: c.caseNo,
            result: c.open ? 'open' : 'closed',
            dueAt: c.deadline.dueAt,
            ...(c.open && { outstanding: outstandingOf(c) }),
          },
          at: args.at,
        })),
        {
          key: `${args.reviewId}:completed`,
          actor: 'system',
          action: 'closure-review-completed',
          subjectType: 'closure-review',
          subjectId: args.reviewId,
          reason: `${args.reviewYear}年结案检查结束：${args.reviewYear - 1}年未结案件 ${cases.length} 件，已办结 ${cases.length - open.length} 件，仍未办结 ${open.length} 件`,
          detail: { cases: cases.length, closed: cases.length - open.length, open: open.map((c) => c.caseNo) },
          at: args.at,
        },
      ];
      await closureReview.saveClosureResults(args.reviewId, results, audits);
      // A bounded sample for the workflow's status (a province may have thousands; the ledger has them all).
      return {
        cases: cases.length,
        closed: cases.length - open.length,
        open: open.length,
        openCaseNos: open.slice(0, 50).map((c) => c.caseNo),
      };
    },
  };
}
