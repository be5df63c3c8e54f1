// The one-on-site-inspection-a-year rule for campaigns' inspections (domain/onsite.ts): claimed at the visit, so the
// start only checks that nobody visited already, and a visit after another inspection's ends covered by it.
import { describe, expect, it } from 'vitest';
import { coveredReason, mayStartInspection, notStartedReason, recordedVisitsBy, visitedBy, visitOutcome } from '../../domain/onsite';
import { FINAL_STAGES, STAGE_LABELS } from '../../domain/inspection';

const COVERAGE = 'inspection:349901-coverage-2027:H001';
const FLYING = 'inspection:349901-flying-2027:H001';

describe('campaign inspections and the year’s on-site claim', () => {
  it('starts an inspection unless another one visited the institution this year', () => {
    expect(mayStartInspection([], COVERAGE)).toBe(true);
    // A retried start after its own visit: its own claim does not stop it (the start is recognised as done).
    expect(mayStartInspection([COVERAGE], COVERAGE)).toBe(true);
    expect(mayStartInspection([FLYING], COVERAGE)).toBe(false);
    expect(visitedBy([FLYING, COVERAGE], COVERAGE)).toEqual([FLYING]);
  });

  it('records the visit as the year’s on-site inspection when the claim is allowed, else ends covered by the others', () => {
    expect(visitOutcome({ allowed: true, inspections: [COVERAGE] }, COVERAGE)).toEqual({ covered: false });
    // A retried claim of the same visit is allowed again (the ledger is idempotent per inspection id).
    expect(visitOutcome({ allowed: true, inspections: [FLYING, COVERAGE] }, COVERAGE)).toEqual({ covered: false });
    expect(visitOutcome({ allowed: false, inspections: [FLYING] }, COVERAGE)).toEqual({ covered: true, by: [FLYING] });
  });

  it('covers an inspection still waiting for its team only by visits whose findings are recorded (四不两直)', () => {
    const LOOK_BACK = 'inspection:349901-flying-2027-lookback:H001';
    // The flying check claimed at its start; until its findings are in, the coverage team must not hear of it.
    expect(recordedVisitsBy([{ inspectionId: FLYING, findingsRecorded: false }], COVERAGE)).toEqual([]);
    expect(
      recordedVisitsBy(
        [
          { inspectionId: FLYING, findingsRecorded: true },
          { inspectionId: LOOK_BACK, findingsRecorded: false },
          { inspectionId: COVERAGE, findingsRecorded: true },
        ],
        COVERAGE,
      ),
    ).toEqual([FLYING]);
  });

  it('ends a covered inspection at a final stage of its own, and says why in the audit trail', () => {
    expect(FINAL_STAGES).toContain('covered');
    expect(STAGE_LABELS.covered).toBe('已由其他现场检查覆盖');
    expect(coveredReason(2027, [FLYING], true)).toBe(
      `2027年已由其他检查进行现场检查（${FLYING}），本检查不再重复现场检查，检查组提交的结果不予记录，按已覆盖办结`,
    );
    expect(coveredReason(2027, [FLYING], false)).toBe(`2027年已由其他检查进行现场检查（${FLYING}），本检查不再重复现场检查，按已覆盖办结`);
    expect(notStartedReason(2027, [FLYING])).toBe(`2027年已进行现场检查（${FLYING}），无线索或数据疑点，不再重复检查`);
  });
});
