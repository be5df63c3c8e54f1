// The re-check sample (抽查复查 in the 三个三分之一 way, seed 003; domain/recheck.ts): the thirds, the minimums, the
// seeded draw reproduced, the comparison with the district's findings, and the file's recheck section checked by path.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PLAN_FILE, loadPlan, type PlanError } from '../../config';
import { loadCampaignFile, parseCampaignFile } from '../../config/campaign';
import {
  compareOutcome,
  DEFAULT_RECHECK_THIRDS,
  drawRecheckSample,
  RECHECK_DRAW_ALGORITHM,
  recheckDrawMismatches,
  recheckDrawRecord,
  recheckStartProblem,
  SEED_003_MINIMUM,
  summarizeRecheck,
  thirdShares,
  type RecheckPoolRow,
  type RecheckRules,
} from '../../domain/recheck';

const DISTRICTS = ['港北区', '港南区', '覃塘区'];

/** `n` rows of a kind over three districts, every `violationEvery`th with violations of 100 yuan. */
const rows = (kind: 'hospital' | 'pharmacy', n: number, violationEvery = 2): RecheckPoolRow[] =>
  Array.from({ length: n }, (_, i) => ({
    institutionId: `${kind === 'hospital' ? 'H' : 'P'}${String(i).padStart(3, '0')}`,
    kind,
    ownership: i % 3 === 0 ? 'private' : 'public',
    district: DISTRICTS[i % 3],
    inspectionId: `inspection:coverage-2026:${kind}-${i}`,
    violation: i % violationEvery === 0,
    amountFen: i % violationEvery === 0 ? 10_000 : 0,
  }));

const RULES: RecheckRules = { year: 2026, minimum: { ...SEED_003_MINIMUM }, thirds: [...DEFAULT_RECHECK_THIRDS] };

describe('the re-check sample', () => {
  it('splits each minimum into three shares, the larger first', () => {
    expect(thirdShares(10, 3)).toEqual([4, 3, 3]);
    expect(thirdShares(20, 3)).toEqual([7, 7, 6]);
    expect(thirdShares(2, 3)).toEqual([1, 1, 0]);
  });

  it('draws seed 003’s minimums, a third each from the district’s findings, its clean inspections and the rest', () => {
    const pool = [...rows('hospital', 40), ...rows('pharmacy', 60)];
    const { picks, short } = drawRecheckSample('seed-1', pool, RULES);
    expect(short).toEqual([]);
    const of = (kind: string, third: string) => picks.filter((p) => p.kind === kind && p.third === third);
    expect([of('hospital', 'withFindings').length, of('hospital', 'clean').length, of('hospital', 'random').length]).toEqual([4, 3, 3]);
    expect([of('pharmacy', 'withFindings').length, of('pharmacy', 'clean').length, of('pharmacy', 'random').length]).toEqual([7, 7, 6]);
    const byId = new Map(pool.map((r) => [r.institutionId, r]));
    expect(picks.filter((p) => p.third === 'withFindings').every((p) => byId.get(p.institutionId)!.violation)).toBe(true);
    expect(picks.filter((p) => p.third === 'clean').every((p) => !byId.get(p.institutionId)!.violation)).toBe(true);
    expect(new Set(picks.map((p) => p.institutionId)).size).toBe(30);
    expect(picks.every((p) => p.inspectionId === byId.get(p.institutionId)!.inspectionId)).toBe(true);
  });

  it('passes a third’s shortfall on and fills the minimum from the rest; a pool below the minimum is taken whole, and said so', () => {
    // 12 hospitals, one with findings: the withFindings third lacks 3, which the next thirds take.
    const hospitals = rows('hospital', 12, 100);
    const { picks, short } = drawRecheckSample('seed-2', [...hospitals, ...rows('pharmacy', 5)], RULES);
    const hospitalPicks = picks.filter((p) => p.kind === 'hospital');
    expect(hospitalPicks).toHaveLength(10);
    expect(hospitalPicks.filter((p) => p.third === 'withFindings')).toHaveLength(1);
    expect(picks.filter((p) => p.kind === 'pharmacy')).toHaveLength(5);
    expect(short).toEqual([{ kind: 'pharmacy', minimum: 20, pool: 5 }]);
    // Thirds with no random one: what they cannot give is filled from the rest of the pool.
    const noRandom = drawRecheckSample('seed-2', hospitals, { ...RULES, thirds: ['withFindings', 'private', 'clean'] });
    expect(noRandom.picks.filter((p) => p.kind === 'hospital')).toHaveLength(10);
  });

  it('spreads each kind’s sample over the districts, each represented, while the thirds keep their criteria', () => {
    // One large district and two small ones, the one's institutions all with findings, the other's all clean: a draw
    // over the kind alone mostly picks the large district's.
    const district = (i: number) => (i % 10 < 8 ? '港北区' : i % 10 === 8 ? '港南区' : '覃塘区');
    const pool = [...rows('hospital', 60), ...rows('pharmacy', 90)].map((r, i) => ({ ...r, district: district(i) }));
    const byId = new Map(pool.map((r) => [r.institutionId, r]));
    for (const seed of ['seed-1', 'seed-2', 'seed-3', 'seed-4']) {
      const { picks } = drawRecheckSample(seed, pool, RULES);
      for (const [kind, minimum] of [
        ['hospital', 10],
        ['pharmacy', 20],
      ] as const) {
        const ofKind = picks.filter((p) => p.kind === kind);
        expect(ofKind).toHaveLength(minimum);
        const perDistrict = ['港北区', '港南区', '覃塘区'].map(
          (d) => ofKind.filter((p) => byId.get(p.institutionId)!.district === d).length,
        );
        expect(Math.min(...perDistrict), `${seed} ${kind}: ${perDistrict.join(', ')}`).toBeGreaterThan(0);
        expect(Math.max(...perDistrict) - Math.min(...perDistrict)).toBeLessThanOrEqual(1);
      }
      expect(picks.filter((p) => p.third === 'withFindings').every((p) => byId.get(p.institutionId)!.violation)).toBe(true);
      expect(picks.filter((p) => p.third === 'clean').every((p) => !byId.get(p.institutionId)!.violation)).toBe(true);
    }
  });

  it('re-runs a draw by the rules it names: one of recheck-thirds/1 as drawn then, over the kind as a whole', () => {
    const rules = { ...RULES, minimum: { hospital: 6, pharmacy: 0 } };
    const older = { ...recheckDrawRecord('r1', 'seed-1', rows('hospital', 12), rules), algorithm: 'recheck-thirds/1' as const };
    older.picks = drawRecheckSample('seed-1', older.pool, rules, 'recheck-thirds/1').picks;
    // Pinned from the rules as they were released: they must not change under the id.
    expect(older.picks.map((p) => `${p.institutionId}(${p.third})`).join(', ')).toBe(
      'H006(withFindings), H010(withFindings), H005(clean), H001(clean), H000(random), H004(random)',
    );
    expect(recheckDrawMismatches(older)).toEqual([]);
    expect(recheckDrawMismatches({ ...older, algorithm: RECHECK_DRAW_ALGORITHM })).toEqual([expect.stringMatching(/^picks: re-run gives/)]);
  });

  it('is reproduced from its seed, pool and rules whatever the pool’s order, and a changed record is caught', () => {
    const pool = [...rows('hospital', 30), ...rows('pharmacy', 50)];
    const draw = recheckDrawRecord('fund-recheck', 'seed-3', pool, RULES);
    expect(recheckDrawRecord('fund-recheck', 'seed-3', [...pool].reverse(), RULES).picks).toEqual(draw.picks);
    expect(recheckDrawMismatches(draw)).toEqual([]);
    expect(recheckDrawRecord('fund-recheck', 'seed-4', pool, RULES).picks).not.toEqual(draw.picks);
    expect(recheckDrawMismatches(draw, 'seed-4')[0]).toMatch(/^seed: re-run with "seed-4"/);
    const tampered = { ...draw, picks: [{ ...draw.picks[0], institutionId: 'H999' }, ...draw.picks.slice(1)] };
    expect(recheckDrawMismatches(tampered)).toEqual([expect.stringMatching(/^picks: re-run gives H/)]);
  });
});

describe('the comparison with the district’s findings', () => {
  const clean = { violation: false, amountFen: 0 };
  const found = (amountFen: number) => ({ violation: true, amountFen });

  it('names agreements and each kind of discrepancy', () => {
    expect(compareOutcome(clean, clean)).toBe('agree');
    expect(compareOutcome(found(500), found(500))).toBe('agree');
    expect(compareOutcome(clean, found(800))).toBe('missed');
    expect(compareOutcome(found(500), clean)).toBe('not-confirmed');
    expect(compareOutcome(found(500), found(900))).toBe('amount');
    expect(compareOutcome(found(500), null)).toBe('pending');
  });

  it('sums them up, with the fund loss the district did not find', () => {
    const line = (id: string, district: typeof clean, recheck: typeof clean | null) => ({
      institutionId: id,
      third: 'random' as const,
      districtInspectionId: `inspection:c:${id}`,
      district,
      recheck,
    });
    const s = summarizeRecheck([
      line('A', clean, clean),
      line('B', clean, found(800)),
      line('C', found(500), found(900)),
      line('D', found(500), clean),
      line('E', clean, null),
    ]);
    expect(s).toMatchObject({ sampled: 5, agreements: 1, discrepancies: 3, missedFen: 1200 });
    expect(s.byOutcome).toEqual({ agree: 1, missed: 1, 'not-confirmed': 1, amount: 1, pending: 1 });
  });
});

describe('the campaign file’s recheck section', () => {
  const head = (kind: string) =>
    `id: r1\nkind: ${kind}\ntitle: 抽查复查\nlegalBasis: [依据]\ntargets: [{ all: true }]\nphases: [{ name: 复查, end: { days: 30 } }]\n`;
  const problems = async (text: string) => {
    const plan = await loadPlan(DEFAULT_PLAN_FILE);
    try {
      parseCampaignFile(text, 'r.yaml', plan);
      return [];
    } catch (error) {
      return (error as PlanError).problems.map((p) => `${p.path}: ${p.message}`);
    }
  };

  it('defaults to seed 003’s minimums and our reading of the thirds; the sample file reads', async () => {
    const plan = await loadPlan(DEFAULT_PLAN_FILE);
    expect(parseCampaignFile(`${head('recheck')}recheck: {}\n`, 'r.yaml', plan).recheck).toEqual({
      minimum: { hospital: 10, pharmacy: 20 },
      thirds: ['withFindings', 'clean', 'random'],
    });
    expect(loadCampaignFile('config/campaigns/recheck.yaml', plan)).toMatchObject({
      kind: 'recheck',
      recheck: { minimum: { hospital: 10 } },
    });
  });

  it('names every bad field by its path', async () => {
    expect(
      await problems(
        `${head('recheck')}recheck:\n  minimum: { hospital: -1, pharmacy: 2.5 }\n  thirds: [clean, clean, lucky]\n  extra: 1\n`,
      ),
    ).toEqual([
      'recheck.minimum.hospital: must be at least 0, got -1',
      'recheck.minimum.pharmacy: expected an integer, got 2.5',
      'recheck.thirds[2]: got "lucky": one of "withFindings", "clean", "private", "random"',
      'recheck.extra: unknown key',
    ]);
    expect(await problems(`${head('recheck')}recheck: { thirds: [clean, random] }\n`)).toEqual([
      'recheck.thirds: three thirds (三个三分之一), e.g. [withFindings, clean, random]',
    ]);
    expect(await problems(`${head('recheck')}recheck: { thirds: [clean, random, clean] }\n`)).toEqual(['recheck.thirds: each third once']);
    expect(await problems(`${head('targeted')}recheck: {}\n`)).toEqual([
      'recheck: only a recheck campaign has recheck (this one is targeted)',
    ]);
  });

  it('refuses a re-check starting before the full coverage of the year it re-checks is due, naming the day it may', async () => {
    const plan = await loadPlan(DEFAULT_PLAN_FILE);
    const deadline = plan.calendar.coverage.deadline;
    const dayAfter = (year: number) => DateTime.fromISO(`${year}-${deadline}`).plus({ days: 1 }).toISODate()!;
    const onDeadline = `2027-${deadline}`;
    expect(recheckStartProblem(onDeadline, 2027, deadline)).toBe(
      `${onDeadline} is before the full coverage of 2027 is due (calendar.coverage.deadline ${deadline}): ` +
        `the re-check's pool of finished inspections would be partial; it may start from ${dayAfter(2027)}`,
    );
    expect(recheckStartProblem(dayAfter(2027), 2027, deadline)).toBeUndefined();
    expect(recheckStartProblem('2027-01-05', 2026, deadline)).toBeUndefined();

    const starting = (start: string, extra = '') =>
      problems(
        `id: r1\nkind: recheck\ntitle: 抽查复查\nlegalBasis: [依据]\ntargets: [{ all: true }]\n` +
          `phases: [{ name: 复查, start: ${start}, end: { days: 30 } }]\n${extra}`,
      );
    expect(await starting(onDeadline)).toEqual([`phases[0].start: ${recheckStartProblem(onDeadline, 2027, deadline)}`]);
    expect(await starting(dayAfter(2027))).toEqual([]);
    // The year re-checked is recheck.year, else the campaign's year, else the start's.
    expect(await starting(dayAfter(2027), 'recheck: { year: 2028 }\n')).toEqual([
      `phases[0].start: ${recheckStartProblem(dayAfter(2027), 2028, deadline)}`,
    ]);
    expect(await starting('2027-01-05', 'year: 2027\nrecheck: { year: 2026 }\n')).toEqual([]);
  });
});
