// The rehearsal's rules without a server (domain/rehearsal.ts): the answering shares, the timeline's grouping by local
// date and its counts, the milestones from a campaign's phases and from the plan's calendar, the cohorts of --cohorts,
// what it says of a re-check's sample, the line on the histories.
import { describe, expect, it } from 'vitest';
import { dayInstant, phaseDates } from '../../domain/campaign-file';
import { formatLocal, localInstant } from '../../domain/calendar';
import {
  answeringOf,
  campaignMilestones,
  cohortsOf,
  cohortWeight,
  historyLine,
  noticeLabel,
  parsePercent,
  recheckRehearsalLines,
  timelineLines,
  yearMilestones,
  type Answering,
} from '../../domain/rehearsal';

const TZ = 'Asia/Shanghai';
const ids = Array.from({ length: 200 }, (_, i) => `H${String(i).padStart(4, '0')}`);
const none = { silentPercent: 0, latePercent: 0, silent: [], late: [], seed: 's' };

describe('parsePercent', () => {
  it('takes 10%, 10, 2.5% and 100; refuses the rest', () => {
    expect([parsePercent('10%'), parsePercent('10'), parsePercent(' 2.5 % '), parsePercent('100')]).toEqual([10, 10, 2.5, 100]);
    for (const bad of ['', '%', 'ten', '-5%', '101%', '1e2', '10%%']) expect(parsePercent(bad), bad).toBeUndefined();
  });
});

describe('answeringOf', () => {
  const count = (m: Map<string, string>, a: string) => [...m.values()].filter((v) => v === a).length;

  it('draws exact shares, the same for the same seed, others for another', () => {
    const a = answeringOf(ids, { ...none, silentPercent: 10, latePercent: 5 });
    expect([count(a, 'silent'), count(a, 'late'), count(a, 'on-time')]).toEqual([20, 10, 170]);
    expect(answeringOf(ids, { ...none, silentPercent: 10, latePercent: 5 })).toEqual(a);
    expect(answeringOf(ids, { ...none, silentPercent: 10, latePercent: 5, seed: 'other' })).not.toEqual(a);
  });

  it('lets named ids override the draw, silent before late', () => {
    const a = answeringOf(ids, { ...none, silent: ['H0001'], late: ['H0001', 'H0002'] });
    expect([a.get('H0001'), a.get('H0002'), a.get('H0003')]).toEqual(['silent', 'late', 'on-time']);
  });

  it('answers on time by default', () => {
    expect(count(answeringOf(ids, none), 'on-time')).toBe(ids.length);
  });
});

describe('timelineLines', () => {
  // 2027-07-24 01:00 +08:00 is 2027-07-23 in UTC: the date heading must be the plan's.
  const at = new Date('2027-07-23T17:00:00Z');
  it('groups by local date and time, counts what many share, and orders phases before notices', () => {
    const notices = Array.from({ length: 1234 }, () => ({ at, label: '催办', subject: '→ 定点医疗机构', measure: '家' }));
    const lines = timelineLines(
      [
        ...notices,
        // Stamped later within the minute: the line still sorts by its subject, as every run does.
        { at: new Date(at.getTime() + 5), label: '催办', subject: '→ 基金监管股', measure: '份' },
        { at, label: '阶段开始', subject: '严肃查处' },
        { at: new Date('2027-07-24T01:00:00Z'), label: '逾期督办', subject: '→ 局长', measure: '份' },
      ],
      TZ,
    );
    expect(lines).toEqual([
      '2027-07-24',
      '  01:00  阶段开始  严肃查处',
      '  01:00  催办  → 基金监管股',
      '  01:00  催办  → 定点医疗机构 × 1,234 家',
      '  09:00  逾期督办  → 局长',
    ]);
  });

  it('reads the tag of a notice', () => {
    expect(noticeLabel('【逾期督办】某某：3 家')).toBe('逾期督办');
    expect(noticeLabel('无标签')).toBe('无标签');
  });
});

describe('milestones', () => {
  it("puts a campaign's phases at their first day's 00:00 and last day's end of day, deadlines at end of day", () => {
    const phases = phaseDates(
      [
        { name: '自查自纠', end: { days: 10 } },
        { name: '严肃查处', end: { days: 5 } },
      ],
      new Date('2027-03-01T02:00:00Z'),
      TZ,
    );
    const events = campaignMilestones(phases, [{ what: '自查报告', date: '2027-03-08' }], '23:30', TZ);
    expect(events.map((e) => `${formatLocal(e.at, TZ)} ${e.label} ${e.subject}`)).toEqual([
      '2027-03-01 00:00 阶段开始 自查自纠',
      '2027-03-11 23:30 阶段结束 自查自纠',
      '2027-03-12 00:00 阶段开始 严肃查处',
      '2027-03-17 23:30 阶段结束 严肃查处',
      '2027-03-08 23:30 期限 自查报告',
    ]);
    expect(events[0].at).toEqual(dayInstant('2027-03-01', '00:00', TZ));
  });

  it("puts the year's parts at the plan's dates", () => {
    const calendar = {
      coverage: { start: '02-01', deadline: '07-31', deadlineTime: '18:00' },
      closureReview: { start: '03-01', deadline: '03-31' },
      flyingChecks: { start: '07-01', end: '12-15' },
      yearEndSummary: '12-18',
      endOfDay: '23:59',
    };
    const events = yearMilestones(2027, calendar, '09:00', TZ);
    const find = (label: string, subject: string) => events.find((e) => e.label === label && e.subject === subject)?.at;
    expect(find('期限', '全覆盖现场检查')).toEqual(localInstant(2027, '07-31', '18:00', TZ));
    expect(find('期限', '2026年案件结案检查')).toEqual(localInstant(2027, '03-31', '23:59', TZ));
    expect(find('期限', '年度总结')).toEqual(localInstant(2027, '12-18', '09:00', TZ));
  });
});

describe('cohorts', () => {
  const pharmacy = (id: string, over: Partial<{ district: string; responsibleUnitId: string; ownership: string }> = {}) => ({
    id,
    kind: 'pharmacy',
    level: null,
    ownership: 'private',
    district: '城关街道',
    responsibleUnitId: 'fund-supervision',
    ...over,
  });
  const onTime = new Map<string, Answering>();

  it('puts alike institutions together under their first id, and apart on any trait or answering', () => {
    const institutions = [
      pharmacy('P3'),
      pharmacy('P1'),
      pharmacy('P2'),
      pharmacy('P4', { district: '滨江街道' }),
      pharmacy('P5', { responsibleUnitId: 'medical-services' }),
      pharmacy('P6', { ownership: 'public' }),
      { ...pharmacy('H1'), kind: 'hospital', level: 'II' },
      { ...pharmacy('H2'), kind: 'hospital', level: 'III' },
      pharmacy('P7'),
    ];
    const cohorts = cohortsOf(institutions, new Map([['P7', 'silent']]), new Set());
    expect(cohorts.get('P1')).toEqual(['P1', 'P2', 'P3']);
    expect([...cohorts.keys()].sort()).toEqual(['H1', 'H2', 'P1', 'P4', 'P5', 'P6', 'P7']);
    expect([...cohorts.values()].flat().sort()).toEqual(institutions.map((i) => i.id).sort());
  });

  it('leaves the named institutions alone', () => {
    const cohorts = cohortsOf([pharmacy('P1'), pharmacy('P2'), pharmacy('P3')], onTime, new Set(['P2']));
    expect([...cohorts.entries()]).toEqual([
      ['P1', ['P1', 'P3']],
      ['P2', ['P2']],
    ]);
  });

  it("counts a representative's own notices in the members' campaigns for its cohort, everything else once", () => {
    const weighted = new Set(['349901-coverage-2027', 'sp-1', 'sp-1-inspection']);
    const sizes = new Map([['P1', 40]]);
    expect(cohortWeight('inspection:349901-coverage-2027:P1', weighted, sizes)).toBe(40);
    expect(cohortWeight('selfcheck:sp-1:P1', weighted, sizes)).toBe(40);
    expect(cohortWeight('look-back:sp-1-inspection:P1', weighted, sizes)).toBe(40);
    // A flying check draws a fixed number among the representatives: each is one.
    expect(cohortWeight('inspection:349901-flying-2027:P1', weighted, sizes)).toBe(1);
    // The campaign's own notices (one per unit or leader), and institutions outside any cohort.
    expect(cohortWeight('coverage:349901:2027', weighted, sizes)).toBe(1);
    expect(cohortWeight('campaign:349901:sp-1', weighted, sizes)).toBe(1);
    expect(cohortWeight('inspection:349901-coverage-2027:P9', weighted, sizes)).toBe(1);
  });

  it('adds up the weights of notices that share a line', () => {
    const at = new Date('2027-01-01T01:00:00Z');
    const event = { at, label: '催报', subject: '→ 定点零售药店', measure: '家' };
    expect(timelineLines([{ ...event, weight: 40 }, { ...event, weight: 2 }, event], TZ)).toEqual([
      '2027-01-01',
      '  09:00  催报  → 定点零售药店 × 43 家',
    ]);
  });
});

describe('recheckRehearsalLines', () => {
  it('says that the re-check’s pool is empty in a rehearsal, and why; figures when there are any', () => {
    const [empty, why] = recheckRehearsalLines({ pool: 0, picked: 0 }, false);
    expect(empty).toMatch(/^抽查复查：演练的空台账中没有已完成的检查，抽样池为空/);
    expect(why).toContain('--from-ledger');
    expect(recheckRehearsalLines({ pool: 0, picked: 0 }, true)).toEqual([
      '抽查复查：本局台账中该年度没有已完成的检查，抽样池为空，未抽取复查对象，也没有复查检查',
    ]);
    expect(recheckRehearsalLines(undefined, false)).toEqual(['抽查复查：演练结束时尚未抽取复查样本']);
    expect(recheckRehearsalLines({ pool: 40, picked: 30 }, true)).toEqual(['抽查复查：从 40 家已完成检查的机构中抽取 30 家']);
  });
});

describe('historyLine', () => {
  it('gives the histories and the children against the server’s limits', () => {
    expect(historyLine({ events: 1234, children: 1, largestStarted: 38 })).toBe(
      '最长历史：主工作流 1,234 个事件，其启动的工作流最多 38 个（上限 10,240）；子工作流 1 个（待完成上限 1,000）',
    );
  });
});
