// The flying-check draw (双随机、一公开) runs in an activity: the candidate pool comes from the ledger and at province
// scale is far too large for a workflow history. The seed is recorded by the workflow; the pool snapshot and the result
// go into the audit trail, so the published list can later be re-run with `jianguan draw verify` and checked.
import { formatSelection, selectFlyingTargets, type RiskWeights } from '../domain/flying';
import type { FlyingPoolRow, Store } from '../records/types';

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

export interface FlyingDrawResult {
  random: string[];
  risk: string[];
  /** The selected institutions, random ones first, with what their inspections need. */
  targets: Array<FlyingPoolRow & { how: 'random' | 'risk'; score: number }>;
  poolSize: number;
}

export function createFlyingActivities(deps: { store: Store }) {
  return {
    async drawFlyingTargets(request: FlyingDrawRequest): Promise<FlyingDrawResult> {
      const pool = await deps.store.flyingPool(request.jurisdiction, request.year);
      // Counts larger than the pool (a small district) draw everyone rather than fail.
      const randomCount = Math.min(request.randomCount, pool.length);
      const riskCount = Math.min(request.riskCount, pool.length - randomCount);
      const selection = selectFlyingTargets({ seed: request.seed, pool, randomCount, riskCount, weights: request.weights });
      const byId = new Map(pool.map((row) => [row.id, row]));
      const targets = [
        ...selection.random.map((id) => ({ ...byId.get(id)!, how: 'random' as const, score: selection.scores[id] })),
        ...selection.risk.map((id) => ({ ...byId.get(id)!, how: 'risk' as const, score: selection.scores[id] })),
      ];
      await deps.store.appendAudit({
        key: `${request.workflowId}:draw`,
        actor: 'system',
        action: 'flying-draw',
        subjectType: 'campaign',
        subjectId: request.campaignId,
        reason: formatSelection(selection, Object.fromEntries(pool.map((row) => [row.id, row.name]))),
        detail: { selection, pool: pool.map(({ id, kind, risk }) => ({ id, kind, ...risk })) },
        at: request.at,
      });
      return { random: selection.random, risk: selection.risk, targets, poolSize: pool.length };
    },
  };
}
