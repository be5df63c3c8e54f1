// The rule that an inspection only moves forward, as the ledger applies it, and what counts as concluded (已办结).
import { describe, expect, it } from 'vitest';
import { FINAL_STAGES, INSPECTION_STAGES } from '../../domain/inspection';
import { concludedCount, INSPECTION_STAGE_RANKS, inspectionStageRank } from '../../domain/inspection-progress';

describe('inspection stage order', () => {
  it('puts every stage on the way before every final stage, and ranks every stage', () => {
    const finalRank = inspectionStageRank('compliant');
    for (const stage of INSPECTION_STAGES) {
      expect(INSPECTION_STAGE_RANKS[stage], stage).toBeGreaterThanOrEqual(0);
      if (FINAL_STAGES.includes(stage)) expect(inspectionStageRank(stage), stage).toBe(finalRank);
      else expect(inspectionStageRank(stage), stage).toBeLessThan(finalRank);
    }
  });

  it('orders the stages the workflow goes through', () => {
    const path = ['assigned', 'overdue', 'stating-case', 'rectifying', 'rectification-overdue', 'rectified'] as const;
    const ranks = path.map(inspectionStageRank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(ranks).size).toBe(path.length);
  });
});

describe('concluded inspections (已办结)', () => {
  it('counts the final stages but one whose findings opened a case, which is concluded only with its case', () => {
    expect(concludedCount(['compliant', 'case-opened', 'assigned', 'rectified', 'unreported', 'stating-case'])).toBe(3);
    expect(concludedCount(['case-opened', 'case-opened'])).toBe(0);
    expect(concludedCount([])).toBe(0);
  });
});
