// The flying check's draw as recorded and published (双随机、一公开), over the eligible pool: the rule of one on-site
// inspection a year (DESIGN §2) leaves out institutions inspected on site this year unless a clue or a data anomaly of
// the year calls for another. Pure: the pool rows in (from the ledger), the record and its published text out.
import type { CreditGrade } from './credit';
import {
  clampDrawCounts,
  FLYING_DRAW_ALGORITHM,
  formatSelection,
  selectFlyingTargets,
  type FlyingCandidate,
  type FlyingSelection,
  type InstitutionKind,
  type RiskWeights,
} from './flying';

/** An institution of the year's pool, with its risk figures. */
export interface FlyingPoolRow {
  id: string;
  name: string;
  kind: InstitutionKind;
  responsibleUnitId: string | null;
  contacts: Array<{ name: string; email: string }>;
  risk: { clues: number; dataAnomalies: number; lastYearFindings: number; creditGrade: CreditGrade | null };
  /** The institution's on-site inspections of the year so far (inspection ids). */
  onsite: string[];
  /**
   * References of the year's risk signals: each imported clue / data anomaly (risk_signal_items), and
   * `risk_signals:{institutionId}:{year}` for counts set without references (upsertRiskSignals).
   */
  references: string[];
}

/** A flying campaign's draw as recorded (and published): everything `jianguan draw verify --draw` needs to re-run it. */
export interface FlyingDrawRecord {
  format: 'jianguan-flying-draw/1';
  campaignId: string;
  jurisdiction: string;
  year: number;
  algorithm: string;
  seed: string;
  weights: RiskWeights;
  /** The plan's counts, and what was drawn after clamping to the eligible pool (clampDrawCounts). */
  requested: { random: number; risk: number };
  counts: { random: number; risk: number };
  /** The eligible pool with its risk figures (and the references that make a further inspection allowed). */
  pool: Array<{
    id: string;
    name: string;
    kind: InstitutionKind;
    clues: number;
    dataAnomalies: number;
    lastYearFindings: number;
    creditGrade: CreditGrade | null;
    references: string[];
  }>;
  /** Not eligible: inspected on site this year already, with no clue or data anomaly. */
  excluded: Array<{ id: string; name: string; inspections: string[] }>;
  result: { random: string[]; risk: string[] };
  scores: Record<string, number>;
  recordedAt: string;
}

export interface FlyingDrawRequest {
  workflowId: string;
  jurisdiction: string;
  year: number;
  campaignId: string;
  seed: string;
  randomCount: number;
  riskCount: number;
  weights: RiskWeights;
  at: string;
}

/** Eligible for a flying check this year: not inspected on site yet, or with a clue / data anomaly of the year. */
export function isEligible(row: Pick<FlyingPoolRow, 'onsite' | 'risk'>): boolean {
  return row.onsite.length === 0 || row.risk.clues > 0 || row.risk.dataAnomalies > 0;
}

const candidateOf = (row: FlyingPoolRow): FlyingCandidate => ({ id: row.id, kind: row.kind, risk: row.risk });

/** The draw over the eligible pool, as recorded (pure: the pool rows in, the record out). */
export function flyingDrawRecord(request: FlyingDrawRequest, pool: readonly FlyingPoolRow[]): FlyingDrawRecord {
  const eligible = pool.filter(isEligible);
  const requested = { random: request.randomCount, risk: request.riskCount };
  const counts = clampDrawCounts(requested, eligible.length);
  const selection = selectFlyingTargets({
    seed: request.seed,
    pool: eligible.map(candidateOf),
    randomCount: counts.random,
    riskCount: counts.risk,
    weights: request.weights,
  });
  return {
    format: 'jianguan-flying-draw/1',
    campaignId: request.campaignId,
    jurisdiction: request.jurisdiction,
    year: request.year,
    algorithm: selection.algorithm,
    seed: request.seed,
    weights: selection.weights,
    requested,
    counts,
    pool: eligible.map((r) => ({ id: r.id, name: r.name, kind: r.kind, ...r.risk, references: r.references })),
    excluded: pool.filter((r) => !isEligible(r)).map((r) => ({ id: r.id, name: r.name, inspections: r.onsite })),
    result: { random: selection.random, risk: selection.risk },
    scores: selection.scores,
    recordedAt: request.at,
  };
}

/** The published list (一公开) of a recorded draw, in Chinese: formatSelection plus what was excluded and why. */
export function publishedDrawText(draw: FlyingDrawRecord): string {
  const selection: FlyingSelection = {
    algorithm: FLYING_DRAW_ALGORITHM,
    seed: draw.seed,
    poolSize: draw.pool.length,
    weights: draw.weights,
    random: draw.result.random,
    risk: draw.result.risk,
    scores: draw.scores,
    kinds: Object.fromEntries(draw.pool.map((c) => [c.id, c.kind])),
  };
  const names = Object.fromEntries(draw.pool.map((c) => [c.id, c.name]));
  const clamped = draw.counts.random !== draw.requested.random || draw.counts.risk !== draw.requested.risk;
  return [
    formatSelection(selection, names),
    '',
    `计划抽取：随机 ${draw.requested.random} 家，风险加权 ${draw.requested.risk} 家${clamped ? `；符合条件的候选机构不足，按候选数抽取（随机 ${draw.counts.random} 家，风险加权 ${draw.counts.risk} 家）` : ''}`,
    `未列入候选：${draw.excluded.length} 家（${draw.year}年已进行现场检查，且无举报线索或数据疑点；一年内原则上只进行一次现场检查）`,
  ].join('\n');
}
