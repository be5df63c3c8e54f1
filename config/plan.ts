// The jurisdiction plan: everything a bureau may change about its own supervision work (who, which institutions,
// which dates, which periods) in one YAML file, validated here with zod. See config/plans/demo.yaml for a sample.
//
// A bureau edits this file by hand, so a bad file must produce ONE error listing EVERY problem, each with the path of
// the offending field (`institutions[3].responsibleUnitId: unknown responsible unit "xyz"`), not the first problem only.
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { REFERRAL_AGENCIES, type ReferralAgency } from '../domain/case';
import { localYear } from '../domain/calendar';
import { DEFAULT_CLOSURE_REVIEW } from '../domain/closure-review';
import { CREDIT_GRADES, DEFAULT_CREDIT_RULES, GRADE_RISK_WEIGHT, SANCTIONS } from '../domain/credit';
import { DEFAULT_RISK_WEIGHTS, DEFAULT_STATEMENT_PERIOD } from '../domain/flying';
import type { Period } from '../domain/period';
import { DEFAULT_PENALTY_TABLE, isTenthMultiple } from '../domain/penalty';
import { DEFAULT_POINTS_RULES, DEFAULT_POINTS_WORKFLOW } from '../domain/points';
import { formatPath as formatZodPath, NAME_MAX, requiredText, show } from '../domain/validation';
import { holidayCalendarCovers, holidayCalendarYears } from '../domain/workdays';
import { InputFileError, MiB, parseYaml, readTextFile, YamlError } from './input-file';

// ---------------------------------------------------------------------------------------------------------------------
// Errors

export interface PlanProblem {
  /** Where in the plan, e.g. `institutions[3].responsibleUnitId`; `(root)` for the whole file, `line 4, column 2` for YAML syntax. */
  path: string;
  message: string;
}

export class PlanError extends Error {
  constructor(
    /** The file (or other source name) the plan came from. */
    readonly source: string,
    readonly problems: PlanProblem[],
    headline = `Invalid jurisdiction plan ${source}`,
  ) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`${headline} (${count}):\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
    this.name = 'PlanError';
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Field schemas

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * `MM-DD` that exists in every year. 02-29 is refused: a yearly date that silently moves in three years out of four
 * would make deadlines differ from what the plan says.
 */
export function isMonthDay(value: string): boolean {
  const m = /^(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const month = Number(m[1]);
  const day = Number(m[2]);
  return month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1]!;
}

// Ids end up in workflow ids and search attributes (DESIGN §5), so they are short, ASCII and free of ':' and spaces.
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, {
  error: (iss) => `expected an id (letters, digits, "-", "_", "."; at most 64), got ${show(iss.input, 60)}`,
});
// The national 医保 codes of institutions are upper-case letters and digits (e.g. H34170200001).
const institutionId = z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,31}$/, {
  error: (iss) => `expected 2-32 upper-case letters, digits or "-", got ${show(iss.input, 60)}`,
});
// Names, titles and categories: one line (they go into mail subjects and the ledger), the rule of every text field.
const text = requiredText(NAME_MAX, {}, 'must not be empty');
/** A cited document and article, e.g. 《医疗保障基金使用监督管理条例》（2021）第三十八条. */
const citation = requiredText(300, {}, 'must not be empty');
const email = z.email({ error: (iss) => (iss.input === undefined ? 'required' : `expected an e-mail address, got ${show(iss.input, 60)}`) });
const monthDay = z.string().refine(isMonthDay, {
  error: (iss) => `expected a date "MM-DD" that exists in every year, got ${show(iss.input, 60)}`,
});
const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, {
  error: (iss) => `expected a time "HH:mm" (00:00-23:59), got ${show(iss.input, 60)}`,
});
// Not z.int(): its failure aborts the whole parse, which would hide the cross-reference problems of the same file.
const integer = z.number().refine(Number.isInteger, { error: (iss) => `expected an integer, got ${show(iss.input, 60)}` });
const positiveInt = integer.min(1);
const nonNegativeInt = integer.min(0);

/** Day offsets before a deadline: distinct positive integers, handed out largest first (30, 14, 7, 1). */
const dayOffsets = z
  .array(positiveInt)
  .superRefine(
    (offsets, ctx) => {
      offsets.forEach((offset, i) => {
        if (offsets.indexOf(offset) < i) ctx.addIssue({ code: 'custom', path: [i], message: `duplicate offset ${offset}` });
      });
    },
    { when: () => true }, // also next to a bad entry, so one run reports both
  )
  // `overwrite`, not `transform`: a transform is a pipe, and a failing pipe stops the plan-wide checks below.
  .overwrite((offsets) => [...offsets].sort((a, b) => b - a));

/**
 * A period a rule gives (domain/period.ts): `{ days: n }` calendar days (日), or `{ workingDays: n }` working days
 * (工作日) on the official holiday calendar with its make-up workdays (调休).
 */
export const period = z
  .strictObject({ days: positiveInt.optional(), workingDays: positiveInt.optional() })
  .refine((p) => (p.days === undefined) !== (p.workingDays === undefined), {
    message: 'give exactly one of days, workingDays, e.g. { workingDays: 5 } or { days: 30 }',
    when: (payload) => payload.issues.length === 0,
  }) as unknown as z.ZodType<Period, { days?: number; workingDays?: number }>;

// ---------------------------------------------------------------------------------------------------------------------
// The plan

export const INSTITUTION_LEVELS = ['I', 'II', 'III', 'unrated'] as const;
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const leader = z.strictObject({ id, name: text, title: text, email });

const responsibleUnit = z.strictObject({ id, name: text, email, leaderId: id });

const contact = z.strictObject({
  name: text,
  role: text,
  email,
  phone: z
    .string()
    .regex(/^[0-9+()\- ]{3,24}$/, { error: (iss) => `expected a phone number, got ${show(iss.input, 60)}` })
    .optional(),
});

const institutionFields = {
  id: institutionId,
  name: text,
  ownership: z.enum(['public', 'private']),
  district: text,
  responsibleUnitId: id,
  contacts: z.array(contact).min(1, 'needs at least one contact'),
};

// Hospitals carry a grade (等级); pharmacies have none, and say so with null rather than a made-up grade.
const institution = z.discriminatedUnion('kind', [
  z.strictObject({
    ...institutionFields,
    kind: z.literal('hospital'),
    level: z.enum(INSTITUTION_LEVELS, {
      error: (iss) =>
        `${iss.input === undefined ? 'required for a hospital' : `got ${show(iss.input, 60)}`}: one of "I", "II", "III", "unrated"`,
    }),
  }),
  z.strictObject({
    ...institutionFields,
    kind: z.literal('pharmacy'),
    level: z.null({ error: (iss) => `a pharmacy has no level: leave it out (got ${show(iss.input, 60)})` }).default(null),
  }),
]);

const inspector = z.strictObject({
  id,
  name: text,
  unitId: id,
  email,
  /** Institutions this inspector must never be assigned to (回避: former employer, relatives, ...). */
  conflicts: z.array(institutionId).default([]),
});

const calendar = z.strictObject({
  /** When a deadline stated in days ends on its last day (整改期限、陈述申辩期 …): the local time of day. */
  endOfDay: timeOfDay.default('23:59'),
  /**
   * The cycle year starts on 1 January (DESIGN §3): the yearly Schedule starts `annual:{jurisdiction}:{year}` then, at
   * this local time, and each part waits for its own start date (coverage.start may be later). A start missed while
   * the server was down is still taken within `catchupWindowDays` (at most 364: a catch-up never reaches next year).
   */
  annualCycle: z
    .strictObject({ startTime: timeOfDay.default('00:05'), catchupWindowDays: integer.min(1).max(364).default(30) })
    .prefault({}),
  coverage: z.strictObject({
    start: monthDay,
    deadline: monthDay,
    deadlineTime: timeOfDay.default('23:59'),
    /** How often the campaign re-reads its progress from the ledger for the Web UI (at reminders.timeOfDay). */
    progressEveryDays: positiveInt.default(1),
  }),
  closureReview: z.strictObject({ start: monthDay, deadline: monthDay }),
  flyingChecks: z.strictObject({ start: monthDay, end: monthDay }),
  yearEndSummary: monthDay,
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  weeklyReportWeekday: integer.min(1).max(7),
});

export const DEFAULT_TEAM_SIZE = 2;

// How flying checks (飞行检查) pick and treat their targets. Named `flyingCheck` (singular, like `inspection` and
// `rectification`): the HOW. The WHEN is `calendar.flyingChecks` (start/end dates). See domain/flying.ts for the draw.
const riskWeight = nonNegativeInt;
const flyingCheck = z
  .strictObject({
    /** Targets drawn uniformly at random (双随机). */
    randomCount: nonNegativeInt.default(4),
    /** Targets drawn with risk weights, among those not drawn at random. */
    riskCount: nonNegativeInt.default(4),
    /** Integer weights of the risk score (integers keep a published draw exactly reproducible). */
    riskWeights: z
      .strictObject({
        base: positiveInt.default(DEFAULT_RISK_WEIGHTS.base),
        clues: riskWeight.default(DEFAULT_RISK_WEIGHTS.clues),
        dataAnomalies: riskWeight.default(DEFAULT_RISK_WEIGHTS.dataAnomalies),
        lastYearFindings: riskWeight.default(DEFAULT_RISK_WEIGHTS.lastYearFindings),
        grades: z
          .strictObject({
            A: riskWeight.default(GRADE_RISK_WEIGHT.A),
            B: riskWeight.default(GRADE_RISK_WEIGHT.B),
            C: riskWeight.default(GRADE_RISK_WEIGHT.C),
            D: riskWeight.default(GRADE_RISK_WEIGHT.D),
            E: riskWeight.default(GRADE_RISK_WEIGHT.E),
          })
          .prefault({}),
      })
      .prefault({}),
    /**
     * The period the institution has to state its case (陈述申辩) on the fed-back findings before the conclusion;
     * default 5 working days (DEFAULT_STATEMENT_PERIOD, 《医疗保障基金飞行检查管理暂行办法》).
     */
    statementPeriod: period.optional(),
    /** Before statementPeriod: the same in calendar days. Still read (as `{ days: n }`) for existing plan files. */
    statementPeriodDays: positiveInt.optional(),
    /** Days after a flying check with findings until the look-back (回头看). */
    lookBackAfterDays: positiveInt.default(90),
    /** Days between the campaign's follow-ups of its targets in the ledger (finished visits, look-backs to order). */
    trackEveryDays: positiveInt.default(7),
  })
  .superRefine((settings, ctx) => {
    if (settings.statementPeriod !== undefined && settings.statementPeriodDays !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['statementPeriodDays'], message: 'give statementPeriod or the older statementPeriodDays, not both' });
    }
  })
  // `overwrite`, not `transform` (see dayOffsets): fills in the period from the older key or the default.
  .overwrite((settings) => ({
    ...settings,
    statementPeriod: settings.statementPeriod ?? (settings.statementPeriodDays !== undefined ? { days: settings.statementPeriodDays } : DEFAULT_STATEMENT_PERIOD),
  }))
  .prefault({});

// The credit grade (信用等级) after an inspection (seed 000 item 3): ordered rules, first match wins, else `default`.
// Left out, the rules of domain/credit.ts apply (DEFAULT_CREDIT_RULES, with their reasoning).
const creditGrade = z.enum(CREDIT_GRADES);
const creditRule = z.strictObject({
  grade: creditGrade,
  when: z.strictObject({
    violation: z.boolean().optional(),
    /** Inclusive bounds, integer fen (1 yuan = 100 fen). */
    minLossFen: nonNegativeInt.optional(),
    maxLossFen: nonNegativeInt.optional(),
    minItems: nonNegativeInt.optional(),
    overdue: z.boolean().optional(),
    rectified: z.boolean().optional(),
    /** The case reached at least this rung of the ladder (interview < suspension < termination < blacklist). */
    minSanction: z.enum(SANCTIONS).optional(),
  })
    // A plain refine (no abort, no transform, so the plan-wide checks still run). Judged only when the conditions are
    // otherwise fine: an unknown key is dropped from the value and would make a misspelt rule look empty.
    .refine((when) => Object.values(when).some((v) => v !== undefined), {
      message: 'has no conditions, so it matches every inspection: use creditRules.default instead',
      when: (payload) => payload.issues.length === 0,
    }),
});
const creditRules = z
  .strictObject({
    default: creditGrade.default(DEFAULT_CREDIT_RULES.default),
    rules: z.array(creditRule).default(() => DEFAULT_CREDIT_RULES.rules.map((rule) => ({ grade: rule.grade, when: { ...rule.when } }))),
  })
  .prefault({});

// The penalty discretion table (裁量基准) of cases: per article of the regulation, the fine as a multiple of the loss
// and the suspension months; which article an item without one counts under; above which total a decision needs a
// second approver. Left out, DEFAULT_PENALTY_TABLE of domain/penalty.ts applies (with its sources).
const articleNo = z
  .string({ error: (iss) => (iss.input === undefined ? 'required' : `expected the article number in quotes, e.g. "38", got ${show(iss.input, 60)}`) })
  .regex(/^[1-9]\d{0,3}$/, { error: (iss) => `expected the article number in Arabic digits, e.g. "38", got ${show(iss.input, 60)}` });
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
const penalties = z
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

// Practitioner points (医保支付资格记分). Left out, DEFAULT_POINTS_RULES of domain/points.ts applies (the 2024 national
// rules, with their source).
const points = z
  .strictObject({
    source: citation.default(DEFAULT_POINTS_RULES.source),
    tiers: z
      .array(z.strictObject({ tier: z.literal([1, 2, 3, 4]), min: positiveInt, max: positiveInt }))
      .min(1, 'needs at least one tier')
      .default(() => DEFAULT_POINTS_RULES.tiers.map((t) => ({ ...t }))),
    suspendAt: positiveInt.default(DEFAULT_POINTS_RULES.suspendAt),
    suspensionMonths: z
      .strictObject({
        min: positiveInt.default(DEFAULT_POINTS_RULES.suspensionMonths.min),
        max: positiveInt.default(DEFAULT_POINTS_RULES.suspensionMonths.max),
      })
      .prefault({}),
    endAt: positiveInt.default(DEFAULT_POINTS_RULES.endAt),
    barYears: positiveInt.default(DEFAULT_POINTS_RULES.barYears),
    barYearsAtOnce: positiveInt.default(DEFAULT_POINTS_RULES.barYearsAtOnce),
  })
  .prefault({});

// The practitioner-points workflow's housekeeping (DEFAULT_POINTS_WORKFLOW of domain/points.ts): the history bound at
// which a year's workflow continues as new (below the server's 10,240-event warning, DESIGN §5), and how long its
// year's end waits for deductions still being written before it tells the bureau.
const pointsWorkflow = z
  .strictObject({
    historyEventsLimit: integer.min(100).max(10_240).default(DEFAULT_POINTS_WORKFLOW.historyEventsLimit),
    closingGraceMinutes: positiveInt.default(DEFAULT_POINTS_WORKFLOW.closingGraceMinutes),
  })
  .prefault({});

/** Categories of finding items that count as 三假 fraud (seed 003 annex 1): an item's category containing one counts. */
export const DEFAULT_FRAUD_CATEGORIES = ['三假', '伪造医学文书', '虚构医药服务'];
/**
 * Default of `cases.crimeReferral.minLossFen`: 3,000 yuan. Fund fraud is 诈骗 under 《刑法》 Art. 266 (NPC Standing
 * Committee interpretation of 2014), and 诈骗 becomes a crime at 数额较大, 3,000–10,000 yuan, each province fixing its
 * own figure in that range (法释〔2011〕7号 Art. 1). An administrative body must refer a suspected crime, so the default
 * is the bottom of the national range; a jurisdiction sets its province's figure.
 */
export const DEFAULT_CRIME_REFERRAL_MIN_LOSS_FEN = 3_000 * 100;

// A violation case after an inspection (DESIGN §5 "case"): how long each human step may take, reminders and
// escalation, payment, referrals, and when a referral to the police is made by rule.
const cases = z
  .strictObject({
    /** Days a human decision (penalty, ladder step) may take before it escalates to the responsible leader. */
    decisionPeriodDays: positiveInt.default(30),
    /** Reminders before a decision or payment deadline. */
    reminderOffsetsDays: dayOffsets.default([7, 1]),
    /** Days between escalations of an overdue step. */
    escalationWindowDays: positiveInt.default(15),
    /** Escalations before an overdue step is recorded as unanswered. */
    maxEscalations: nonNegativeInt.default(3),
    /** Days to rectify after an interview (约谈). */
    interviewPeriodDays: positiveInt.default(15),
    /** Days to pay recovery and fine after the decision (《行政处罚法》 Art. 67: within 15 days). */
    paymentPeriodDays: positiveInt.default(15),
    /** Days a late payment is still awaited before the case records it as unpaid (for enforcement). */
    paymentLateWindowDays: positiveInt.default(30),
    /** Days an agency has to acknowledge a referral (回执). */
    referralAckDays: positiveInt.default(10),
    crimeReferral: z
      .strictObject({
        /** Integer fen: 三假 items whose loss together reaches this are referred (a local threshold). */
        minLossFen: nonNegativeInt.default(DEFAULT_CRIME_REFERRAL_MIN_LOSS_FEN),
        categories: z.array(text).min(1, 'needs at least one category').default(() => [...DEFAULT_FRAUD_CATEGORIES]),
        agency: z.enum(REFERRAL_AGENCIES).default('public-security'),
      })
      .prefault({}),
  })
  .prefault({});

// How the closure review (结案检查) follows up last year's open cases past their closing deadline: the HOW. The WHEN
// (start, deadline) is `calendar.closureReview`. Escalations repeat `escalationWindowDays` apart, `maxEscalations` in
// all (the first at the deadline); one window after the last, the review records what remained open.
const closureReview = z
  .strictObject({
    escalationWindowDays: positiveInt.default(DEFAULT_CLOSURE_REVIEW.escalationWindowDays),
    maxEscalations: positiveInt.default(DEFAULT_CLOSURE_REVIEW.maxEscalations),
  })
  .prefault({});

// Where referral letters (移送函) go: every agency of REFERRAL_AGENCIES, by its local name. Required: a referral to an
// agency without an address could not be sent, and a case must be able to refer to any of them.
const agencyContact = z.strictObject({ name: text, email });
const agencies = z.strictObject({
  'public-security': agencyContact,
  health: agencyContact,
  market: agencyContact,
  drug: agencyContact,
  discipline: agencyContact,
  judiciary: agencyContact,
} satisfies Record<ReferralAgency, typeof agencyContact>);

// Sections whose every field has a default may be left out; `prefault({})` runs {} through the schema so the inner
// defaults apply (zod 4's `default` would return {} as is).
export const planSchema = z
  .strictObject({
    jurisdiction: z.strictObject({
      code: z
        .string({ error: (iss) => (iss.input === undefined ? 'required' : `expected a 6-digit GB/T 2260 code in quotes, got ${show(iss.input, 60)}`) })
        .regex(/^\d{6}$/, { error: (iss) => `expected a 6-digit GB/T 2260 code, got ${show(iss.input, 60)}` }),
      name: text,
      timeZone: z
        .string()
        .refine((zone) => IANAZone.isValidZone(zone), {
          error: (iss) => `expected an IANA time zone such as "Asia/Shanghai", got ${show(iss.input, 60)}`,
        })
        .default(DEFAULT_TIME_ZONE),
    }),
    leaders: z.array(leader).min(1, 'needs at least one leader'),
    responsibleUnits: z.array(responsibleUnit).min(1, 'needs at least one responsible unit'),
    institutions: z.array(institution).min(1, 'needs at least one institution'),
    inspectors: z.array(inspector),
    calendar,
    reminders: z
      .strictObject({ offsetsDays: dayOffsets.default([30, 14, 7, 1]), timeOfDay: timeOfDay.default('09:00') })
      .prefault({}),
    inspection: z
      .strictObject({
        teamSize: integer.min(2, 'at least 2 (two enforcement officers per inspection)').default(DEFAULT_TEAM_SIZE),
        findingsPeriodDays: positiveInt.default(30),
        lateWindowDays: positiveInt.default(30),
        announced: z.boolean().default(false),
      })
      .prefault({}),
    rectification: z
      .strictObject({
        periodDays: positiveInt.default(30),
        reminderOffsetsDays: dayOffsets.default([7, 1]),
        recheckWindowDays: positiveInt.default(15),
      })
      .prefault({}),
    notifications: z.strictObject({
      channels: z.array(z.enum(['email'])).min(1, 'needs at least one channel').default(['email']),
      leadershipEmail: email,
    }),
    demoCampaign: z
      .strictObject({ title: text.default('示范检查'), durationDays: positiveInt.default(21) })
      .prefault({}),
    flyingCheck,
    creditRules,
    penalties,
    points,
    pointsWorkflow,
    cases,
    closureReview,
    agencies,
  })
  // Runs even when fields are broken, so one run reports type errors and cross-reference errors together. zod still
  // skips it after an explicit abort (z.int(), a failing transform/pipe): keep those out of this schema.
  .superRefine((plan, ctx) => {
    for (const p of crossReferenceProblems(plan)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  }, { when: () => true });

export type Plan = z.infer<typeof planSchema>;
/** What a plan file may contain before defaults apply (handy for test fixtures). */
export type PlanInput = z.input<typeof planSchema>;
export type Leader = Plan['leaders'][number];
export type ResponsibleUnit = Plan['responsibleUnits'][number];
export type Institution = Plan['institutions'][number];
export type Inspector = Plan['inspectors'][number];
export type InstitutionLevel = (typeof INSTITUTION_LEVELS)[number];
export type FlyingCheckSettings = Plan['flyingCheck'];
export type CreditRulesSettings = Plan['creditRules'];
export type PenaltyTableSettings = Plan['penalties'];
export type PointsSettings = Plan['points'];
export type CaseSettings = Plan['cases'];
export type ClosureReviewSettings = Plan['closureReview'];
export type AgencySettings = Plan['agencies'];

// ---------------------------------------------------------------------------------------------------------------------
// Cross-reference checks
//
// These read the plan defensively (as `unknown`): they also run when other fields failed validation, and must then
// judge only the parts that are well-formed, leaving the rest to the messages the field schemas already gave.

type Path = (string | number)[];
type Row = Record<string, unknown>;

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
/** A well-formed count (positive integer): other values already have their message from the field schema. */
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1;
const isRow = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value);
const field = (value: unknown, key: string): unknown => (isRow(value) ? value[key] : undefined);
/** The mapping entries of a list with their indexes; undefined when the list itself is malformed. */
const rows = (value: unknown): [number, Row][] | undefined =>
  Array.isArray(value) ? value.flatMap((item, i): [number, Row][] => (isRow(item) ? [[i, item]] : [])) : undefined;

function crossReferenceProblems(plan: unknown): { path: Path; message: string }[] {
  const problems: { path: Path; message: string }[] = [];
  const report = (path: Path, message: string) => problems.push({ path, message });

  const leaders = rows(field(plan, 'leaders'));
  const units = rows(field(plan, 'responsibleUnits'));
  const institutions = rows(field(plan, 'institutions'));
  const inspectors = rows(field(plan, 'inspectors'));

  /** Ids of a list; a repeated id is reported at its second occurrence. */
  function idsOf(list: string, entries: [number, Row][] | undefined): Set<string> | undefined {
    if (!entries) return undefined;
    const firstAt = new Map<string, number>();
    for (const [i, row] of entries) {
      if (typeof row.id !== 'string') continue;
      const first = firstAt.get(row.id);
      if (first === undefined) firstAt.set(row.id, i);
      else report([list, i, 'id'], `duplicate id "${row.id}" (first used at ${list}[${first}])`);
    }
    return new Set(firstAt.keys());
  }
  const leaderIds = idsOf('leaders', leaders);
  const unitIds = idsOf('responsibleUnits', units);
  const institutionIds = idsOf('institutions', institutions);
  idsOf('inspectors', inspectors);

  /** A reference is judged only when it is a string and the list it points into is well-formed. */
  function checkRef(path: Path, value: unknown, known: Set<string> | undefined, what: string) {
    if (typeof value === 'string' && known && !known.has(value)) report(path, `unknown ${what} "${value}"`);
  }
  for (const [i, unit] of units ?? []) checkRef(['responsibleUnits', i, 'leaderId'], unit.leaderId, leaderIds, 'leader');
  for (const [i, inst] of institutions ?? []) {
    checkRef(['institutions', i, 'responsibleUnitId'], inst.responsibleUnitId, unitIds, 'responsible unit');
  }
  for (const [i, person] of inspectors ?? []) {
    checkRef(['inspectors', i, 'unitId'], person.unitId, unitIds, 'responsible unit');
    const conflicts = Array.isArray(person.conflicts) ? person.conflicts : [];
    conflicts.forEach((c, j) => checkRef(['inspectors', i, 'conflicts', j], c, institutionIds, 'institution'));
  }

  // Periods lie within one calendar year, so a deadline before its start is a typo, not a period over New Year.
  const cal = field(plan, 'calendar');
  for (const [period, endKey] of [['coverage', 'deadline'], ['closureReview', 'deadline'], ['flyingChecks', 'end']]) {
    const start = field(field(cal, period), 'start');
    const end = field(field(cal, period), endKey);
    if (typeof start === 'string' && typeof end === 'string' && isMonthDay(start) && isMonthDay(end) && end < start) {
      report(['calendar', period, endKey], `${end} is before its start ${start}`);
    }
  }

  // Every inspection needs a team of `teamSize` inspectors, none with a conflict of interest with the institution.
  const teamSize = field(field(plan, 'inspection'), 'teamSize') ?? DEFAULT_TEAM_SIZE;
  if (inspectors && typeof teamSize === 'number' && Number.isInteger(teamSize) && teamSize >= 2) {
    if (inspectors.length < teamSize) {
      report(['inspectors'], `needs at least ${teamSize} inspectors (inspection.teamSize), has ${inspectors.length}`);
    } else {
      for (const [i, inst] of institutions ?? []) {
        if (typeof inst.id !== 'string') continue;
        const free = inspectors.filter(([, p]) => !(Array.isArray(p.conflicts) && p.conflicts.includes(inst.id))).length;
        if (free < teamSize) {
          report(['institutions', i], `only ${free} inspector(s) without a conflict of interest with "${inst.id}", inspection.teamSize is ${teamSize}`);
        }
      }
    }
  }

  // Credit rules: loss bounds in order (a rule without conditions is refused by its schema).
  for (const [i, rule] of rows(field(field(plan, 'creditRules'), 'rules')) ?? []) {
    const when = rule.when;
    if (!isRow(when)) continue;
    const { minLossFen: min, maxLossFen: max } = when;
    if (typeof min === 'number' && typeof max === 'number' && max < min) {
      report(['creditRules', 'rules', i, 'when', 'maxLossFen'], `${max} is below minLossFen ${min}`);
    }
  }

  // Penalty table: articles unique, the default article one of them, ranges in order.
  const penaltyTable = field(plan, 'penalties');
  const penaltyArticles = rows(field(penaltyTable, 'articles'));
  const articleFirstAt = new Map<string, number>();
  for (const [i, entry] of penaltyArticles ?? []) {
    if (typeof entry.article === 'string') {
      const first = articleFirstAt.get(entry.article);
      if (first === undefined) articleFirstAt.set(entry.article, i);
      else report(['penalties', 'articles', i, 'article'], `duplicate article "${entry.article}" (first at penalties.articles[${first}])`);
    }
    const { minMultiple: min, maxMultiple: max } = entry;
    const isMultiple = (v: unknown): v is number => isNumber(v) && v > 0 && isTenthMultiple(v);
    if (isMultiple(min) && isMultiple(max) && max < min) report(['penalties', 'articles', i, 'maxMultiple'], `${max} is below minMultiple ${min}`);
    const suspension = field(entry, 'suspensionMonths');
    const [sMin, sMax] = [field(suspension, 'min'), field(suspension, 'max')];
    const isMonths = (v: unknown): v is number => isCount(v) && v <= 12;
    if (isMonths(sMin) && isMonths(sMax) && sMax < sMin) report(['penalties', 'articles', i, 'suspensionMonths', 'max'], `${sMax} is below min ${sMin}`);
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
  if (articleKeys && typeof defaultArticle === 'string' && /^[1-9]\d{0,3}$/.test(defaultArticle) && !articleKeys.includes(defaultArticle)) {
    report(['penalties', 'defaultArticle'], `unknown article "${defaultArticle}" (penalties.articles has ${articleKeys.join(', ')})`);
  }

  // Points: tiers 1, 2, 3, … in order, contiguous from 1 point up to endAt; suspension before the end.
  const pointsRules = field(plan, 'points');
  const endAt = field(pointsRules, 'endAt') ?? DEFAULT_POINTS_RULES.endAt;
  const suspendAt = field(pointsRules, 'suspendAt') ?? DEFAULT_POINTS_RULES.suspendAt;
  const tierList = field(pointsRules, 'tiers');
  const tiers = rows(tierList);
  // Judged only when every tier is a mapping: order and contiguity are meaningless around a malformed entry.
  if (tiers && Array.isArray(tierList) && tiers.length === tierList.length && tiers.length > 0) {
    let previousMax: unknown = 0;
    for (const [i, tier] of tiers) {
      const at = ['points', 'tiers', i];
      if ([1, 2, 3, 4].includes(tier.tier as number) && tier.tier !== i + 1) report([...at, 'tier'], `expected tier ${i + 1} here (tiers are listed in order from 1), got ${tier.tier}`);
      if (isCount(tier.min) && (previousMax === 0 || isCount(previousMax)) && tier.min !== previousMax + 1) {
        report([...at, 'min'], i === 0 ? `the first tier starts at 1 point, got ${tier.min}` : `expected ${previousMax + 1} (right after the previous tier's max ${previousMax}), got ${tier.min}`);
      }
      if (isCount(tier.min) && isCount(tier.max) && tier.max < tier.min) report([...at, 'max'], `${tier.max} is below min ${tier.min}`);
      previousMax = tier.max;
    }
    const last = tiers[tiers.length - 1]![1];
    if (isCount(last.max) && isCount(endAt) && last.max !== endAt) {
      report(['points', 'tiers', tiers.length - 1, 'max'], `the last tier ends at ${last.max}, but endAt is ${endAt}: the scale ends where eligibility ends`);
    }
  }
  if (isCount(suspendAt) && isCount(endAt) && suspendAt >= endAt) report(['points', 'suspendAt'], `must be below endAt ${endAt}, got ${suspendAt}`);
  const pointsSuspension = field(pointsRules, 'suspensionMonths');
  const [pMin, pMax] = [field(pointsSuspension, 'min') ?? DEFAULT_POINTS_RULES.suspensionMonths.min, field(pointsSuspension, 'max') ?? DEFAULT_POINTS_RULES.suspensionMonths.max];
  if (isCount(pMin) && isCount(pMax) && pMax < pMin) report(['points', 'suspensionMonths', 'max'], `${pMax} is below min ${pMin}`);
  const barYears = field(pointsRules, 'barYears') ?? DEFAULT_POINTS_RULES.barYears;
  const barYearsAtOnce = field(pointsRules, 'barYearsAtOnce') ?? DEFAULT_POINTS_RULES.barYearsAtOnce;
  if (isCount(barYears) && isCount(barYearsAtOnce) && barYearsAtOnce < barYears) {
    report(['points', 'barYearsAtOnce'], `must be at least barYears ${barYears}, got ${barYearsAtOnce}`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------------
// Parsing and loading

/** `institutions[3].responsibleUnitId`; `(root)` for the document itself. */
function formatPath(path: readonly PropertyKey[]): string {
  return formatZodPath(path) || '(root)';
}

// Zod's default messages speak JavaScript ("expected object, received array"); plan authors write YAML.
const TYPE_NAMES: Record<string, string> = { object: 'a mapping', array: 'a list', int: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false' };

const planMessages: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'required' : `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}, got ${show(issue.input, 60)}`;
    case 'invalid_value':
      return `${issue.input === undefined ? 'required' : `got ${show(issue.input, 60)}`}: one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union': {
      // A discriminated union reports a bad `kind` on the whole entry.
      if (issue.note === 'No matching discriminator' && typeof issue.discriminator === 'string') {
        const got = field(issue.input, issue.discriminator);
        const options = (issue.options as unknown[]).map((v) => JSON.stringify(v)).join(', ');
        return `${got === undefined ? 'required' : `got ${show(got, 60)}`}: one of ${options}`;
      }
      return undefined;
    }
    case 'too_small':
      if (issue.origin === 'array') return `needs at least ${issue.minimum} item(s)`;
      if (issue.origin === 'number') return `must be at least ${issue.minimum}, got ${show(issue.input, 60)}`;
      return undefined;
    case 'too_big':
      if (issue.origin === 'number') return `must be at most ${issue.maximum}, got ${show(issue.input, 60)}`;
      return undefined;
    default:
      return undefined;
  }
};

function schemaProblems(issues: readonly z.core.$ZodIssue[]): PlanProblem[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown key' }))
      : [{ path: formatPath(issue.path), message: issue.message }],
  );
}

/**
 * The largest plan file read: room for a province's ~60,000 institutions (about 17 MB) several times over. Beyond
 * YAML_MAX_BYTES (5 MiB, about 19,000 institutions) it must be JSON: composing YAML takes some 60 times its size in
 * memory (a 20 MB plan took 1 GB), JSON.parse about 3 times.
 */
export const PLAN_MAX_BYTES = 64 * MiB;

/** Parses and validates plan YAML; `source` names it in errors (usually the file name). Throws PlanError. */
export function parsePlan(text: string, source: string): Plan {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    if (!(error instanceof YamlError)) throw error;
    throw new PlanError(source, error.problems, error.syntax ? `YAML syntax error in jurisdiction plan ${source}` : undefined);
  }
  const result = planSchema.safeParse(data, { error: planMessages });
  if (!result.success) throw new PlanError(source, schemaProblems(result.error.issues));
  return result.data;
}

/** Reads (at most PLAN_MAX_BYTES, UTF-8 or GBK/GB18030) and validates a plan file. Throws PlanError, also when the file cannot be read. */
export async function loadPlan(file: string): Promise<Plan> {
  let yamlText: string;
  try {
    yamlText = readTextFile(file, PLAN_MAX_BYTES);
  } catch (err) {
    if (!(err instanceof InputFileError)) throw err;
    throw new PlanError(file, [{ path: '(file)', message: err.message }], `Cannot read jurisdiction plan file ${file}`);
  }
  return parsePlan(yamlText, file);
}

/**
 * Where the plan counts working days (a `{ workingDays: n }` period) while the loaded holiday calendar lacks this year
 * or next (in the plan's time zone): such deadlines cannot be computed there, so the workflows reaching them wait for
 * the data update (domain/workdays.ts, "Yearly update"). One line per uncovered year; none when all is well.
 */
export function holidayCalendarWarnings(plan: Plan, now: Date): string[] {
  const uses: string[] = [];
  const walk = (value: unknown, at: (string | number)[]) => {
    if (value === null || typeof value !== 'object') return;
    if ('workingDays' in value && typeof value.workingDays === 'number') uses.push(`${formatPath(at)} (${value.workingDays} working days)`);
    for (const [key, child] of Object.entries(value)) walk(child, [...at, Array.isArray(value) ? Number(key) : key]);
  };
  walk(plan, []);
  if (uses.length === 0) return [];
  const year = localYear(now, plan.jurisdiction.timeZone);
  const { first, last } = holidayCalendarYears();
  return [year, year + 1]
    .filter((y) => !holidayCalendarCovers(y))
    .map((y) => `the plan counts working days in ${uses.join(', ')}, but the official holiday calendar of ${y} is not loaded (covered ${first}-${last}): deadlines reaching into ${y} wait until it is; see "Yearly update" in domain/workdays.ts`);
}
