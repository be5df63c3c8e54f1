// The history of record.ts for the claim at the visit (since 1.1, patch `onsite-claim-at-visit`): a campaign's
// inspection (`claimOnSiteAtVisit`) whose institution an unannounced flying check visited first; its findings come,
// the claim is refused, and it ends covered by the flying check.
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { drawTeam } from '../../domain/draw';
import { recordFindingsUpdate } from '../../workflows/inspection/api';
import { inspection } from '../../workflows/inspection/workflow';
import { ledgerInstitution } from '../helpers/case-records';
import { inspectionInput, localEndOfDay } from '../helpers/inspection-input';
import type { Harness } from '../helpers/workflow-harness';

type Save = (name: string, handle: WorkflowHandle) => Promise<void>;

/** A year no other history of record.ts claims on-site inspections in, so its claim changes none of theirs. */
const YEAR = 2025;

export async function recordVisit(
  env: TestWorkflowEnvironment,
  harness: Harness,
  save: Save,
  finish: (handle: WorkflowHandle) => Promise<void>,
): Promise<void> {
  const campaignId = 'replay-covered-at-visit';
  const input = inspectionInput(localEndOfDay(await env.currentTimeMs(), 20), {
    campaign: { id: campaignId, kind: 'coverage', title: '回放', year: YEAR },
    claimOnSiteAtVisit: true,
  });
  await harness.store.upsertInstitutions([ledgerInstitution({ responsibleUnitId: undefined })]);
  await harness.store.ensureCampaign({
    id: campaignId,
    jurisdiction: '349901',
    kind: 'coverage',
    title: '回放',
    year: YEAR,
    startsAt: new Date().toISOString(),
    dueAt: input.dueAt,
    drawSeed: input.drawSeed,
  });
  // The flying check's claim at its start: it had the institution's on-site inspection of the year first.
  await harness.store.claimOnSiteInspection({
    jurisdiction: '349901',
    institutionId: 'H001',
    year: YEAR,
    inspectionId: 'inspection:replay-flying:H001',
  });
  const handle = await env.client.workflow.start(inspection, {
    workflowId: `inspection:${campaignId}:H001`,
    taskQueue: harness.taskQueue,
    args: [input],
  });
  // Let the start's workflow task finish first: an Update racing it can stall the time-skipping test server.
  await env.sleep('1 minute');
  const [inspectorId] = drawTeam(input.drawSeed, input.inspectorPool, input.institution.id, input.teamSize);
  const inspectedAt = new Date(await env.currentTimeMs()).toISOString();
  const status = await handle.executeUpdate(recordFindingsUpdate, { args: [{ inspectorId, inspectedAt, violation: false }] });
  if (status.stage !== 'covered') throw new Error(`expected the inspection covered by the flying check, got ${status.stage}`);
  await finish(handle);
  await save('inspection-covered-at-visit', handle);
}
