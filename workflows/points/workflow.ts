// Practitioner points (医保支付资格记分, DESIGN §5 "practitionerPoints"): one entity workflow per practitioner and year,
// `points:{practitionerId}:{year}`. Deductions arrive as a validated Update (`deduct`): by hand (`jianguan points
// deduct`) or from a case's penalty decision (the `deductPractitionerPoints` activity), so the sender always gets the
// real answer. Each deduction has a key: the same key again counts nothing (a retry returns the first result), another
// deduction under a used key is refused. Reaching the suspension threshold suspends the practitioner's billing
// eligibility for the decided months (a durable timer lifts it); reaching the end threshold ends it with a
// re-registration bar. Every change of standing is written to the ledger (`points_status`) and the audit trail.
//
// The year's reset (points start at zero each January) is the hand-over from this year's workflow to next year's,
// `points:{practitionerId}:{year+1}`, not a continue-as-new: the ids carry the year (DESIGN §5), so last year's
// deductions stay readable under last year's id. At the year's end the workflow
//   1. refuses further deductions (the validator names next year's workflow),
//   2. waits until every deduction still being written has reached the ledger and been notified,
//   3. writes the year's closing standing (ledger + audit) and,
//   4. when a suspension or bar runs on past the year's end, hands it to next year's workflow (which starts at zero
//      points, or already has January's deductions: the restriction is merged in, the stricter and later one wins),
//      then completes.
// Within a year the workflow continues as new when its history grows long (Temporal's suggestion, or the configured
// event bound `settings.historyEventsLimit`), after in-flight deductions have finished, carrying its whole state.
//
// The state the handlers and steps share is state.ts; the query, Updates and signals with their validators are
// handlers.ts; the wait for a suspension's end and continue-as-new are year.ts; the year's close and hand-over are
// close.ts.
import type { PointsInput, PointsStatus } from './api';
import { closeYear, handOver } from './close';
import { registerHandlers } from './handlers';
import { createPointsYearState, pointsStatus, showDetails } from './state';
import { takeCarried } from './steps';
import { historyWatch, runYear } from './year';

export async function practitionerPoints(input: PointsInput): Promise<PointsStatus> {
  const s = createPointsYearState(input);
  registerHandlers(s);
  showDetails(s);
  const historyLong = historyWatch(s);
  if (input.carried && !input.resume) await takeCarried(s, input.carried);
  await runYear(s, historyLong);
  const carried = await closeYear(s);
  if (carried) await handOver(s, carried);
  return pointsStatus(s);
}
