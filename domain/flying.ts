// Target selection for flying checks (飞行检查): "按照'双随机一公开'原则，加强数据分析，筛查出问题较多、基金使用异常或投诉举报
// 集中的定点医药机构" (seed 000 item 4), "充分利用疑点数据筛查、投诉举报线索等手段" (seed 003 (三)).
//
// Two draws from one recorded seed, both reproducible by anyone holding the seed, the pool and the weights (一公开):
//   1. random — a uniform draw of `randomCount` candidates (the "random target" of 双随机), using seededSample
//      (domain/draw.ts) with the seed `${seed}:random`;
//   2. risk   — a risk-weighted draw WITHOUT replacement of `riskCount` candidates among those not drawn in 1, with the
//      seed `${seed}:risk`: each pick takes candidate c with probability score(c) / (sum of the remaining scores).
//      This is the same distribution as Efraimidis–Spirakis keys, but computed with integer arithmetic only
//      (a uniform integer in [0, total) walked along the cumulative scores). No Math.log / Math.pow, whose last bits
//      may differ between JavaScript engines or other languages: a published draw must re-run bit for bit anywhere.
//      That is why the weights are integers.
// Candidates are sorted by id (UTF-16 code-unit order, like drawTeam) before anything is drawn, so the order of the
// pool file never changes the result.
//
// score = base + clues·w.clues + dataAnomalies·w.dataAnomalies + lastYearFindings·w.lastYearFindings + w.grades[grade]
// (an ungraded institution, creditGrade null, adds nothing for its grade). base ≥ 1, so every candidate can be drawn.
//
// Changing anything here changes published draws: keep FLYING_DRAW_ALGORITHM's behaviour, add a new version instead
// (test/unit/flying.test.ts pins one draw as a guard).
import { CREDIT_GRADES, GRADE_RISK_WEIGHT, type CreditGrade } from './credit';
import { seededIntegers, seededSample } from './draw';
import type { Period } from './period';

/** Names the algorithm in every published selection, so a re-run knows which rules to apply. */
export const FLYING_DRAW_ALGORITHM = 'jianguan-flying-v1';

export type InstitutionKind = 'hospital' | 'pharmacy';

export interface RiskFactors {
  /** Open tip-offs (举报线索) about the institution. */
  clues: number;
  /** Flags raised by smart monitoring (智能监控 / 疑点数据). */
  dataAnomalies: number;
  /** Violation items found at last year's inspections. */
  lastYearFindings: number;
  /** The credit grade from the last inspection (domain/credit.ts); null when not graded yet. */
  creditGrade: CreditGrade | null;
}

export interface FlyingCandidate {
  id: string;
  kind: InstitutionKind;
  risk: RiskFactors;
}

/** Integer weights of the risk score (see the file comment). */
export interface RiskWeights {
  /** Every candidate's score starts here; at least 1. */
  base: number;
  clues: number;
  dataAnomalies: number;
  lastYearFindings: number;
  grades: Readonly<Record<CreditGrade, number>>;
}

export const DEFAULT_RISK_WEIGHTS: RiskWeights = {
  base: 1,
  clues: 3,
  dataAnomalies: 2,
  lastYearFindings: 2,
  grades: GRADE_RISK_WEIGHT,
};

/**
 * The statement period (陈述申辩) of a flying check when the plan does not say: the institution may state its case in
 * writing within 5 working days of the feedback (《医疗保障基金飞行检查管理暂行办法》).
 */
export const DEFAULT_STATEMENT_PERIOD: Period = { workingDays: 5 };

/** A flying check's statement period (陈述申辩) from the plan: the period, or the older count of days, else the default. */
export function flyingStatementPeriod(flyingCheck: { statementPeriod?: Period; statementPeriodDays?: number }): Period {
  return (
    flyingCheck.statementPeriod ?? (flyingCheck.statementPeriodDays ? { days: flyingCheck.statementPeriodDays } : DEFAULT_STATEMENT_PERIOD)
  );
}

/**
 * Counts larger than the pool (a small district, or few institutions eligible) draw everyone rather than fail: the
 * random draw first, the risk-weighted draw from what is left. The draw activity and `jianguan draw verify` both
 * clamp this way, so a recorded draw re-runs from its requested counts.
 */
export function clampDrawCounts(requested: { random: number; risk: number }, poolSize: number): { random: number; risk: number } {
  checkCount(requested.random, 'randomCount');
  checkCount(requested.risk, 'riskCount');
  const random = Math.min(requested.random, poolSize);
  return { random, risk: Math.min(requested.risk, poolSize - random) };
}

export interface FlyingDrawInput {
  /** The recorded seed, published with the result. */
  seed: string;
  pool: readonly FlyingCandidate[];
  randomCount: number;
  riskCount: number;
  weights: RiskWeights;
}

export interface FlyingSelection {
  algorithm: typeof FLYING_DRAW_ALGORITHM;
  seed: string;
  poolSize: number;
  weights: RiskWeights;
  /** Uniformly drawn targets, in draw order. */
  random: string[];
  /** Risk-weighted targets, in draw order; none of them is in `random`. */
  risk: string[];
  /** Every candidate's risk score, by id. */
  scores: Record<string, number>;
  /** Every candidate's kind, by id. */
  kinds: Record<string, InstitutionKind>;
}

function checkCount(value: unknown, name: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
}

function checkWeights(weights: RiskWeights): void {
  if (typeof weights.base !== 'number' || !Number.isSafeInteger(weights.base) || weights.base < 1) {
    throw new RangeError(`weights.base must be an integer of at least 1, got ${String(weights.base)}`);
  }
  checkCount(weights.clues, 'weights.clues');
  checkCount(weights.dataAnomalies, 'weights.dataAnomalies');
  checkCount(weights.lastYearFindings, 'weights.lastYearFindings');
  for (const grade of CREDIT_GRADES) checkCount(weights.grades[grade], `weights.grades.${grade}`);
}

function checkCandidate(candidate: FlyingCandidate): void {
  const who = `candidate "${candidate.id}"`;
  if (candidate.kind !== 'hospital' && candidate.kind !== 'pharmacy') {
    throw new RangeError(`${who}: kind must be "hospital" or "pharmacy", got ${JSON.stringify(candidate.kind)}`);
  }
  checkCount(candidate.risk.clues, `${who}: risk.clues`);
  checkCount(candidate.risk.dataAnomalies, `${who}: risk.dataAnomalies`);
  checkCount(candidate.risk.lastYearFindings, `${who}: risk.lastYearFindings`);
  const grade = candidate.risk.creditGrade;
  if (grade !== null && !(CREDIT_GRADES as readonly unknown[]).includes(grade)) {
    throw new RangeError(`${who}: risk.creditGrade must be one of A-E or null, got ${JSON.stringify(grade)}`);
  }
}

/** A candidate's risk score: the weight of the risk-targeted draw (see the file comment). */
export function riskScore(risk: RiskFactors, weights: RiskWeights): number {
  return (
    weights.base +
    risk.clues * weights.clues +
    risk.dataAnomalies * weights.dataAnomalies +
    risk.lastYearFindings * weights.lastYearFindings +
    (risk.creditGrade === null ? 0 : weights.grades[risk.creditGrade])
  );
}

/** Draws `count` ids without replacement, each pick proportional to its integer weight among those remaining. */
function weightedDraw(seed: string, entries: readonly { id: string; weight: number }[], count: number): string[] {
  const next = seededIntegers(seed);
  const remaining = [...entries];
  let total = remaining.reduce((sum, e) => sum + e.weight, 0);
  const picked: string[] = [];
  for (let k = 0; k < count; k++) {
    let r = next(0, total - 1);
    let i = 0;
    while (r >= remaining[i]!.weight) {
      r -= remaining[i]!.weight;
      i++;
    }
    const [chosen] = remaining.splice(i, 1);
    picked.push(chosen!.id);
    total -= chosen!.weight;
  }
  return picked;
}

/**
 * Selects the flying-check targets (双随机 + risk-targeted). Pure and deterministic: the same seed, pool (in any order),
 * counts and weights always give the same selection. Throws RangeError on bad input.
 */
export function selectFlyingTargets(input: FlyingDrawInput): FlyingSelection {
  const { seed, pool, randomCount, riskCount, weights } = input;
  if (typeof seed !== 'string' || seed.trim() === '') throw new RangeError('seed must not be empty: record a seed before drawing');
  checkCount(randomCount, 'randomCount');
  checkCount(riskCount, 'riskCount');
  checkWeights(weights);
  const seen = new Set<string>();
  for (const candidate of pool) {
    if (typeof candidate.id !== 'string' || candidate.id === '') throw new RangeError('every candidate needs an id');
    if (seen.has(candidate.id)) throw new RangeError(`duplicate candidate id "${candidate.id}"`);
    seen.add(candidate.id);
    checkCandidate(candidate);
  }
  if (randomCount + riskCount > pool.length) {
    throw new RangeError(
      `randomCount + riskCount = ${randomCount} + ${riskCount} = ${randomCount + riskCount} exceeds the pool of ${pool.length} candidate(s)`,
    );
  }

  const sorted = [...pool].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const scores: Record<string, number> = {};
  const kinds: Record<string, InstitutionKind> = {};
  let total = 0;
  for (const candidate of sorted) {
    const score = riskScore(candidate.risk, weights);
    scores[candidate.id] = score;
    kinds[candidate.id] = candidate.kind;
    total += score;
  }
  if (!Number.isSafeInteger(total)) throw new RangeError('the risk scores are too large: lower the weights');

  const random = seededSample(
    `${seed}:random`,
    sorted.map((c) => c.id),
    randomCount,
  );
  const drawn = new Set(random);
  const rest = sorted.filter((c) => !drawn.has(c.id)).map((c) => ({ id: c.id, weight: scores[c.id]! }));
  const risk = weightedDraw(`${seed}:risk`, rest, riskCount);

  return {
    algorithm: FLYING_DRAW_ALGORITHM,
    seed,
    poolSize: pool.length,
    weights: { ...weights, grades: { ...weights.grades } },
    random,
    risk,
    scores,
    kinds,
  };
}

const KIND_LABELS: Record<InstitutionKind, string> = { hospital: '定点医疗机构', pharmacy: '定点零售药店' };

/**
 * The selection as a published list (一公开), in Chinese. `names` (institution id → name) is optional; without it the
 * list shows ids only. Same selection, same text.
 */
export function formatSelection(selection: FlyingSelection, names: Readonly<Record<string, string>> = {}): string {
  const w = selection.weights;
  const line = (id: string, i: number) => {
    const name = names[id] ? ` ${names[id]}` : '';
    const kind = selection.kinds[id] ? KIND_LABELS[selection.kinds[id]] : '';
    return `  ${String(i + 1).padStart(2)}. ${id}${name}（${kind}，风险分 ${selection.scores[id] ?? '?'}）`;
  };
  return [
    '飞行检查对象抽取结果（双随机、一公开）',
    `抽取种子：${selection.seed}`,
    `抽取方法：${selection.algorithm}（候选机构按编号排序；随机抽取种子 "${selection.seed}:random"，风险加权抽取种子 "${selection.seed}:risk"）`,
    `风险分 = ${w.base} + 举报线索×${w.clues} + 智能监控疑点×${w.dataAnomalies} + 上年检查问题×${w.lastYearFindings} + 信用等级（${CREDIT_GRADES.map((g) => `${g} ${w.grades[g]}`).join('，')}；未评级 0）`,
    `候选机构 ${selection.poolSize} 家；随机抽取 ${selection.random.length} 家，风险加权抽取 ${selection.risk.length} 家`,
    '',
    `一、随机抽取（${selection.random.length} 家）`,
    ...(selection.random.length ? selection.random.map(line) : ['  （无）']),
    '',
    `二、风险加权抽取（${selection.risk.length} 家）`,
    ...(selection.risk.length ? selection.risk.map(line) : ['  （无）']),
  ].join('\n');
}
