// The city's re-check of the districts' inspections (抽查复查, seed 003 三、工作步骤（五）开展督导检查: 市医保局…采取
// “三个三分之一”方式对全市专项整治行动推进情况进行抽查复查，其中，全市定点医疗机构不少于10家、定点零售药店不少于20家).
//
// The seed names the method but not its thirds, and no public text at hand defines them (looked up with the project's
// search tool: pages, docs, issues and code, 2 queries each — nothing). Our reading, which a campaign file may change
// (`recheck.thirds`): a re-check tests the district's work, so the sample of each kind is drawn a third each from
//   * withFindings — inspections where the district found violations (were they handled and the amounts right?),
//   * clean        — inspections where it found none (did it miss any?),
//   * random       — the rest of the pool at random (a check nobody can anticipate, as 双随机 wants).
// `private` (民营医疗机构, the seed's 三、（三） focus) may stand in for one of them.
//
// Pure: the pool rows in (from the ledger), the recorded draw and the comparison out; re-run by `jianguan draw verify`.
import { DateTime } from 'luxon';
import { seededSample } from './draw';
import type { InstitutionKind } from './flying';

export const RECHECK_THIRDS = ['withFindings', 'clean', 'private', 'random'] as const;
export type RecheckThird = (typeof RECHECK_THIRDS)[number];

/** How a third is shown (notices, `campaign status`, the published draw). */
export const RECHECK_THIRD_LABELS: Record<RecheckThird | 'fill', string> = {
  withFindings: '区县检查发现问题的',
  clean: '区县检查未发现问题的',
  private: '民营机构',
  random: '随机抽取',
  fill: '补足最低数量',
};

/** Seed 003: 全市定点医疗机构不少于10家、定点零售药店不少于20家. */
export const SEED_003_MINIMUM: Readonly<Record<InstitutionKind, number>> = { hospital: 10, pharmacy: 20 };
export const DEFAULT_RECHECK_THIRDS: readonly RecheckThird[] = ['withFindings', 'clean', 'random'];

/**
 * The draw's rules by id, each kept as it was: a recorded draw names its rules and `draw verify` re-runs it by them.
 * A change of the rules is a new id, never an edit of an old one.
 */
export const RECHECK_DRAW_ALGORITHMS = ['recheck-thirds/1', 'recheck-thirds/2'] as const;
export type RecheckDrawAlgorithm = (typeof RECHECK_DRAW_ALGORITHMS)[number];
/** The rules new draws are made by. */
export const RECHECK_DRAW_ALGORITHM: RecheckDrawAlgorithm = 'recheck-thirds/2';

export const isRecheckDrawAlgorithm = (id: string): id is RecheckDrawAlgorithm =>
  (RECHECK_DRAW_ALGORITHMS as readonly string[]).includes(id);

/** An institution's finished inspection of the year by the district: the first one with findings recorded. */
export interface RecheckPoolRow {
  institutionId: string;
  kind: InstitutionKind;
  ownership: 'public' | 'private';
  /** The district whose work is re-checked (the plan's `district`; a `recheck-thirds/1` draw's pool has none). */
  district: string;
  inspectionId: string;
  violation: boolean;
  /** The fund loss the district found, in fen. */
  amountFen: number;
}

export interface RecheckRules {
  /** The year whose inspections are re-checked. */
  year: number;
  minimum: Record<InstitutionKind, number>;
  thirds: RecheckThird[];
}

export interface RecheckPick {
  institutionId: string;
  kind: InstitutionKind;
  /** The third it was drawn for; `fill` when the thirds' own pools ran dry before the minimum. */
  third: RecheckThird | 'fill';
  /** The district's inspection being re-checked. */
  inspectionId: string;
}

/** A kind whose pool is smaller than its minimum: all of it is re-checked. */
export interface RecheckShort {
  kind: InstitutionKind;
  minimum: number;
  pool: number;
}

/** The draw as recorded and published: everything `jianguan draw verify --campaign` needs to re-run it. */
export interface RecheckDraw {
  format: 'jianguan-recheck-draw/1';
  algorithm: string;
  campaignId: string;
  seed: string;
  rules: RecheckRules;
  pool: RecheckPoolRow[];
  picks: RecheckPick[];
  short: RecheckShort[];
}

const THIRD_FILTERS: Record<RecheckThird, (row: RecheckPoolRow) => boolean> = {
  withFindings: (row) => row.violation,
  clean: (row) => !row.violation,
  private: (row) => row.ownership === 'private',
  random: () => true,
};

/** `total` split over `parts` as evenly as can be, the larger shares first: 10 → 4, 3, 3; 20 → 7, 7, 6. */
export function thirdShares(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

const byId = (a: RecheckPoolRow, b: RecheckPoolRow) => (a.institutionId < b.institutionId ? -1 : a.institutionId > b.institutionId ? 1 : 0);

/** Draws `count` of a third's rows (`from`) for one kind; it may remember the kind's earlier picks. */
type ThirdPicker = (third: RecheckThird | 'fill', from: readonly RecheckPoolRow[], count: number) => RecheckPoolRow[];

/**
 * Each pick from the district the kind's sample has fewest picks of so far (ties in a seeded order of the districts)
 * among those with rows left for the third, and within it at random: the city checks each district's work, so a
 * kind's sample reaches every district before any district twice, across its thirds, as far as their criteria allow.
 */
function districtSpread(seed: string, kind: InstitutionKind, rows: readonly RecheckPoolRow[]): ThirdPicker {
  const districts = [...new Set(rows.map((r) => r.district))].sort();
  const order = seededSample(`${seed}:${kind}:districts`, districts, districts.length);
  const counts = order.map(() => 0);
  return (third, from, count) => {
    const queues = order.map((d) =>
      seededSample(
        `${seed}:${kind}:${third}:${d}`,
        from.filter((r) => r.district === d),
        from.length,
      ),
    );
    const fewest = () => queues.reduce((best, q, i) => (q.length > 0 && (best < 0 || counts[i] < counts[best]) ? i : best), -1);
    const drawn: RecheckPoolRow[] = [];
    for (let i = fewest(); i >= 0 && drawn.length < count; i = fewest()) {
      drawn.push(queues[i].shift()!);
      counts[i] += 1;
    }
    return drawn;
  };
}

const PICKERS: Record<RecheckDrawAlgorithm, (seed: string, kind: InstitutionKind, rows: readonly RecheckPoolRow[]) => ThirdPicker> = {
  // Over the kind's pool as a whole, whatever the districts.
  'recheck-thirds/1': (seed, kind) => (third, from, count) => seededSample(`${seed}:${kind}:${third}`, from, count),
  'recheck-thirds/2': districtSpread,
};

/**
 * One kind's sample: each third its share from its own criterion, in the rules' order, over what earlier thirds left;
 * a third whose pool is too small passes its shortfall to the next, and what the last still lacks is filled from the
 * rest of the pool. Each third draws with its own derived seed, so adding a kind or a row elsewhere changes nothing here.
 */
function drawKind(
  seed: string,
  kind: InstitutionKind,
  rows: readonly RecheckPoolRow[],
  rules: RecheckRules,
  algorithm: RecheckDrawAlgorithm,
): RecheckPick[] {
  let left = rows.filter((r) => r.kind === kind).sort(byId);
  const pick = PICKERS[algorithm](seed, kind, left);
  const picks: RecheckPick[] = [];
  const take = (third: RecheckThird | 'fill', from: readonly RecheckPoolRow[], count: number) => {
    const drawn = pick(third, from, count);
    picks.push(...drawn.map((r) => ({ institutionId: r.institutionId, kind, third, inspectionId: r.inspectionId })));
    left = left.filter((r) => !drawn.includes(r));
    return count - drawn.length;
  };
  const shares = thirdShares(rules.minimum[kind], rules.thirds.length);
  const owed = rules.thirds.reduce((carry, third, i) => take(third, left.filter(THIRD_FILTERS[third]), shares[i] + carry), 0);
  if (owed > 0) take('fill', left, owed);
  return picks;
}

/**
 * The re-check sample over `pool` (hospitals, then pharmacies) by `algorithm`'s rules, with the kinds whose pool was
 * below the minimum.
 */
export function drawRecheckSample(
  seed: string,
  pool: readonly RecheckPoolRow[],
  rules: RecheckRules,
  algorithm: RecheckDrawAlgorithm = RECHECK_DRAW_ALGORITHM,
): Pick<RecheckDraw, 'picks' | 'short'> {
  const kinds: InstitutionKind[] = ['hospital', 'pharmacy'];
  const picks = kinds.flatMap((kind) => drawKind(seed, kind, pool, rules, algorithm));
  const short = kinds.flatMap((kind) => {
    const size = pool.filter((r) => r.kind === kind).length;
    return size < rules.minimum[kind] ? [{ kind, minimum: rules.minimum[kind], pool: size }] : [];
  });
  return { picks, short };
}

/** A recorded draw whose rules this version knows. */
export type KnownRecheckDraw = RecheckDraw & { algorithm: RecheckDrawAlgorithm };

/** The recorded draw of `campaignId`. */
export function recheckDrawRecord(
  campaignId: string,
  seed: string,
  pool: readonly RecheckPoolRow[],
  rules: RecheckRules,
): KnownRecheckDraw {
  return {
    format: 'jianguan-recheck-draw/1',
    algorithm: RECHECK_DRAW_ALGORITHM,
    campaignId,
    seed,
    rules,
    pool: [...pool].sort(byId),
    ...drawRecheckSample(seed, pool, rules),
  };
}

/** Why a re-run by the recorded draw's own rules differs from it (empty: it reproduces it). */
export function recheckDrawMismatches(recorded: KnownRecheckDraw, seed = recorded.seed): string[] {
  const rerun = drawRecheckSample(seed, recorded.pool, recorded.rules, recorded.algorithm);
  const line = (picks: readonly RecheckPick[]) => picks.map((p) => `${p.institutionId}(${p.third})`).join(', ') || '(none)';
  const problems: string[] = [];
  if (seed !== recorded.seed) problems.push(`seed: re-run with ${JSON.stringify(seed)}, recorded ${JSON.stringify(recorded.seed)}`);
  if (line(rerun.picks) !== line(recorded.picks))
    problems.push(`picks: re-run gives ${line(rerun.picks)}; recorded ${line(recorded.picks)}`);
  return problems;
}

/**
 * Why a re-check of `year`'s inspections may not start on `startsOn` (undefined: it may): before the districts' full
 * coverage of the year is due (the plan's `calendar.coverage.deadline`, `MM-DD`), its pool would miss the inspections
 * still to come, so it may start from the day after.
 */
export function recheckStartProblem(startsOn: string, year: number, coverageDeadline: string): string | undefined {
  const from = DateTime.fromISO(`${year}-${coverageDeadline}`).plus({ days: 1 }).toISODate()!;
  if (startsOn >= from) return undefined;
  return (
    `${startsOn} is before the full coverage of ${year} is due (calendar.coverage.deadline ${coverageDeadline}): ` +
    `the re-check's pool of finished inspections would be partial; it may start from ${from}`
  );
}

/** The short-pool note said wherever the sample is shown. */
export function shortText(short: readonly RecheckShort[]): string[] {
  const kindName = { hospital: '定点医疗机构', pharmacy: '定点零售药店' };
  return short.map((s) => `${kindName[s.kind]}：应抽不少于 ${s.minimum} 家，本年度已完成检查的仅 ${s.pool} 家，全部复查`);
}

/** The published list: each pick with its third. */
export function publishedRecheckText(draw: Pick<RecheckDraw, 'seed' | 'picks' | 'short' | 'pool'>): string {
  return [
    `抽查复查（三个三分之一）：从 ${draw.pool.length} 家已完成检查的机构中抽取 ${draw.picks.length} 家，种子 ${draw.seed}`,
    ...draw.picks.map(
      (p, i) => `${i + 1}. ${p.institutionId}（${p.kind === 'hospital' ? '医疗机构' : '零售药店'}，${RECHECK_THIRD_LABELS[p.third]}）`,
    ),
    ...shortText(draw.short),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------------
// The comparison

/** One inspection's outcome as the comparison reads it. */
export interface InspectionOutcome {
  violation: boolean;
  amountFen: number;
}

/**
 * agree: the same verdict (and the same amount when violations were found); missed: the re-check found violations the
 * district did not; not-confirmed: the district's violations the re-check did not find; amount: both found violations,
 * of different amounts; pending: no re-check findings (not inspected by the end).
 */
export type RecheckOutcome = 'agree' | 'missed' | 'not-confirmed' | 'amount' | 'pending';

export const RECHECK_OUTCOME_LABELS: Record<RecheckOutcome, string> = {
  agree: '一致',
  missed: '区县漏查违规',
  'not-confirmed': '复查未发现区县所查问题',
  amount: '金额不一致',
  pending: '未完成复查',
};

export interface RecheckLine {
  institutionId: string;
  third: RecheckPick['third'];
  districtInspectionId: string;
  district: InspectionOutcome;
  recheck: InspectionOutcome | null;
  outcome: RecheckOutcome;
}

export interface RecheckSummary {
  sampled: number;
  agreements: number;
  discrepancies: number;
  byOutcome: Record<RecheckOutcome, number>;
  /** The fund loss the district's inspections missed (re-check amount above the district's), in fen. */
  missedFen: number;
  lines: RecheckLine[];
}

export function compareOutcome(district: InspectionOutcome, recheck: InspectionOutcome | null): RecheckOutcome {
  if (!recheck) return 'pending';
  if (recheck.violation && !district.violation) return 'missed';
  if (!recheck.violation && district.violation) return 'not-confirmed';
  return recheck.amountFen === district.amountFen ? 'agree' : 'amount';
}

/** The comparison of each pick's district findings with its re-check's (null: none recorded). */
export function summarizeRecheck(picks: ReadonlyArray<Omit<RecheckLine, 'outcome'>>): RecheckSummary {
  const lines = picks.map((p) => ({ ...p, outcome: compareOutcome(p.district, p.recheck) }));
  const byOutcome = Object.fromEntries(
    (Object.keys(RECHECK_OUTCOME_LABELS) as RecheckOutcome[]).map((o) => [o, lines.filter((l) => l.outcome === o).length]),
  ) as Record<RecheckOutcome, number>;
  const missedFen = lines.reduce((sum, l) => sum + Math.max(0, (l.recheck?.amountFen ?? 0) - l.district.amountFen), 0);
  return {
    sampled: lines.length,
    agreements: byOutcome.agree,
    discrepancies: byOutcome.missed + byOutcome['not-confirmed'] + byOutcome.amount,
    byOutcome,
    missedFen,
    lines,
  };
}

/** A findings record's outcome: its verdict and the items' fund loss. */
export function outcomeOf(findings: { violation: boolean; items: ReadonlyArray<{ amountFen?: number }> }): InspectionOutcome {
  return { violation: findings.violation, amountFen: findings.items.reduce((sum, item) => sum + (item.amountFen ?? 0), 0) };
}
