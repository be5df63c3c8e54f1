// Every deadline of a violation case (案件), from the plan's figures: one table, one function. A figure is a period
// (domain/period.ts: calendar or working days) or, as in the plans and case histories before periods, a bare number of
// calendar days; the workflow input carries it as the plan gave it, so the recorded histories replay unchanged. Each
// deadline is the period's last day at the plan's end-of-day time (domain/period.ts `deadlineAfter`), counted from the
// instant the caller gives (workflow time), working days on the holiday calendar of the plan years the rules carry.
// Pure and deterministic (no clock).
import { deadlineAfter, periodOf, timesPeriod, type DaysOrPeriod, type Period } from './period';
import { holidayCalendar, type HolidayArrangements } from './workdays';

/** The plan figures the case's deadlines are made of (a subset of the case workflow's rules). */
export interface CaseDeadlineRules {
  /** The local time at which a deadline stated in days ends (the plan's `calendar.endOfDay`). */
  endOfDay: string;
  rectification: { periodDays: DaysOrPeriod; recheckWindowDays: DaysOrPeriod };
  decisionPeriodDays: DaysOrPeriod;
  escalationWindowDays: DaysOrPeriod;
  interviewPeriodDays: DaysOrPeriod;
  paymentPeriodDays: DaysOrPeriod;
  paymentLateWindowDays: DaysOrPeriod;
  referralAckDays: DaysOrPeriod;
  /** The plan's official holiday arrangements (`calendar.holidays`), over the built-in data; absent when it has none. */
  holidays?: HolidayArrangements;
}

/** The case's deadlines, by what they are for, with what each is counted from. */
export const CASE_DEADLINES = {
  /** 限期整改: the rectification order's deadline, from the case's opening. */
  rectification: (r: CaseDeadlineRules) => r.rectification.periodDays,
  /** The last window for the recheck, from the missed rectification deadline. */
  'recheck-window': (r: CaseDeadlineRules) => r.rectification.recheckWindowDays,
  /** 约谈: the period to rectify after the interview, from the interview. */
  interview: (r: CaseDeadlineRules) => r.interviewPeriodDays,
  /** A human decision (penalty, ladder step after a sanction), from when it became due. */
  decision: (r: CaseDeadlineRules) => r.decisionPeriodDays,
  /** Payment of recovery and fine, from the penalty decision (《行政处罚法》 Art. 67). */
  payment: (r: CaseDeadlineRules) => r.paymentPeriodDays,
  /** How long a late payment is still awaited, from the missed payment deadline. */
  'payment-late': (r: CaseDeadlineRules) => r.paymentLateWindowDays,
  /** 回执: an agency's acknowledgement of a referral, from the referral. */
  'referral-ack': (r: CaseDeadlineRules) => r.referralAckDays,
} as const satisfies Record<string, (rules: CaseDeadlineRules) => DaysOrPeriod>;

export type CaseDeadline = keyof typeof CASE_DEADLINES;

/** The period of `kind` in the plan's figures; a bare number `n` is `{ days: n }`. */
export function caseDeadlinePeriod(kind: CaseDeadline, rules: CaseDeadlineRules): Period {
  return periodOf(CASE_DEADLINES[kind](rules));
}

/** The deadline of `kind` counted from `from`: the period's last local day in `timeZone` at `rules.endOfDay`. */
export function caseDeadline(kind: CaseDeadline, from: Date, rules: CaseDeadlineRules, timeZone: string): Date {
  return deadlineAfter(from, caseDeadlinePeriod(kind, rules), rules.endOfDay, timeZone, holidayCalendar(rules.holidays));
}

/** The end of escalation round `round` (1, 2, …) of a step overdue since `deadline`: `round` escalation windows later. */
export function escalationDeadline(
  deadline: Date,
  round: number,
  rules: Pick<CaseDeadlineRules, 'endOfDay' | 'escalationWindowDays' | 'holidays'>,
  timeZone: string,
): Date {
  const period = timesPeriod(periodOf(rules.escalationWindowDays), round);
  return deadlineAfter(deadline, period, rules.endOfDay, timeZone, holidayCalendar(rules.holidays));
}
