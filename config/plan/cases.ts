// A violation case after an inspection (DESIGN §5 "case"): how long each human step may take, reminders and
// escalation, payment, referrals, when a referral to the police is made by rule, and where referral letters go.
import { z } from 'zod';
import { REFERRAL_AGENCIES, type ReferralAgency } from '../../domain/case';
import { dayOffsets, daysOrPeriod, email, nonNegativeInt, text } from './fields';

/** Categories of finding items that count as 三假 fraud (seed 003 annex 1): an item's category containing one counts. */
export const DEFAULT_FRAUD_CATEGORIES = ['三假', '伪造医学文书', '虚构医药服务'];
/**
 * Default of `cases.crimeReferral.minLossFen`: 3,000 yuan. Fund fraud is 诈骗 under 《刑法》 Art. 266 (NPC Standing
 * Committee interpretation of 2014), and 诈骗 becomes a crime at 数额较大, 3,000–10,000 yuan, each province fixing its
 * own figure in that range (法释〔2011〕7号 Art. 1). An administrative body must refer a suspected crime, so the default
 * is the bottom of the national range; a jurisdiction sets its province's figure.
 */
export const DEFAULT_CRIME_REFERRAL_MIN_LOSS_FEN = 3_000 * 100;

// Each period below is a number of calendar days (as in every plan before periods) or a period `{ days: n }` /
// `{ workingDays: n }` (fields.ts `daysOrPeriod`); the defaults are calendar days.
export const cases = z
  .strictObject({
    /** Days a human decision (penalty, ladder step) may take before it escalates to the responsible leader. */
    decisionPeriodDays: daysOrPeriod.default(30),
    /** Reminders before a decision or payment deadline. */
    reminderOffsetsDays: dayOffsets.default([7, 1]),
    /** Days between escalations of an overdue step. */
    escalationWindowDays: daysOrPeriod.default(15),
    /** Escalations before an overdue step is recorded as unanswered. */
    maxEscalations: nonNegativeInt.default(3),
    /** Days to rectify after an interview (约谈). */
    interviewPeriodDays: daysOrPeriod.default(15),
    /** Days to pay recovery and fine after the decision (《行政处罚法》 Art. 67: within 15 days). */
    paymentPeriodDays: daysOrPeriod.default(15),
    /** Days a late payment is still awaited before the case records it as unpaid (for enforcement). */
    paymentLateWindowDays: daysOrPeriod.default(30),
    /** Days an agency has to acknowledge a referral (回执). */
    referralAckDays: daysOrPeriod.default(10),
    crimeReferral: z
      .strictObject({
        /** Integer fen: 三假 items whose loss together reaches this are referred (a local threshold). */
        minLossFen: nonNegativeInt.default(DEFAULT_CRIME_REFERRAL_MIN_LOSS_FEN),
        categories: z
          .array(text)
          .min(1, 'needs at least one category')
          .default(() => [...DEFAULT_FRAUD_CATEGORIES]),
        agency: z.enum(REFERRAL_AGENCIES).default('public-security'),
      })
      .prefault({}),
  })
  .prefault({});

// Where referral letters (移送函) go: every agency of REFERRAL_AGENCIES, by its local name. Required: a referral to an
// agency without an address could not be sent, and a case must be able to refer to any of them.
const agencyContact = z.strictObject({ name: text, email });
export const agencies = z.strictObject({
  'public-security': agencyContact,
  health: agencyContact,
  market: agencyContact,
  drug: agencyContact,
  discipline: agencyContact,
  judiciary: agencyContact,
} satisfies Record<ReferralAgency, typeof agencyContact>);
