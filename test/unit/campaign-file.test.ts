// Campaign files: the target selectors (domain/campaign-file.ts) and the file's checks against the plan
// (config/campaign/), every problem by its path, without a server.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN_FILE, loadPlan, PlanError } from '../../config';
import { DEMO_CAMPAIGN_FILE, loadCampaignFile, parseCampaignFile } from '../../config/campaign';
import { phaseDates, phasesOutsideYear, selectTargets, type TargetCandidate } from '../../domain/campaign-file';

const candidate = (id: string, over: Partial<TargetCandidate> = {}): TargetCandidate => ({
  id,
  kind: 'hospital',
  level: 'II',
  ownership: 'public',
  district: '城关街道',
  responsibleUnitId: 'unit-1',
  riskSignals: 0,
  lastYearFindings: 0,
  creditGrade: null,
  ...over,
});

describe('selectTargets', () => {
  const pool = [
    candidate('H3'),
    candidate('H1', { level: 'I', ownership: 'private' }),
    candidate('P2', { kind: 'pharmacy', level: null, ownership: 'private', district: '江南街道' }),
    candidate('H4', { riskSignals: 2, creditGrade: 'D' }),
    candidate('H5', { lastYearFindings: 1, responsibleUnitId: 'unit-2' }),
  ];

  it('takes every criterion of a selector together and any selector, in id order, saying which picked each', () => {
    // 以二级及以下医疗机构、民营医疗机构为重点 (seed 003): two selectors.
    const picked = selectTargets([{ kind: 'hospital', level: ['I', 'II'], ownership: 'public' }, { ownership: 'private' }], pool);
    expect(picked).toEqual([
      { id: 'H1', selectors: [1] },
      { id: 'H3', selectors: [0] },
      { id: 'H4', selectors: [0] },
      { id: 'H5', selectors: [0] },
      { id: 'P2', selectors: [1] },
    ]);
  });

  it('reads the ledger figures: risk signals, last year’s findings, the credit grade; explicit lists; all', () => {
    const ids = (s: Parameters<typeof selectTargets>[0]) => selectTargets(s, pool).map((t) => t.id);
    expect(ids([{ riskSignals: true }])).toEqual(['H4']);
    expect(ids([{ lastYearFindings: true }])).toEqual(['H5']);
    expect(ids([{ creditGrade: ['D', 'E'] }])).toEqual(['H4']);
    expect(ids([{ institutions: ['P2', 'H9'] }])).toEqual(['P2']);
    expect(ids([{ district: '江南街道' }, { responsibleUnit: 'unit-2' }])).toEqual(['H5', 'P2']);
    expect(ids([{ all: true }])).toEqual(['H1', 'H3', 'H4', 'H5', 'P2']);
  });
});

describe('phaseDates', () => {
  it('fixes relative phases from the start in the zone, each after the one before', () => {
    const startedAt = new Date('2026-06-30T17:00:00Z'); // 1 July 01:00 in Shanghai
    expect(
      phaseDates(
        [
          { name: '自查自纠', end: { days: 30 } },
          { name: '严肃查处', end: '2026-10-31' },
          { name: '建章立制', start: '2026-11-15', end: { days: 10 } },
        ],
        startedAt,
        'Asia/Shanghai',
      ),
    ).toEqual([
      { name: '自查自纠', startsOn: '2026-07-01', endsOn: '2026-07-31' },
      { name: '严肃查处', startsOn: '2026-08-01', endsOn: '2026-10-31' },
      { name: '建章立制', startsOn: '2026-11-15', endsOn: '2026-11-25' },
    ]);
  });

  it('names the phases a start fixes outside the year the file gives', () => {
    const fixed = phaseDates(
      [
        { name: '自查自纠', end: { days: 30 } },
        { name: '严肃查处', end: { days: 40 } },
      ],
      new Date('2026-11-30T16:00:00Z'), // 1 December in Shanghai
      'Asia/Shanghai',
    );
    expect(phasesOutsideYear(fixed, 2026)).toEqual([
      "phases[1].start: 2027-01-01 is outside the campaign's year 2026",
      "phases[1].end: 2027-02-10 is outside the campaign's year 2026",
    ]);
    expect(phasesOutsideYear(fixed.slice(0, 1), 2026)).toEqual([]);
  });
});

describe('campaign files', () => {
  it('accepts the demo campaign and a special campaign with its responsible tasks (seed 002)', async () => {
    const plan = await loadPlan(DEFAULT_PLAN_FILE);
    expect(loadCampaignFile(DEMO_CAMPAIGN_FILE, plan)).toMatchObject({ kind: 'targeted', claimsOnSite: false, targets: [{ all: true }] });
    const sample = loadCampaignFile(path.join(path.dirname(DEMO_CAMPAIGN_FILE), 'special.yaml'), plan);
    expect(sample).toMatchObject({ kind: 'special', tasks: { length: 5 }, selfCheck: { checklist: { length: 5 } } });
    const special = parseCampaignFile(
      `id: special-2026
kind: special
title: 医保基金管理突出问题专项整治
legalBasis: [《医疗保障基金使用监督管理条例》第三十八条、第四十条]
year: 2026
targets: [{ all: true }]
phases:
  - { name: 自查自纠, start: 2026-07-15, end: 2026-08-31 }
  - { name: 严肃查处, end: 2026-10-31 }
  - { name: 建章立制, end: 2026-12-15 }
tasks:
  - content: 整治欺诈骗保和违规使用医保基金问题
    measures: [组织定点医药机构对照典型问题清单开展自查自纠]
    leader: ${plan.leaders[0].id}
    units: [${plan.responsibleUnits[0].id}]
    deadline: 2026-12-31
    ongoing: true
selfCheck:
  checklist:
    - { category: 虚假诊疗, description: 诱导、协助他人冒名就医、虚构住院 }
`,
      'special.yaml',
      plan,
    );
    expect(special.tasks[0]).toMatchObject({ deadline: '2026-12-31', ongoing: true });
    expect(special.selfCheck).toEqual({
      checklist: [{ category: '虚假诊疗', description: '诱导、协助他人冒名就医、虚构住院' }],
      estimates: [],
    });
  });

  it('holds a special campaign to three phases and its self-check list, and the other kinds to neither section', async () => {
    const plan = await loadPlan(DEFAULT_PLAN_FILE);
    const problems = (text: string) => {
      try {
        parseCampaignFile(text, 'c.yaml', plan);
        return [];
      } catch (error) {
        return (error as PlanError).problems.map((p) => `${p.path}: ${p.message}`);
      }
    };
    const head = (kind: string) => `id: c1\nkind: ${kind}\ntitle: 专项\nlegalBasis: [依据]\ntargets: [{ all: true }]\n`;
    expect(
      problems(`${head('special')}phases:\n  - { name: 自查自纠, end: 2026-08-31 }\n  - { name: 严肃查处, end: 2026-10-31 }\n`),
    ).toEqual([
      'phases: a special campaign has three phases (自查自纠, 严肃查处, 建章立制), got 2',
      'selfCheck: a special campaign needs its self-check list (selfCheck.checklist)',
    ]);
    const phases = `phases:\n  - { name: 自查自纠, start: 2026-07-01, end: 2026-08-31 }\n  - { name: 严肃查处, end: 2026-10-31 }\n  - { name: 建章立制, end: 2026-12-15 }\n`;
    expect(
      problems(
        `${head('special')}${phases}selfCheck:\n  checklist: []\n  reportDue: 2026-09-10\n  estimates: [{ institution: H00000000000, amountFen: -1, source: 测算 }]\ninvestigation: { randomPercent: 120 }\n`,
      ),
    ).toEqual([
      'selfCheck.checklist: needs at least 1 item(s)',
      'selfCheck.estimates[0].amountFen: must be at least 0, got -1',
      'investigation.randomPercent: must be at most 100, got 120',
      'selfCheck.estimates[0].institution: institution "H00000000000" is not in the plan',
      "selfCheck.reportDue: 2026-09-10 is after the self-check phase's end 2026-08-31",
    ]);
    // Reminders that would come before the phase starts: the file's own offsets, or the plan's (30, 14, 7, 1).
    const checklist = '  checklist: [{ category: 甲, description: 乙 }]\n';
    expect(
      problems(`${head('special')}${phases}selfCheck:\n${checklist}  reportDue: { days: 10 }\n  reminderOffsetsDays: [14, 7]\n`),
    ).toEqual([
      'selfCheck.reminderOffsetsDays[0]: a reminder 14 days before the reports are due (this offset) would come before the self-check phase starts, 10 days earlier: it would never be sent',
    ]);
    expect(problems(`${head('special')}${phases}selfCheck:\n${checklist}  reportDue: 2026-07-21\n`)).toEqual([
      "selfCheck.reportDue: a reminder 30 days before the reports are due (the plan's reminders.offsetsDays) would come before the self-check phase starts, 20 days earlier: it would never be sent",
    ]);
    expect(problems(`${head('targeted')}${phases}selfCheck:\n  checklist: [{ category: 甲, description: 乙 }]\n`)).toEqual([
      'selfCheck: only a special campaign has selfCheck (this one is targeted)',
    ]);
  });

  it('names every problem by its path, type errors and references to the plan together', async () => {
    const plan = await loadPlan(DEFAULT_PLAN_FILE);
    const bad = `id: "bad id"
kind: sweeping
title: 检查
legalBasis: []
year: 2026
targets:
  - {}
  - { all: true, kind: hospital }
  - { institutions: [H00000000000], district: 火星街道, responsibleUnit: nobody, creditGrade: F }
phases:
  - { name: 一, start: 2026-05-01, end: 2026-04-01 }
  - { name: 二, start: 2026-03-15, end: 2027-01-31 }
  - { name: 三, end: 2026-02-30 }
tasks:
  - { content: 任务, measures: [措施], leader: nobody, units: [nobody], deadline: 2026-12-31, extra: 1 }
`;
    let error: unknown;
    try {
      parseCampaignFile(bad, 'bad.yaml', plan);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PlanError);
    const paths = (error as PlanError).problems.map((p) => `${p.path}: ${p.message}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^id: expected an id/),
        expect.stringMatching(/^kind: got "sweeping": one of "targeted", "special", "recheck"/),
        'legalBasis: needs at least 1 item(s)',
        expect.stringMatching(/^targets\[0\]: give at least one of/),
        'targets[1]: all: true picks every institution: leave out kind',
        'targets[2].creditGrade: expected a credit grade A–E or a list of them, got "F"',
        'targets[2].institutions[0]: institution "H00000000000" is not in the plan',
        'targets[2].district: no institution of the plan is in district "火星街道"',
        'targets[2].responsibleUnit: responsible unit "nobody" is not in the plan',
        "phases[0].end: 2026-04-01 is before the phase's start 2026-05-01",
        "phases[1].start: 2026-03-15 is not after the previous phase's end 2026-04-01",
        "phases[1].end: 2027-01-31 is outside the campaign's year 2026",
        expect.stringMatching(/^phases\[2\]\.end: expected a date/),
        'tasks[0].leader: leader "nobody" is not in the plan',
        'tasks[0].units[0]: responsible unit "nobody" is not in the plan',
        'tasks[0].extra: unknown key',
      ]),
    );
    expect((error as PlanError).message).toMatch(/^Invalid campaign file bad\.yaml \(\d+ problems\)/);
  });
});
