// A campaign file (专项行动方案 as data): what an administrator launches with `jianguan campaign start FILE`. Its kind,
// title and legal basis, the targets by selector (domain/campaign-file.ts), the phases with their dates and the
// responsible tasks (责任分工: content, measures, responsible leader and units, deadline or "and ongoing", seed 002).
// Checked against the jurisdiction plan it runs under, every problem by its path, as a plan is (config/plan/).
import { DateTime } from 'luxon';
import { z } from 'zod';
import { CAMPAIGN_FILE_KINDS } from '../../domain/campaign-file';
import { CREDIT_GRADES } from '../../domain/credit';
import { DEFAULT_RECHECK_THIRDS, RECHECK_THIRDS, recheckStartProblem, SEED_003_MINIMUM } from '../../domain/recheck';
import { DEFAULT_INVESTIGATION_RULES } from '../../domain/self-check';
import { NOTE_MAX, requiredText, show } from '../../domain/validation';
import type { Plan } from '../plan';
import { citation, dayOffsets, id, institutionId, integer, nonNegativeInt, positiveInt, text, timeOfDay } from '../plan/fields';
import { INSTITUTION_LEVELS } from '../plan/jurisdiction';
import { field, isRow, rows, type Path, type Report } from '../plan/unchecked';

const isLocalDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid;
const localDate = z.string().refine(isLocalDate, { error: (iss) => `expected a date "YYYY-MM-DD", got ${show(iss.input, 60)}` });

/** A date, or `{ days: n }` after the phase's start. */
const dateOrDays = z.union([localDate, z.strictObject({ days: positiveInt })], {
  error: (iss) => `expected a date "YYYY-MM-DD" or { days: n }, got ${show(iss.input, 60)}`,
});

/** A criterion as one value or a list of them (`kind: hospital`, `level: [I, II]`); `what` names the values. */
const oneOrMany = <T extends z.ZodType>(value: T, what: string) =>
  z.union([value, z.array(value).min(1)], { error: (iss) => `expected ${what} or a list of them, got ${show(iss.input, 60)}` });

const CRITERIA = [
  'kind',
  'level',
  'ownership',
  'district',
  'responsibleUnit',
  'institutions',
  'riskSignals',
  'lastYearFindings',
  'creditGrade',
] as const;

const selector = z
  .strictObject({
    all: z.literal(true, { error: 'only all: true (leave it out otherwise)' }).optional(),
    kind: oneOrMany(z.enum(['hospital', 'pharmacy']), '"hospital" or "pharmacy"').optional(),
    level: oneOrMany(z.enum(INSTITUTION_LEVELS), INSTITUTION_LEVELS.map((l) => `"${l}"`).join(', ')).optional(),
    ownership: oneOrMany(z.enum(['public', 'private']), '"public" or "private"').optional(),
    district: oneOrMany(text, 'a district name').optional(),
    responsibleUnit: oneOrMany(id, 'a responsible unit id').optional(),
    institutions: z.array(institutionId).min(1).optional(),
    riskSignals: z.boolean().optional(),
    lastYearFindings: z.boolean().optional(),
    creditGrade: oneOrMany(z.enum(CREDIT_GRADES), 'a credit grade A–E').optional(),
  })
  .superRefine(
    (s, ctx) => {
      const given = CRITERIA.filter((key) => s[key] !== undefined);
      if (s.all && given.length > 0)
        ctx.addIssue({ code: 'custom', message: `all: true picks every institution: leave out ${given.join(', ')}` });
      if (!s.all && given.length === 0)
        ctx.addIssue({ code: 'custom', message: `give at least one of ${CRITERIA.join(', ')}, or all: true` });
    },
    { when: () => true },
  );

const phase = z.strictObject({
  name: text,
  /** Left out: the day the campaign starts, or the day after the previous phase. */
  start: localDate.optional(),
  end: dateOrDays,
});

const task = z.strictObject({
  /** 整治内容. */
  content: requiredText(NOTE_MAX, { multiline: true }),
  /** 工作措施, one a line. */
  measures: z.array(requiredText(NOTE_MAX, { multiline: true })).min(1),
  /** 责任领导: a leader of the plan. */
  leader: id,
  /** 责任单位: responsible units of the plan. */
  units: z.array(id).min(1),
  /** 完成时限. */
  deadline: localDate,
  /** 并长期坚持: the task goes on after its deadline. */
  ongoing: z.boolean().default(false),
});

/** The special campaign's 自查自纠 phase (seed 002: 对照《典型问题清单》逐条分析开展自查自纠并退回违法违规使用的医保基金). */
const selfCheck = z.strictObject({
  /** 典型问题清单: what every target checks itself against, sent with the notice. */
  checklist: z
    .array(z.strictObject({ category: text, description: requiredText(NOTE_MAX, { multiline: true }) }))
    .min(1)
    .max(200),
  /** When the reports are due: a date or `{ days: n }` after the phase's start; default the phase's end (no grace). */
  reportDue: dateOrDays.optional(),
  /** Reminders to the targets before the due date; default the plan's `reminders.offsetsDays`. */
  reminderOffsetsDays: dayOffsets.optional(),
  /** What the data estimates each institution should refund (智能监控, 大数据筛查), with its source. */
  estimates: z.array(z.strictObject({ institution: institutionId, amountFen: nonNegativeInt, source: citation })).default([]),
});

/**
 * The special campaign's 严肃查处 phase: "对未认真开展自查自纠、基金运行风险高、问题线索多的定点医药机构开展现场检查"
 * (seed 002): who counts as high-risk, and the share of the rest drawn at random. Defaults: DEFAULT_INVESTIGATION_RULES.
 */
const d = DEFAULT_INVESTIGATION_RULES;
const investigation = z.strictObject({
  /** A clue or data anomaly of the campaign's year. */
  riskSignals: z.boolean().default(d.riskSignals),
  /** The latest credit grade. */
  creditGrades: z.array(z.enum(CREDIT_GRADES)).default([...d.creditGrades]),
  /** A refund below this percentage of the data's estimate (selfCheck.estimates). */
  refundBelowPercent: integer.min(0).max(100).default(d.refundBelowPercent),
  /** Percentage of the targets neither missing nor high-risk drawn at random (rounded up). */
  randomPercent: integer.min(0).max(100).default(d.randomPercent),
});

/**
 * The responsible units' weekly 问题台账 (seed 002: "于每周四前填写《行业部门集中整治自查发现问题台账》报党建办"): due each
 * week on `weekday` at `time`, a reminder `reminderDaysBefore` days before to the units still missing, the missing ones
 * escalated at the deadline to their tasks' leaders, and the week's 台账 sent to the lead office (`leadUnit`).
 */
const ledgerSubmissions = z.strictObject({
  /** ISO weekday of the deadline: 1 = Monday … 7 = Sunday (4: Thursday, seed 002). */
  weekday: integer.min(1).max(7),
  /** Local time of the deadline on that day; default the plan's `calendar.endOfDay`. */
  time: timeOfDay.optional(),
  /** The office the week's 台账 goes to (党建办 in seed 002): a responsible unit of the plan. */
  leadUnit: id,
  /** Days before the deadline that the units still missing are reminded (at the plan's `reminders.timeOfDay`). */
  reminderDaysBefore: integer.min(1).max(6).default(1),
});

/**
 * A re-check campaign's sampling (抽查复查, seed 003 三（五）: “三个三分之一”方式…定点医疗机构不少于10家、定点零售药店不少于
 * 20家): the year whose finished inspections are the pool, the minimum per kind, the thirds (domain/recheck.ts says
 * how we read them), and optionally a seed published beforehand (default: drawn when the campaign starts).
 */
const recheck = z.strictObject({
  year: integer.min(2000).max(2100).optional(),
  minimum: z
    .strictObject({
      hospital: nonNegativeInt.default(SEED_003_MINIMUM.hospital),
      pharmacy: nonNegativeInt.default(SEED_003_MINIMUM.pharmacy),
    })
    .default({ ...SEED_003_MINIMUM }),
  thirds: z
    .array(z.enum(RECHECK_THIRDS))
    .length(3, { error: 'three thirds (三个三分之一), e.g. [withFindings, clean, random]' })
    .refine((t) => new Set(t).size === t.length, { error: 'each third once' })
    .default([...DEFAULT_RECHECK_THIRDS]),
  seed: text.optional(),
});

const campaignFileFields = z.strictObject({
  /** The campaign id: a business key (`campaign:{jurisdiction}:{id}`), codes only. */
  id,
  kind: z.enum(CAMPAIGN_FILE_KINDS),
  title: text,
  /** The documents and articles the campaign rests on. */
  legalBasis: z.array(citation).min(1),
  /** The campaign's year (its on-site inspections, risk signals and last year's findings); default: its first phase's. */
  year: integer.min(2000).max(2100).optional(),
  /** Whether the institutions are told before the visit; default the plan's `inspection.announced`. */
  announced: z.boolean().optional(),
  /** Whether each inspection is the institution's on-site inspection of the year (DESIGN §2: one a year). */
  claimsOnSite: z.boolean().default(true),
  targets: z.array(selector).min(1),
  phases: z.array(phase).min(1),
  tasks: z.array(task).default([]),
  /** The tasks' weekly 问题台账; left out, no 台账 is collected. */
  ledgerSubmissions: ledgerSubmissions.optional(),
  /** Kind `special` only: its 自查自纠 (required) and 严肃查处 phases. */
  selfCheck: selfCheck.optional(),
  investigation: investigation.optional(),
  /** Kind `recheck` only: its sampling (defaults: seed 003's minimums and our reading of the thirds). */
  recheck: recheck.optional(),
});

export type CampaignFile = z.infer<typeof campaignFileFields>;

/** The file checked against `plan`: every reference it makes, and its phases in order. */
export function campaignFileSchema(plan: Plan) {
  return campaignFileFields.superRefine(
    (file, ctx) => {
      const report = (path: Path, message: string) => ctx.addIssue({ code: 'custom', path, message });
      referenceProblems(file, plan, report);
      phaseProblems(file, report);
      specialProblems(file, report);
      selfCheckReminderProblems(file, plan, report);
      recheckProblems(file, plan, report);
    },
    { when: () => true },
  );
}

const listed = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/** Institutions, districts, responsible units and leaders the file names must be the plan's. */
function referenceProblems(file: unknown, plan: Plan, report: Report): void {
  const institutions = new Set(plan.institutions.map((i) => i.id));
  const districts = new Set(plan.institutions.map((i) => i.district));
  const units = new Set(plan.responsibleUnits.map((u) => u.id));
  const leaders = new Set(plan.leaders.map((l) => l.id));
  const check = (path: Path, value: unknown, known: Set<string>, what: string) => {
    if (typeof value === 'string' && !known.has(value))
      report(path, what === 'district' ? `no institution of the plan is in district "${value}"` : `${what} "${value}" is not in the plan`);
  };
  const each = (at: Path, value: unknown, known: Set<string>, what: string) => {
    if (Array.isArray(value)) value.forEach((v, j) => check([...at, j], v, known, what));
    else check(at, value, known, what);
  };
  for (const [i, s] of rows(field(file, 'targets')) ?? []) {
    each(['targets', i, 'institutions'], s.institutions, institutions, 'institution');
    each(['targets', i, 'responsibleUnit'], s.responsibleUnit, units, 'responsible unit');
    each(['targets', i, 'district'], s.district, districts, 'district');
  }
  for (const [i, e] of rows(field(field(file, 'selfCheck'), 'estimates')) ?? [])
    check(['selfCheck', 'estimates', i, 'institution'], e.institution, institutions, 'institution');
  for (const [i, t] of rows(field(file, 'tasks')) ?? []) {
    check(['tasks', i, 'leader'], t.leader, leaders, 'leader');
    listed(t.units).forEach((u, j) => check(['tasks', i, 'units', j], u, units, 'responsible unit'));
  }
  const submissions = field(file, 'ledgerSubmissions');
  if (submissions !== undefined) {
    check(['ledgerSubmissions', 'leadUnit'], field(submissions, 'leadUnit'), units, 'responsible unit');
    const tasks = field(file, 'tasks');
    if (!Array.isArray(tasks) || tasks.length === 0)
      report(['ledgerSubmissions'], "the weekly 台账 are the tasks' units': give the responsible tasks (tasks)");
  }
}

/**
 * A special campaign runs three phases in order (自查自纠 → 严肃查处 → 建章立制) and needs its self-check list; the
 * self-check and investigation sections mean nothing to the other kinds.
 */
function specialProblems(file: unknown, report: Report): void {
  const kind = field(file, 'kind');
  if (kind === 'special') {
    const phases = field(file, 'phases');
    if (Array.isArray(phases) && phases.length !== 3)
      report(['phases'], `a special campaign has three phases (自查自纠, 严肃查处, 建章立制), got ${phases.length}`);
    if (field(file, 'selfCheck') === undefined) report(['selfCheck'], 'a special campaign needs its self-check list (selfCheck.checklist)');
    const due = field(field(file, 'selfCheck'), 'reportDue');
    const first = rows(phases)?.[0]?.[1];
    if (typeof due === 'string' && first && typeof first.end === 'string' && isLocalDate(first.end) && due > first.end)
      report(['selfCheck', 'reportDue'], `${due} is after the self-check phase's end ${first.end}`);
  } else {
    for (const key of ['selfCheck', 'investigation'])
      if (field(file, key) !== undefined) report([key], `only a special campaign has ${key} (this one is ${String(kind)})`);
  }
}

/**
 * The recheck section is a re-check's only; a re-check whose first phase has a date may not start before the full
 * coverage of the year it re-checks is due (one that starts the day it is started is checked then: cli/campaign/start.ts).
 */
function recheckProblems(file: unknown, plan: Plan, report: Report): void {
  const kind = field(file, 'kind');
  const section = field(file, 'recheck');
  if (kind !== 'recheck') {
    if (section !== undefined) report(['recheck'], `only a recheck campaign has recheck (this one is ${String(kind)})`);
    return;
  }
  const phases = field(file, 'phases');
  const start = field(Array.isArray(phases) ? phases[0] : undefined, 'start');
  if (typeof start !== 'string' || !isLocalDate(start)) return;
  const year = [field(section, 'year'), field(file, 'year')].find((y): y is number => typeof y === 'number') ?? Number(start.slice(0, 4));
  const problem = recheckStartProblem(start, year, plan.calendar.coverage.deadline);
  if (problem) report(['phases', 0, 'start'], problem);
}

/** Days from a phase's start to `due` (a date, or `{ days }` after the start); undefined where the start is not fixed. */
function daysFromStart(start: unknown, due: unknown): number | undefined {
  if (isRow(due)) return typeof due.days === 'number' ? due.days : undefined;
  if (typeof start !== 'string' || typeof due !== 'string' || !isLocalDate(start) || !isLocalDate(due)) return undefined;
  return DateTime.fromISO(due).diff(DateTime.fromISO(start), 'days').days;
}

/**
 * The self-check reminders go out the offsets' days before the reports are due; one before the phase starts would be
 * dropped without a word (domain/calendar.ts reminderSchedule), so the file may not ask for it.
 */
function selfCheckReminderProblems(file: unknown, plan: Plan, report: Report): void {
  const selfCheck = field(file, 'selfCheck');
  const first = rows(field(file, 'phases'))?.[0]?.[1];
  if (!isRow(selfCheck) || !first) return;
  const days = daysFromStart(first.start, selfCheck.reportDue ?? first.end);
  const own = Array.isArray(selfCheck.reminderOffsetsDays);
  const offsets = own ? (selfCheck.reminderOffsetsDays as unknown[]) : plan.reminders.offsetsDays;
  offsets.forEach((offset, i) => {
    if (days === undefined || typeof offset !== 'number' || offset <= days) return;
    report(
      own ? ['selfCheck', 'reminderOffsetsDays', i] : ['selfCheck', 'reportDue'],
      `a reminder ${offset} days before the reports are due (${own ? 'this offset' : "the plan's reminders.offsetsDays"}) ` +
        `would come before the self-check phase starts, ${days} days earlier: it would never be sent`,
    );
  });
}

/** Each phase ends on or after its start and after the previous phase; within the campaign's year when it gives one. */
function phaseProblems(file: unknown, report: Report): void {
  const year = field(file, 'year');
  let previousEnd: string | undefined;
  for (const [i, p] of rows(field(file, 'phases')) ?? []) {
    const start = typeof p.start === 'string' && isLocalDate(p.start) ? p.start : undefined;
    const end = typeof p.end === 'string' && isLocalDate(p.end) ? p.end : undefined;
    if (start && end && end < start) report(['phases', i, 'end'], `${end} is before the phase's start ${start}`);
    if (start && previousEnd && start <= previousEnd)
      report(['phases', i, 'start'], `${start} is not after the previous phase's end ${previousEnd}`);
    for (const [key, date] of [
      ['start', start],
      ['end', end],
    ] as const) {
      if (date && typeof year === 'number' && Number(date.slice(0, 4)) !== year)
        report(['phases', i, key], `${date} is outside the campaign's year ${year}`);
    }
    previousEnd = isRow(p.end) ? undefined : (end ?? previousEnd);
  }
}
