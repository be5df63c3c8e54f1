import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { REFERRAL_AGENCIES } from '../../domain/case';
import { DEFAULT_CREDIT_RULES } from '../../domain/credit';
import { DEFAULT_RISK_WEIGHTS } from '../../domain/flying';
import { holidayCalendarYears } from '../../domain/workdays';
import { DEFAULT_PENALTY_TABLE, type PenaltyTable } from '../../domain/penalty';
import { DEFAULT_POINTS_RULES, type PointsRules } from '../../domain/points';
import { CALENDAR_DAY_CLUES } from '../helpers/plan';
import {
  ConfigError,
  DEFAULT_PLAN_FILE,
  holidayCalendarWarnings,
  loadPlan,
  loadRuntimeConfig,
  parsePlan,
  PlanError,
  type AgencySettings,
  type CaseSettings,
  type PenaltyTableSettings,
  type PlanInput,
  type PlanProblem,
  type PointsSettings,
} from '../../config';

// ---------------------------------------------------------------------------------------------------------------------
// Jurisdiction plan

/** A small valid plan; each test breaks one copy of it. */
function validPlan(): PlanInput {
  const contact = (n: number) => [{ name: `联系人${n}`, role: '医保办主任', email: `c${n}@example.org` }];
  return {
    jurisdiction: { code: '349901', name: '清溪区' },
    leaders: [
      { id: 'L1', name: '周明远', title: '局长', email: 'l1@example.org' },
      { id: 'L2', name: '林秀英', title: '副局长', email: 'l2@example.org' },
    ],
    responsibleUnits: [
      { id: 'fund', name: '基金监管股', email: 'fund@example.org', leaderId: 'L1' },
      { id: 'audit', name: '稽核中心', email: 'audit@example.org', leaderId: 'L2' },
    ],
    institutions: [
      {
        id: 'H001',
        name: '清溪区人民医院',
        kind: 'hospital',
        level: 'III',
        ownership: 'public',
        district: '城关街道',
        responsibleUnitId: 'fund',
        contacts: contact(1),
      },
      {
        id: 'H002',
        name: '青松镇卫生院',
        kind: 'hospital',
        level: 'I',
        ownership: 'public',
        district: '青松镇',
        responsibleUnitId: 'fund',
        contacts: contact(2),
      },
      {
        id: 'P001',
        name: '百草堂药店',
        kind: 'pharmacy',
        ownership: 'private',
        district: '城关街道',
        responsibleUnitId: 'audit',
        contacts: contact(3),
      },
      {
        id: 'P002',
        name: '仁济药房',
        kind: 'pharmacy',
        level: null,
        ownership: 'private',
        district: '滨江街道',
        responsibleUnitId: 'audit',
        contacts: contact(4),
      },
    ],
    inspectors: [
      { id: 'I1', name: '汪立群', unitId: 'fund', email: 'i1@example.org', conflicts: ['H001'] },
      { id: 'I2', name: '田晓峰', unitId: 'fund', email: 'i2@example.org' },
      { id: 'I3', name: '邹志华', unitId: 'audit', email: 'i3@example.org' },
    ],
    calendar: {
      coverage: { start: '01-01', deadline: '07-31' },
      closureReview: { start: '03-01', deadline: '03-31' },
      flyingChecks: { start: '07-01', end: '12-15' },
      yearEndSummary: '12-18',
      weeklyReportWeekday: 3,
    },
    notifications: { leadershipEmail: 'leaders@example.org' },
    agencies: {
      'public-security': { name: '清溪区公安分局', email: 'police@example.org' },
      health: { name: '清溪区卫生健康委员会', email: 'health@example.org' },
      market: { name: '清溪区市场监督管理局', email: 'market@example.org' },
      drug: { name: '清溪区市场监督管理局药品安全监管股', email: 'drug@example.org' },
      discipline: { name: '清溪区纪委监委', email: 'discipline@example.org' },
      judiciary: { name: '清溪区人民检察院', email: 'judiciary@example.org' },
    },
  };
}

/** The problems a plan is refused with (fails the test if it is accepted). */
function problemsOf(plan: PlanInput | string): PlanProblem[] {
  try {
    parsePlan(typeof plan === 'string' ? plan : YAML.stringify(plan), 'test.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(PlanError);
    const { problems, message } = err as PlanError;
    // The message lists every problem as `path: message`.
    for (const p of problems) expect(message).toContain(`${p.path}: ${p.message}`);
    return problems;
  }
  throw new Error('plan was accepted');
}
const pathsOf = (plan: PlanInput | string) =>
  problemsOf(plan)
    .map((p) => p.path)
    .sort();

/** Escape hatch to put a wrongly typed value into the fixture. */
const set = (target: object, key: string, value: unknown) => Object.assign(target, { [key]: value });

describe('sample plan', () => {
  it('loads, with enough institutions and inspectors', async () => {
    const plan = await loadPlan(DEFAULT_PLAN_FILE);
    expect(plan.jurisdiction).toEqual({ code: '349901', name: '清溪区', timeZone: 'Asia/Shanghai' });
    expect(plan.institutions.length).toBeGreaterThanOrEqual(40);
    expect(plan.inspectors.length).toBeGreaterThanOrEqual(10);
    expect(plan.responsibleUnits.length).toBeGreaterThanOrEqual(3);
    expect(plan.inspectors.some((i) => i.conflicts.length > 0)).toBe(true);

    const levels = new Set(plan.institutions.filter((i) => i.kind === 'hospital').map((i) => `${i.ownership}:${i.level}`));
    for (const expected of ['public:III', 'public:II', 'public:I', 'private:unrated']) expect(levels).toContain(expected);
    const pharmacies = plan.institutions.filter((i) => i.kind === 'pharmacy');
    expect(pharmacies.length).toBeGreaterThanOrEqual(15);
    expect(pharmacies.every((p) => p.level === null)).toBe(true);

    expect(plan.calendar).toEqual({
      endOfDay: '23:59',
      annualCycle: { startTime: '00:05', catchupWindowDays: 30 },
      coverage: { start: '01-01', deadline: '07-31', deadlineTime: '23:59', progressEveryDays: 1 },
      closureReview: { start: '03-01', deadline: '03-31' },
      flyingChecks: { start: '07-01', end: '12-15' },
      yearEndSummary: '12-18',
      weeklyReportWeekday: 3,
    });
  });
});

describe('parsePlan', () => {
  it('accepts a valid plan and fills in the defaults', () => {
    const input = validPlan();
    input.reminders = { offsetsDays: [7, 30, 1, 14] };
    const plan = parsePlan(YAML.stringify(input), 'test.yaml');
    expect(plan.jurisdiction.timeZone).toBe('Asia/Shanghai');
    expect(plan.reminders).toEqual({ offsetsDays: [30, 14, 7, 1], timeOfDay: '09:00' });
    expect(plan.inspection).toEqual({ teamSize: 2, findingsPeriodDays: 30, lateWindowDays: 30, announced: false });
    expect(plan.rectification).toEqual({ periodDays: 30, reminderOffsetsDays: [7, 1], recheckWindowDays: 15 });
    expect(plan.notifications.channels).toEqual(['email']);
    expect(plan.demoCampaign).toEqual({ title: '示范检查', durationDays: 21 });
    expect(plan.calendar.coverage.deadlineTime).toBe('23:59');
    expect(plan.inspectors[1]!.conflicts).toEqual([]);
    expect(plan.institutions.map((i) => i.level)).toEqual(['III', 'I', null, null]);
  });

  it('refuses a wrong type', () => {
    const plan = validPlan();
    set((plan.inspection ??= {}), 'teamSize', 'two');
    set(plan.institutions[0]!, 'contacts', 'nobody');
    set(plan.calendar, 'weeklyReportWeekday', 8);
    expect(problemsOf(plan)).toEqual([
      { path: 'institutions[0].contacts', message: 'expected a list, got "nobody"' },
      { path: 'calendar.weeklyReportWeekday', message: 'must be at most 7, got 8' },
      { path: 'inspection.teamSize', message: 'expected a number, got "two"' },
    ]);
  });

  it('refuses an unknown key, naming it', () => {
    const plan = validPlan();
    set(plan.institutions[1]!, 'levle', 'II');
    set(plan, 'inspections', {});
    expect(pathsOf(plan)).toEqual(['inspections', 'institutions[1].levle']);
    expect(problemsOf(plan)[0]!.message).toBe('unknown key');
  });

  it('refuses a missing or wrong institution level and kind', () => {
    const plan = validPlan();
    Reflect.deleteProperty(plan.institutions[0]!, 'level');
    set(plan.institutions[1]!, 'kind', 'clinic');
    set(plan.institutions[2]!, 'level', 'II');
    expect(problemsOf(plan)).toEqual([
      { path: 'institutions[0].level', message: 'required for a hospital: one of "I", "II", "III", "unrated"' },
      { path: 'institutions[1].kind', message: 'got "clinic": one of "hospital", "pharmacy"' },
      { path: 'institutions[2].level', message: 'a pharmacy has no level: leave it out (got "II")' },
    ]);
  });

  it('refuses a duplicate id, at its second occurrence', () => {
    const plan = validPlan();
    plan.institutions[3]!.id = 'H002';
    plan.inspectors[2]!.id = 'I1';
    expect(problemsOf(plan)).toEqual([
      { path: 'institutions[3].id', message: 'duplicate id "H002" (first used at institutions[1])' },
      { path: 'inspectors[2].id', message: 'duplicate id "I1" (first used at inspectors[0])' },
    ]);
  });

  it('refuses dangling references', () => {
    const plan = validPlan();
    plan.responsibleUnits[0]!.leaderId = 'nobody';
    plan.institutions[3]!.responsibleUnitId = 'xyz';
    plan.inspectors[1]!.unitId = 'ghost';
    plan.inspectors[2]!.conflicts = ['P001', 'NOPE'];
    expect(problemsOf(plan)).toEqual([
      { path: 'responsibleUnits[0].leaderId', message: 'unknown leader "nobody"' },
      { path: 'institutions[3].responsibleUnitId', message: 'unknown responsible unit "xyz"' },
      { path: 'inspectors[1].unitId', message: 'unknown responsible unit "ghost"' },
      { path: 'inspectors[2].conflicts[1]', message: 'unknown institution "NOPE"' },
    ]);
  });

  it('refuses a deadline or end before its start', () => {
    const plan = validPlan();
    plan.calendar.coverage.start = '08-01';
    plan.calendar.flyingChecks.end = '06-30';
    expect(problemsOf(plan)).toEqual([
      { path: 'calendar.coverage.deadline', message: '07-31 is before its start 08-01' },
      { path: 'calendar.flyingChecks.end', message: '06-30 is before its start 07-01' },
    ]);
  });

  it('accepts a deadline on its start day', () => {
    const plan = validPlan();
    plan.calendar.closureReview = { start: '03-31', deadline: '03-31' };
    // A one-day period leaves no day before the deadline for a reminder.
    plan.reminders = { offsetsDays: [] };
    expect(parsePlan(YAML.stringify(plan), 'test.yaml').calendar.closureReview.deadline).toBe('03-31');
  });

  it('refuses invalid dates and times', () => {
    const plan = validPlan();
    plan.calendar.closureReview.deadline = '02-30';
    plan.calendar.flyingChecks.start = '02-29'; // not in every year
    plan.calendar.yearEndSummary = '13-01';
    plan.calendar.coverage.deadlineTime = '24:00';
    expect(pathsOf(plan)).toEqual([
      'calendar.closureReview.deadline',
      'calendar.coverage.deadlineTime',
      'calendar.flyingChecks.start',
      'calendar.yearEndSummary',
    ]);
    expect(problemsOf(plan)[1]!.message).toBe('expected a date "MM-DD" that exists in every year, got "02-30"');
  });

  it('refuses duplicate or non-positive reminder offsets', () => {
    const plan = validPlan();
    plan.reminders = { offsetsDays: [30, 7, 7, 0] };
    plan.rectification = { reminderOffsetsDays: [1.5] };
    expect(problemsOf(plan)).toEqual([
      { path: 'reminders.offsetsDays[3]', message: 'must be at least 1, got 0' },
      { path: 'reminders.offsetsDays[2]', message: 'duplicate offset 7' },
      { path: 'rectification.reminderOffsetsDays[0]', message: 'expected an integer, got 1.5' },
    ]);
  });

  it('refuses a reminder offset that would fall before its period starts, naming the period', () => {
    const plan = validPlan();
    plan.reminders = { offsetsDays: [31, 14] }; // the closure review runs 30 days, 03-01 to 03-31
    plan.inspection = { findingsPeriodDays: 10 };
    plan.rectification = { periodDays: { workingDays: 1 }, reminderOffsetsDays: [21, 22] }; // 1 working day: at most 21 days
    plan.cases = { interviewPeriodDays: 30, referralAckDays: 30, paymentPeriodDays: 15, reminderOffsetsDays: [16, 15] };
    plan.clues = { acceptance: { workingDays: 1 }, handling: { workingDays: 15 }, reminderOffsetsDays: [22] };
    expect(problemsOf(plan)).toEqual([
      {
        path: 'reminders.offsetsDays[0]',
        message:
          '31 days before the deadline is before calendar.closureReview (03-01 to 03-31) starts (it lasts at most 30 days): ' +
          'the reminder would never be sent; shorten the offset or lengthen the period',
      },
      {
        path: 'reminders.offsetsDays[0]',
        message: expect.stringMatching(/^31 days .* before inspection\.findingsPeriodDays starts \(it lasts at most 10 days\)/),
      },
      { path: 'reminders.offsetsDays[1]', message: expect.stringMatching(/^14 days .* before inspection\.findingsPeriodDays starts/) },
      {
        path: 'rectification.reminderOffsetsDays[0]',
        message: expect.stringMatching(/^22 days .* rectification\.periodDays starts \(it lasts at most 21 days\)/),
      },
      { path: 'cases.reminderOffsetsDays[0]', message: expect.stringMatching(/^16 days .* cases\.paymentPeriodDays starts/) },
      {
        path: 'clues.reminderOffsetsDays[0]',
        message: expect.stringMatching(/^22 days .* clues\.acceptance starts \(it lasts at most 21 days\)/),
      },
    ]);
  });

  it('accepts offsets as long as their periods: the reminder then goes out on the first day of the period', () => {
    const plan = validPlan();
    plan.reminders = { offsetsDays: [30] };
    plan.inspection = { findingsPeriodDays: 30 };
    expect(parsePlan(YAML.stringify(plan), 'test.yaml').reminders.offsetsDays).toEqual([30]);
  });

  it('refuses a year-end summary before the flying checks have ended', () => {
    const plan = validPlan();
    plan.calendar.yearEndSummary = '12-15'; // the flying checks run to 12-15
    expect(problemsOf(plan)).toEqual([
      {
        path: 'calendar.yearEndSummary',
        message: '12-15 is not after calendar.flyingChecks.end 12-15: the summary would leave out the flying checks still running',
      },
    ]);
  });

  it('refuses two inspectors with one e-mail address, whatever its case', () => {
    const plan = validPlan();
    plan.inspectors[2]!.email = 'I1@Example.org';
    expect(problemsOf(plan)).toEqual([
      { path: 'inspectors[2].email', message: 'same address as inspectors[0].email: each inspector needs their own' },
    ]);
  });

  it('refuses an institution without enough conflict-free inspectors', () => {
    const plan = validPlan();
    plan.inspectors[1]!.conflicts = ['P002'];
    plan.inspectors[2]!.conflicts = ['P002'];
    expect(problemsOf(plan)).toEqual([
      { path: 'institutions[3]', message: 'only 1 inspector(s) without a conflict of interest with "P002", inspection.teamSize is 2' },
    ]);
  });

  it('refuses fewer inspectors than a team needs', () => {
    const plan = validPlan();
    plan.inspection = { teamSize: 4 };
    expect(problemsOf(plan)).toEqual([{ path: 'inspectors', message: 'needs at least 4 inspectors (inspection.teamSize), has 3' }]);
  });

  it('reports YAML syntax errors with line and column', () => {
    const text = YAML.stringify(validPlan()).replace('yearEndSummary: 12-18', 'yearEndSummary: [12-18');
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toMatch(/^line \d+, column \d+$/);
    expect(() => parsePlan(text, 'broken.yaml')).toThrow(/YAML syntax error in jurisdiction plan broken\.yaml/);
  });

  it('reports a duplicate YAML key as a syntax error', () => {
    expect(pathsOf('jurisdiction: {}\njurisdiction: {}\n')).toEqual(['line 2, column 1']);
  });

  it('lists every problem of a plan broken in many ways at once', () => {
    const plan = validPlan();
    plan.jurisdiction.code = '3499';
    set(plan.jurisdiction, 'timeZone', 'Mars/Olympus');
    set(plan.leaders[0]!, 'email', 'not-an-email');
    plan.leaders[1]!.id = 'L1';
    plan.institutions[2]!.id = 'p-001';
    plan.institutions[1]!.responsibleUnitId = 'xyz';
    set(plan.inspectors[0]!, 'phone', '123');
    plan.calendar.coverage.start = '08-01';
    plan.calendar.closureReview.start = '04-31';
    plan.inspection = { teamSize: 1 };
    set(plan.notifications, 'channels', ['sms']);

    const problems = problemsOf(plan);
    expect(problems.map((p) => p.path).sort()).toEqual([
      'calendar.closureReview.start',
      'calendar.coverage.deadline',
      'inspection.teamSize',
      'inspectors[0].phone',
      'institutions[1].responsibleUnitId',
      'institutions[2].id',
      'jurisdiction.code',
      'jurisdiction.timeZone',
      'leaders[0].email',
      'leaders[1].id',
      'notifications.channels[0]',
      'responsibleUnits[1].leaderId',
    ]);
    expect(problems.find((p) => p.path === 'institutions[1].responsibleUnitId')!.message).toBe('unknown responsible unit "xyz"');
    expect(problems.find((p) => p.path === 'responsibleUnits[1].leaderId')!.message).toBe('unknown leader "L2"');
  });

  it('checks conflicts against teamSize when teams are larger', () => {
    const plan = validPlan();
    plan.inspection = { teamSize: 3 };
    // I1 has a conflict with H001, so only two inspectors remain for it.
    expect(problemsOf(plan)).toEqual([
      { path: 'institutions[0]', message: 'only 2 inspector(s) without a conflict of interest with "H001", inspection.teamSize is 3' },
    ]);
  });
});

describe('flyingCheck and creditRules', () => {
  it('default to the built-in draw settings and credit rules when left out', () => {
    const plan = parsePlan(YAML.stringify(validPlan()), 'test.yaml');
    expect(plan.flyingCheck).toEqual({
      randomCount: 4,
      riskCount: 4,
      riskWeights: { base: 1, clues: 3, dataAnomalies: 2, lastYearFindings: 2, grades: { A: 0, B: 1, C: 3, D: 6, E: 10 } },
      statementPeriod: { workingDays: 5 },
      lookBackAfterDays: 90,
      trackEveryDays: 7,
    });
    expect(plan.flyingCheck.riskWeights).toEqual(DEFAULT_RISK_WEIGHTS);
    expect(plan.creditRules).toEqual(DEFAULT_CREDIT_RULES);
  });

  it('the sample plan states the built-in defaults explicitly', async () => {
    const plan = await loadPlan(DEFAULT_PLAN_FILE);
    expect(plan.flyingCheck.riskWeights).toEqual(DEFAULT_RISK_WEIGHTS);
    expect(plan.creditRules).toEqual(DEFAULT_CREDIT_RULES);
  });

  it('fills in the weights a plan leaves out, per grade too', () => {
    const input = validPlan();
    input.flyingCheck = { riskCount: 6, riskWeights: { clues: 5, grades: { E: 20 } } };
    input.creditRules = { rules: [{ grade: 'D', when: { violation: true } }] };
    const plan = parsePlan(YAML.stringify(input), 'test.yaml');
    expect(plan.flyingCheck.randomCount).toBe(4);
    expect(plan.flyingCheck.riskCount).toBe(6);
    expect(plan.flyingCheck.riskWeights).toEqual({ ...DEFAULT_RISK_WEIGHTS, clues: 5, grades: { ...DEFAULT_RISK_WEIGHTS.grades, E: 20 } });
    expect(plan.creditRules).toEqual({ default: 'A', rules: [{ grade: 'D', when: { violation: true } }] });
  });

  it('refuses a bad grade, naming it', () => {
    const plan = validPlan();
    plan.creditRules = {
      default: 'F' as 'A',
      rules: [
        { grade: 'A', when: { violation: false } },
        { grade: 'e' as 'E', when: { minLossFen: 1 } },
      ],
    };
    expect(problemsOf(plan)).toEqual([
      { path: 'creditRules.default', message: 'got "F": one of "A", "B", "C", "D", "E"' },
      { path: 'creditRules.rules[1].grade', message: 'got "e": one of "A", "B", "C", "D", "E"' },
    ]);
  });

  it('refuses negative or fractional weights and counts, and a zero base', () => {
    const plan = validPlan();
    plan.flyingCheck = {
      randomCount: -1,
      riskWeights: { base: 0, clues: -2, dataAnomalies: 1.5, grades: { D: -6 } },
      lookBackAfterDays: 0,
    };
    expect(problemsOf(plan)).toEqual([
      { path: 'flyingCheck.randomCount', message: 'must be at least 0, got -1' },
      { path: 'flyingCheck.riskWeights.base', message: 'must be at least 1, got 0' },
      { path: 'flyingCheck.riskWeights.clues', message: 'must be at least 0, got -2' },
      { path: 'flyingCheck.riskWeights.dataAnomalies', message: 'expected an integer, got 1.5' },
      { path: 'flyingCheck.riskWeights.grades.D', message: 'must be at least 0, got -6' },
      { path: 'flyingCheck.lookBackAfterDays', message: 'must be at least 1, got 0' },
    ]);
  });

  it('refuses a credit rule without conditions, inverted loss bounds and unknown conditions', () => {
    const plan = validPlan();
    plan.creditRules = {
      rules: [
        { grade: 'C', when: {} },
        { grade: 'D', when: { minLossFen: 500, maxLossFen: 100 } },
        { grade: 'E', when: { lossFen: 1 } as object },
      ],
    };
    expect(problemsOf(plan)).toEqual([
      { path: 'creditRules.rules[0].when', message: 'has no conditions, so it matches every inspection: use creditRules.default instead' },
      { path: 'creditRules.rules[2].when.lossFen', message: 'unknown key' },
      { path: 'creditRules.rules[1].when.maxLossFen', message: '100 is below minLossFen 500' },
    ]);
  });

  it('reports flyingCheck problems together with the rest of the plan', () => {
    const plan = validPlan();
    plan.institutions[1]!.responsibleUnitId = 'xyz';
    set((plan.flyingCheck = {}), 'riskWeights', { clues: 'many' });
    expect(pathsOf(plan)).toEqual(['flyingCheck.riskWeights.clues', 'institutions[1].responsibleUnitId']);
  });
});

describe('penalties, points, cases and agencies', () => {
  const DEFAULT_CASES: CaseSettings = {
    decisionPeriodDays: 30,
    reminderOffsetsDays: [7, 1],
    escalationWindowDays: 15,
    maxEscalations: 3,
    interviewPeriodDays: 15,
    paymentPeriodDays: 15,
    paymentLateWindowDays: 30,
    referralAckDays: 10,
    crimeReferral: { minLossFen: 300_000, categories: ['三假', '伪造医学文书', '虚构医药服务'], agency: 'public-security' },
  };

  it('default to the built-in table, rules and periods when left out, typed as the domain expects', () => {
    const plan = parsePlan(YAML.stringify(validPlan()), 'test.yaml');
    const table: PenaltyTable = plan.penalties satisfies PenaltyTableSettings;
    const rules: PointsRules = plan.points satisfies PointsSettings;
    expect(table).toEqual(DEFAULT_PENALTY_TABLE);
    expect(rules).toEqual(DEFAULT_POINTS_RULES);
    expect(plan.cases).toEqual(DEFAULT_CASES);
    const agencies: AgencySettings = plan.agencies;
    expect(Object.keys(agencies).sort()).toEqual([...REFERRAL_AGENCIES].sort());
  });

  it('the sample plan states the built-in defaults and names all six agencies', async () => {
    const plan = await loadPlan(DEFAULT_PLAN_FILE);
    expect(plan.penalties).toEqual(DEFAULT_PENALTY_TABLE);
    expect(plan.points).toEqual(DEFAULT_POINTS_RULES);
    expect(plan.cases).toEqual(DEFAULT_CASES);
    expect(Object.keys(plan.agencies).sort()).toEqual([...REFERRAL_AGENCIES].sort());
    for (const agency of REFERRAL_AGENCIES) {
      expect(plan.agencies[agency].name).toMatch(/^清溪区/);
      expect(plan.agencies[agency].email).toMatch(/@example\.org$/);
    }
  });

  it('fills in what a plan leaves out of a section', () => {
    const input = validPlan();
    input.penalties = { secondApproverAboveFen: 0 };
    input.points = { suspensionMonths: { max: 3 } };
    input.cases = { decisionPeriodDays: 20, crimeReferral: { minLossFen: 1_000_000 } };
    const plan = parsePlan(YAML.stringify(input), 'test.yaml');
    expect(plan.penalties).toEqual({ ...DEFAULT_PENALTY_TABLE, secondApproverAboveFen: 0 });
    expect(plan.points).toEqual({ ...DEFAULT_POINTS_RULES, suspensionMonths: { min: 1, max: 3 } });
    expect(plan.cases).toEqual({
      ...DEFAULT_CASES,
      decisionPeriodDays: 20,
      crimeReferral: { ...DEFAULT_CASES.crimeReferral, minLossFen: 1_000_000 },
    });
  });

  it('refuses bad penalty articles, each by its path', () => {
    const plan = validPlan();
    const art38 = DEFAULT_PENALTY_TABLE.articles[0]!;
    plan.penalties = {
      defaultArticle: '39',
      secondApproverAboveFen: -1,
      articles: [
        { ...art38, minMultiple: 3, maxMultiple: 2 },
        { ...art38, minMultiple: 0, maxMultiple: 1.55, suspensionMonths: { min: 12, max: 6 } },
        { ...art38, article: '40', source: ' ', suspensionMonths: { min: 0, max: 13 } },
      ],
    };
    expect(problemsOf(plan)).toEqual([
      { path: 'penalties.articles[1].minMultiple', message: 'must be more than 0, got 0' },
      { path: 'penalties.articles[1].maxMultiple', message: 'expected a multiple in steps of 0.1 (e.g. 1.5), got 1.55' },
      { path: 'penalties.articles[2].source', message: 'must not be empty' },
      { path: 'penalties.articles[2].suspensionMonths.min', message: 'must be at least 1, got 0' },
      { path: 'penalties.articles[2].suspensionMonths.max', message: 'must be at most 12, got 13' },
      { path: 'penalties.secondApproverAboveFen', message: 'must be at least 0, got -1' },
      { path: 'penalties.articles[0].maxMultiple', message: '2 is below minMultiple 3' },
      { path: 'penalties.articles[1].article', message: 'duplicate article "38" (first at penalties.articles[0])' },
      { path: 'penalties.articles[1].suspensionMonths.max', message: '6 is below min 12' },
      { path: 'penalties.defaultArticle', message: 'unknown article "39" (penalties.articles has 38, 40)' },
    ]);
  });

  it('refuses an article number that is not a quoted number, and an empty table', () => {
    const plan = validPlan();
    plan.penalties = {
      defaultArticle: '第三十八条',
      articles: [{ ...DEFAULT_PENALTY_TABLE.articles[0]!, article: 38 as unknown as string }],
    };
    expect(problemsOf(plan)).toEqual([
      { path: 'penalties.defaultArticle', message: 'expected the article number in Arabic digits, e.g. "38", got "第三十八条"' },
      { path: 'penalties.articles[0].article', message: 'expected the article number in quotes, e.g. "38", got 38' },
    ]);
    plan.penalties = { articles: [] };
    expect(problemsOf(plan)).toEqual([{ path: 'penalties.articles', message: 'needs at least one article' }]);
  });

  it('checks the default article against the built-in articles when the plan gives none', () => {
    const plan = validPlan();
    plan.penalties = { defaultArticle: '40' };
    expect(parsePlan(YAML.stringify(plan), 'test.yaml').penalties.defaultArticle).toBe('40');
    plan.penalties = { defaultArticle: '39' };
    expect(problemsOf(plan)).toEqual([
      { path: 'penalties.defaultArticle', message: 'unknown article "39" (penalties.articles has 38, 40)' },
    ]);
  });

  it('refuses points tiers out of order, with gaps, or not ending at endAt', () => {
    const plan = validPlan();
    plan.points = {
      tiers: [
        { tier: 1, min: 2, max: 3 },
        { tier: 3, min: 4, max: 6 },
        { tier: 3, min: 8, max: 7 },
        { tier: 4, min: 8, max: 11 },
      ],
    };
    expect(problemsOf(plan)).toEqual([
      { path: 'points.tiers[0].min', message: 'the first tier starts at 1 point, got 2' },
      { path: 'points.tiers[1].tier', message: 'expected tier 2 here (tiers are listed in order from 1), got 3' },
      { path: 'points.tiers[2].min', message: "expected 7 (right after the previous tier's max 6), got 8" },
      { path: 'points.tiers[2].max', message: '7 is below min 8' },
      { path: 'points.tiers[3].max', message: 'the last tier ends at 11, but endAt is 12: the scale ends where eligibility ends' },
    ]);
  });

  it('refuses thresholds out of order, reporting a bad value once', () => {
    const plan = validPlan();
    plan.points = {
      tiers: [{ tier: 5 as 4, min: 1, max: 12 }],
      suspendAt: 12,
      suspensionMonths: { min: 4, max: 2 },
      barYears: 3,
      barYearsAtOnce: 2,
    };
    expect(problemsOf(plan)).toEqual([
      { path: 'points.tiers[0].tier', message: 'got 5: one of 1, 2, 3, 4' },
      { path: 'points.suspendAt', message: 'must be below endAt 12, got 12' },
      { path: 'points.suspensionMonths.max', message: '2 is below min 4' },
      { path: 'points.barYearsAtOnce', message: 'must be at least barYears 3, got 2' },
    ]);
    plan.points = { endAt: 0, barYears: 4 };
    expect(problemsOf(plan)).toEqual([
      { path: 'points.endAt', message: 'must be at least 1, got 0' },
      { path: 'points.barYearsAtOnce', message: 'must be at least barYears 4, got 3' },
    ]);
  });

  it('refuses bad case periods and crime referral settings', () => {
    const plan = validPlan();
    set((plan.cases = { decisionPeriodDays: 0, reminderOffsetsDays: [7, 7], maxEscalations: -1 }), 'crimeReferral', {
      minLossFen: 1.5,
      categories: [],
      agency: 'police',
    });
    set(plan.cases, 'referalAckDays', 10);
    expect(problemsOf(plan)).toEqual([
      { path: 'cases.decisionPeriodDays', message: 'must be at least 1, got 0' },
      { path: 'cases.reminderOffsetsDays[1]', message: 'duplicate offset 7' },
      { path: 'cases.maxEscalations', message: 'must be at least 0, got -1' },
      { path: 'cases.crimeReferral.minLossFen', message: 'expected an integer, got 1.5' },
      { path: 'cases.crimeReferral.categories', message: 'needs at least one category' },
      {
        path: 'cases.crimeReferral.agency',
        message: 'got "police": one of "public-security", "health", "market", "drug", "discipline", "judiciary"',
      },
      { path: 'cases.referalAckDays', message: 'unknown key' },
    ]);
  });

  it('takes each case period as a number of calendar days or as a period, kept as given', () => {
    const plan = validPlan();
    plan.cases = { paymentPeriodDays: { workingDays: 10 }, referralAckDays: { days: 7 }, decisionPeriodDays: 20 };
    plan.rectification = { periodDays: { workingDays: 20 } };
    const parsed = parsePlan(YAML.stringify(plan), 'test.yaml');
    expect(parsed.cases).toMatchObject({
      paymentPeriodDays: { workingDays: 10 },
      referralAckDays: { days: 7 },
      decisionPeriodDays: 20,
      paymentLateWindowDays: 30,
    });
    expect(parsed.rectification).toEqual({ periodDays: { workingDays: 20 }, reminderOffsetsDays: [7, 1], recheckWindowDays: 15 });
  });

  it('names a bad case period by its path', () => {
    const plan = validPlan();
    plan.cases = { paymentPeriodDays: { workingDays: 0 }, interviewPeriodDays: { days: 5, workingDays: 5 } };
    set(plan.cases, 'escalationWindowDays', { weeks: 2 });
    plan.rectification = { recheckWindowDays: { workingDays: 1.5 } };
    expect(problemsOf(plan)).toEqual([
      { path: 'rectification.recheckWindowDays.workingDays', message: 'expected an integer, got 1.5' },
      { path: 'cases.escalationWindowDays.weeks', message: 'unknown key' },
      { path: 'cases.interviewPeriodDays', message: 'give exactly one of days, workingDays, e.g. { workingDays: 5 } or { days: 30 }' },
      { path: 'cases.paymentPeriodDays.workingDays', message: 'must be at least 1, got 0' },
    ]);
  });

  it('requires every agency with a name and an e-mail address', () => {
    const plan = validPlan();
    Reflect.deleteProperty(plan.agencies, 'drug');
    set(plan.agencies, 'police', { name: '公安', email: 'x@example.org' });
    set(plan.agencies.health, 'email', 'health');
    plan.agencies.judiciary.name = ' ';
    expect(problemsOf(plan)).toEqual([
      { path: 'agencies.health.email', message: 'expected an e-mail address, got "health"' },
      { path: 'agencies.drug', message: 'required' },
      { path: 'agencies.judiciary.name', message: 'must not be empty' },
      { path: 'agencies.police', message: 'unknown key' },
    ]);
    const none = validPlan();
    Reflect.deleteProperty(none, 'agencies');
    expect(problemsOf(none)).toEqual([{ path: 'agencies', message: 'required' }]);
  });

  it('reports the new sections together with the rest of the plan', () => {
    const plan = validPlan();
    plan.institutions[1]!.responsibleUnitId = 'xyz';
    plan.penalties = { defaultArticle: '40', articles: [DEFAULT_PENALTY_TABLE.articles[0]!] };
    plan.points = { endAt: 9 };
    set((plan.cases = {}), 'paymentPeriodDays', 'two weeks');
    expect(problemsOf(plan)).toEqual([
      {
        path: 'cases.paymentPeriodDays',
        message: 'expected a number of calendar days or a period { days: n } / { workingDays: n }, got "two weeks"',
      },
      { path: 'institutions[1].responsibleUnitId', message: 'unknown responsible unit "xyz"' },
      { path: 'penalties.defaultArticle', message: 'unknown article "40" (penalties.articles has 38)' },
      { path: 'points.tiers[3].max', message: 'the last tier ends at 12, but endAt is 9: the scale ends where eligibility ends' },
      { path: 'points.suspendAt', message: 'must be below endAt 9, got 9' },
    ]);
  });

  it('accepts sanction conditions in credit rules and refuses unknown rungs', () => {
    const plan = validPlan();
    plan.creditRules = {
      rules: [
        { grade: 'E', when: { minSanction: 'termination' } },
        { grade: 'D', when: { minSanction: 'warning' as 'interview' } },
      ],
    };
    expect(problemsOf(plan)).toEqual([
      {
        path: 'creditRules.rules[1].when.minSanction',
        message: 'got "warning": one of "interview", "suspension", "termination", "blacklist"',
      },
    ]);
    plan.creditRules.rules!.pop();
    expect(parsePlan(YAML.stringify(plan), 'test.yaml').creditRules.rules).toEqual([{ grade: 'E', when: { minSanction: 'termination' } }]);
  });
});

describe('calendar.annualCycle and closureReview', () => {
  it('default to 00:05 on 1 January with a 30-day catch-up, and escalations every 15 days, 3 in all', async () => {
    const plan = parsePlan(YAML.stringify(validPlan()), 'test.yaml');
    expect(plan.calendar.annualCycle).toEqual({ startTime: '00:05', catchupWindowDays: 30 });
    expect(plan.closureReview).toEqual({ escalationWindowDays: 15, maxEscalations: 3 });
    const sample = await loadPlan(DEFAULT_PLAN_FILE);
    expect(sample.closureReview).toEqual(plan.closureReview);
  });

  it('refuses a bad start time, catch-up window or escalation setting, each by its path', () => {
    const plan = validPlan();
    set(plan.calendar, 'annualCycle', { startTime: '24:00', catchupWindowDays: 365 });
    set(plan, 'closureReview', { escalationWindowDays: 0, maxEscalations: 1.5 });
    expect(pathsOf(plan)).toEqual([
      'calendar.annualCycle.catchupWindowDays',
      'calendar.annualCycle.startTime',
      'closureReview.escalationWindowDays',
      'closureReview.maxEscalations',
    ]);
    set(plan.calendar, 'annualCycle', { catchupWindowDays: 0 });
    set(plan, 'closureReview', { maxEscalations: 0, every: 3 });
    expect(problemsOf(plan)).toEqual([
      { path: 'calendar.annualCycle.catchupWindowDays', message: 'must be at least 1, got 0' },
      { path: 'closureReview.maxEscalations', message: 'must be at least 1, got 0' },
      { path: 'closureReview.every', message: 'unknown key' },
    ]);
  });
});

describe('loadPlan', () => {
  it('names a file that cannot be read', async () => {
    const file = path.join(__dirname, 'no-such-plan.yaml');
    const err = await loadPlan(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PlanError);
    expect((err as PlanError).message).toContain(`Cannot read jurisdiction plan file ${file}`);
    expect((err as PlanError).message).toContain('ENOENT');
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// Runtime configuration

describe('loadRuntimeConfig', () => {
  it('has defaults for everything', () => {
    expect(loadRuntimeConfig({})).toEqual({
      temporal: { address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'jianguan', uiPort: 8233 },
      dataDir: 'var',
      ledgerPort: 7432,
      mail: { outboxDir: 'var/outbox', from: '医保基金监管 <jianguan@localhost>' },
      logLevel: 'info',
      planFile: DEFAULT_PLAN_FILE,
      worker: {},
      codec: {
        keys: { source: 'generated', file: 'var/codec-keys' },
        token: { source: 'generated', file: 'var/codec-token' },
        address: '127.0.0.1:8234',
        origins: ['http://localhost:8233', 'http://127.0.0.1:8233'],
      },
    });
    expect(path.isAbsolute(DEFAULT_PLAN_FILE)).toBe(true);
    expect(DEFAULT_PLAN_FILE).toBe(path.resolve(__dirname, '../../config/plans/demo.yaml'));
  });

  it('treats blank variables as unset', () => {
    expect(loadRuntimeConfig({ TEMPORAL_UI_PORT: '', DATABASE_URL: '  ', LOG_LEVEL: '' })).toEqual(loadRuntimeConfig({}));
  });

  it('takes overrides', () => {
    const config = loadRuntimeConfig({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_NAMESPACE: 'jianguan-prod',
      TEMPORAL_TASK_QUEUE: 'jianguan-349901',
      TEMPORAL_TLS: 'true',
      TEMPORAL_TLS_CERT: '/etc/jianguan/client.pem',
      TEMPORAL_TLS_KEY: '/etc/jianguan/client.key',
      TEMPORAL_TLS_CA: '/etc/jianguan/ca.pem',
      TEMPORAL_UI_PORT: '18233',
      JIANGUAN_DATA_DIR: '/srv/jianguan',
      DATABASE_URL: 'postgresql://jianguan@127.0.0.1:5432/test',
      LEDGER_PORT: '15433',
      SMTP_HOST: 'mail.example.org',
      SMTP_PORT: '465',
      SMTP_SECURE: 'true',
      SMTP_USER: 'jianguan',
      SMTP_PASS: 's3cret',
      MAIL_FROM: 'noreply@example.org',
      LOG_LEVEL: 'debug',
      JIANGUAN_PLAN: '/etc/jianguan/plan.yaml',
      WORKER_MAX_CACHED_WORKFLOWS: '2000',
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '80',
      WORKER_MAX_CONCURRENT_ACTIVITIES: '50',
      WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: '60',
    });
    expect(config).toEqual({
      temporal: {
        address: 'temporal.internal:7233',
        namespace: 'jianguan-prod',
        taskQueue: 'jianguan-349901',
        tls: {
          caFile: '/etc/jianguan/ca.pem',
          clientCertPair: { certFile: '/etc/jianguan/client.pem', keyFile: '/etc/jianguan/client.key' },
        },
        uiPort: 18233,
      },
      dataDir: '/srv/jianguan',
      databaseUrl: 'postgresql://jianguan@127.0.0.1:5432/test',
      ledgerPort: 15433,
      mail: {
        outboxDir: '/srv/jianguan/outbox',
        smtp: { host: 'mail.example.org', port: 465, secure: true, auth: { user: 'jianguan', pass: 's3cret' } },
        from: 'noreply@example.org',
      },
      logLevel: 'debug',
      planFile: '/etc/jianguan/plan.yaml',
      worker: {
        maxCachedWorkflows: 2000,
        maxConcurrentWorkflowTaskExecutions: 80,
        maxConcurrentActivityTaskExecutions: 50,
        maxConcurrentLocalActivityExecutions: 60,
      },
      codec: {
        keys: { source: 'generated', file: '/srv/jianguan/codec-keys' },
        token: { source: 'generated', file: '/srv/jianguan/codec-token' },
        address: '127.0.0.1:8234',
        origins: ['http://localhost:18233', 'http://127.0.0.1:18233'],
      },
    });
  });

  it('leaves the worker capacity to the SDK unless set', () => {
    expect(loadRuntimeConfig({}).worker).toEqual({});
    expect(loadRuntimeConfig({ WORKER_MAX_CACHED_WORKFLOWS: '0' }).worker).toEqual({ maxCachedWorkflows: 0 });
  });

  it('serves the worker metrics only where asked, at a host:port', () => {
    expect(loadRuntimeConfig({}).metricsAddress).toBeUndefined();
    expect(loadRuntimeConfig({ WORKER_METRICS_ADDRESS: '0.0.0.0:9464' }).metricsAddress).toBe('0.0.0.0:9464');
    expect(() => loadRuntimeConfig({ WORKER_METRICS_ADDRESS: '9464' })).toThrow(/WORKER_METRICS_ADDRESS: /);
  });

  it('reads SMTP settings from SMTP_URL', () => {
    expect(loadRuntimeConfig({ SMTP_URL: 'smtps://user%40corp:p%3Ass@mail.example.org' }).mail.smtp).toEqual({
      host: 'mail.example.org',
      port: 465,
      secure: true,
      auth: { user: 'user@corp', pass: 'p:ss' },
    });
    expect(loadRuntimeConfig({ SMTP_URL: 'smtp://127.0.0.1:1025' }).mail.smtp).toEqual({ host: '127.0.0.1', port: 1025, secure: false });
  });

  it('turns TLS on for certificates, and off only when asked', () => {
    expect(loadRuntimeConfig({ TEMPORAL_TLS_CA: 'ca.pem' }).temporal.tls).toEqual({ caFile: 'ca.pem' });
    expect(loadRuntimeConfig({ TEMPORAL_TLS: 'true' }).temporal.tls).toEqual({});
    expect(loadRuntimeConfig({ TEMPORAL_TLS: 'false' }).temporal.tls).toBeUndefined();
  });

  it('resolves a relative plan path against the working directory', () => {
    expect(loadRuntimeConfig({ JIANGUAN_PLAN: 'plans/x.yaml' }).planFile).toBe(path.resolve('plans/x.yaml'));
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadRuntimeConfig({
        TEMPORAL_ADDRESS: 'localhost',
        TEMPORAL_UI_PORT: 'abc',
        TEMPORAL_TLS: 'yes',
        TEMPORAL_TLS_CERT: 'client.pem',
        DATABASE_URL: 'mysql://root:hunter2@db/jianguan',
        LEDGER_PORT: '70000',
        SMTP_URL: 'smtp://mail.example.org',
        SMTP_PORT: '25',
        MAIL_FROM: 'nobody',
        LOG_LEVEL: 'loud',
        WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '1',
        WORKER_MAX_CACHED_WORKFLOWS: 'many',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    expect(problems.map((p) => p.variable).sort()).toEqual([
      'DATABASE_URL',
      'LEDGER_PORT',
      'LOG_LEVEL',
      'MAIL_FROM',
      'SMTP_PORT',
      'TEMPORAL_ADDRESS',
      'TEMPORAL_TLS',
      'TEMPORAL_TLS_KEY',
      'TEMPORAL_UI_PORT',
      'WORKER_MAX_CACHED_WORKFLOWS',
      'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
    ]);
    expect(message).toContain('WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: expected a whole number of at least 2, got "1"');
    expect(message).toContain('WORKER_MAX_CACHED_WORKFLOWS: expected a whole number of at least 0, got "many"');
    expect(message).toContain('TEMPORAL_UI_PORT: expected an integer 1-65535, got "abc"');
    expect(message).toContain('LEDGER_PORT: expected an integer 1-65535, got "70000"');
    expect(message).toContain('TEMPORAL_TLS_KEY: required when TEMPORAL_TLS_CERT is set');
    expect(message).toContain('SMTP_PORT: cannot be combined with SMTP_URL');
    expect(message).toContain('LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"');
    // A password in a bad URL never reaches the message (it would end up in logs).
    expect(message).toContain('DATABASE_URL: expected a postgres:// or postgresql:// URL, got "mysql://root:***@db/jianguan"');
    expect(message).not.toContain('hunter2');
  });

  it('refuses incomplete combinations', () => {
    const variables = (env: NodeJS.ProcessEnv) => {
      try {
        loadRuntimeConfig(env);
      } catch (err) {
        return (err as ConfigError).problems.map((p) => `${p.variable}: ${p.message}`);
      }
      return [];
    };
    expect(variables({ TEMPORAL_TLS_KEY: 'k.pem' })).toEqual(['TEMPORAL_TLS_CERT: required when TEMPORAL_TLS_KEY is set']);
    expect(variables({ TEMPORAL_TLS: 'false', TEMPORAL_TLS_CA: 'ca.pem' })).toEqual(['TEMPORAL_TLS_CA: set, but TEMPORAL_TLS is "false"']);
    expect(variables({ SMTP_HOST: 'mail.example.org' })).toEqual(['SMTP_PORT: required when SMTP_HOST is set']);
    expect(variables({ SMTP_HOST: 'mail.example.org', SMTP_PORT: '587', SMTP_USER: 'u' })).toEqual([
      'SMTP_PASS: required when SMTP_USER is set',
    ]);
    expect(variables({ SMTP_USER: 'u', SMTP_PASS: 'p' })).toEqual([
      'SMTP_USER: set, but SMTP_HOST is not',
      'SMTP_PASS: set, but SMTP_HOST is not',
    ]);
  });
});

describe('holidayCalendarWarnings', () => {
  const { last } = holidayCalendarYears();
  // Noon in the middle of the year, so the local year is that year in Asia/Shanghai too.
  const inYear = (year: number) => new Date(`${year}-06-15T04:00:00Z`);
  // The clue limits in calendar days: what counts working days is then only what a test sets.
  const withStatementPeriod = (statementPeriod: { days: number } | { workingDays: number }) =>
    parsePlan(YAML.stringify({ ...validPlan(), clues: CALENDAR_DAY_CLUES, flyingCheck: { statementPeriod } }), 'test.yaml');

  it('warns, naming the field and the year, when working days may reach a year without the official calendar', () => {
    const warnings = holidayCalendarWarnings(withStatementPeriod({ workingDays: 5 }), inYear(last));
    expect(warnings).toEqual([
      expect.stringContaining(
        `flyingCheck.statementPeriod (5 working days), but the official holiday calendar of ${last + 1} is not loaded`,
      ),
    ]);
    expect(holidayCalendarWarnings(withStatementPeriod({ workingDays: 5 }), inYear(last + 1))).toHaveLength(2);
  });

  it('names a case period in working days too', () => {
    const plan = {
      ...validPlan(),
      clues: CALENDAR_DAY_CLUES,
      flyingCheck: { statementPeriod: { days: 5 } },
      cases: { paymentPeriodDays: { workingDays: 10 } },
    };
    expect(holidayCalendarWarnings(parsePlan(YAML.stringify(plan), 'test.yaml'), inYear(last))).toEqual([
      expect.stringContaining(`the plan counts working days in cases.paymentPeriodDays (10 working days), but`),
    ]);
  });

  it('says nothing when the years are covered, or the plan counts calendar days only before the 1-November look-ahead', () => {
    expect(holidayCalendarWarnings(withStatementPeriod({ workingDays: 5 }), inYear(last - 1))).toEqual([]);
    expect(holidayCalendarWarnings(withStatementPeriod({ days: 5 }), inYear(last))).toEqual([]);
    // From 1 November on, and in an uncovered year itself, it warns whatever the plan counts in (test/unit/holidays.test.ts).
    expect(holidayCalendarWarnings(withStatementPeriod({ days: 5 }), inYear(last + 1))).toEqual([
      expect.stringContaining(`the official holiday calendar of ${last + 1} is not loaded`),
    ]);
  });
});
