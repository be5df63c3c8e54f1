// The state one inspection workflow shares between its setup, its Update handlers and the steps of its run.
import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import { formatLocal } from '../../domain/calendar';
import { DrawError, drawTeam } from '../../domain/draw';
import { STAGE_LABELS } from '../../domain/inspection';
import type { InspectionFacts } from '../../domain/inspection-messages';
import type { InspectionInput, InspectionStatus, Person } from './api';

export interface InspectionState {
  readonly input: InspectionInput;
  readonly workflowId: string;
  /** The jurisdiction's time zone. */
  readonly tz: string;
  /** The deadline for the findings. */
  readonly dueAt: Date;
  /** The drawn inspectors' ids, and the inspectors themselves. */
  readonly team: string[];
  readonly teamMembers: Person[];
  readonly facts: InspectionFacts;
  readonly status: InspectionStatus;
}

export function createInspectionState(input: InspectionInput): InspectionState {
  const { workflowId } = workflowInfo();
  const tz = input.jurisdiction.timeZone;
  const dueAt = new Date(input.dueAt);
  const team = drawTeamOrFail(input);
  const teamMembers = team.map((id) => input.inspectorPool.find((p) => p.id === id)!);
  return {
    input,
    workflowId,
    tz,
    dueAt,
    team,
    teamMembers,
    facts: {
      jurisdictionName: input.jurisdiction.name,
      campaignTitle: input.campaign.title,
      institutionName: input.institution.name,
      teamNames: teamMembers.map((p) => p.name),
      due: formatLocal(dueAt, tz),
    },
    status: {
      inspectionId: workflowId,
      institutionId: input.institution.id,
      stage: 'assigned',
      stageLabel: STAGE_LABELS.assigned,
      team,
      dueAt: input.dueAt,
      overdue: false,
      remindersSent: 0,
    },
  };
}

/** A plan that passed `plan check` always has enough conflict-free inspectors; if not, fail this inspection clearly. */
function drawTeamOrFail(input: InspectionInput): string[] {
  try {
    return drawTeam(input.drawSeed, input.inspectorPool, input.institution.id, input.teamSize);
  } catch (error) {
    if (error instanceof DrawError) throw ApplicationFailure.nonRetryable(error.message, 'DrawError');
    throw error;
  }
}
