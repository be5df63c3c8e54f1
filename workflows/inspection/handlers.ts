// The inspection's query and Updates. Findings are taken from a team member while the inspection waits for them; a
// statement (flying checks) only while the institution may state its case. A validator refuses whatever the run would
// not act on, so an accepted Update always takes effect.
import { setHandler } from '@temporalio/workflow';
import { findingsSchema, statementSchema } from '../../domain/inspection';
import { formatProblems, zodProblems } from '../../domain/validation';
import { inspectionStatusQuery, recordFindingsUpdate, submitStatementUpdate, type InspectionStatus } from './api';
import { reject } from '../payloads';
import { settle } from '../waiting';
import { type InspectionState } from './state';

/** Registers the status query and the two Updates with their validators. */
export function registerHandlers(s: InspectionState): void {
  const { status } = s;
  setHandler(inspectionStatusQuery, () => status);
  setHandler(
    recordFindingsUpdate,
    async (payload) => {
      status.findings = findingsSchema.parse(payload);
      return settled(s);
    },
    { validator: (payload) => validateFindings(s, payload) },
  );
  setHandler(
    submitStatementUpdate,
    (payload) => {
      status.statement = statementSchema.parse(payload);
      return status;
    },
    { validator: (payload) => validateStatement(s, payload) },
  );
}

/**
 * The status once the main flow has acted on an accepted payload (recorded it in the ledger and moved on), so
 * the sender sees the resulting stage. Bounded: if the ledger is unreachable the caller still gets an answer.
 */
async function settled(s: InspectionState): Promise<InspectionStatus> {
  const before = s.status.stage;
  await settle(() => s.status.stage !== before);
  return s.status;
}

/** Rejects findings that are malformed, from outside the team, or arrive when some are already in. */
function validateFindings(s: InspectionState, payload: unknown): void {
  const { status, team } = s;
  if (status.findings !== undefined) reject(`findings not accepted: the inspection is at stage ${status.stage}`, 'InvalidStage');
  if (status.coveredBy !== undefined) {
    reject(
      `findings not accepted: the institution's on-site inspection of the year was had by ${status.coveredBy.join(', ')}`,
      'InvalidStage',
    );
  }
  const parsed = findingsSchema.safeParse(payload);
  if (!parsed.success) reject(`invalid findings: ${formatProblems(zodProblems(parsed.error))}`);
  if (!team.includes(parsed.data.inspectorId)) {
    reject(`invalid findings: inspectorId: ${parsed.data.inspectorId} is not on this inspection's team (${team.join(', ')})`);
  }
}

/** Rejects a malformed statement, or one outside the statement period or after the first. */
function validateStatement(s: InspectionState, payload: unknown): void {
  const { status } = s;
  if (status.stage !== 'stating-case' || status.statement !== undefined) {
    reject(`statement not accepted: the inspection is at stage ${status.stage}`, 'InvalidStage');
  }
  const parsed = statementSchema.safeParse(payload);
  if (!parsed.success) reject(`invalid statement: ${formatProblems(zodProblems(parsed.error))}`);
}
