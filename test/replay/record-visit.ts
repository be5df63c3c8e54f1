// The histories of record.ts for the claim at the visit (since 1.1, patch `onsite-claim-at-visit`): a campaign's
// inspection (`claimOnSiteAtVisit`) whose institution an unannounced flying check visited first. `covered-at-visit`:
// its findings come, the claim is refused, and it ends covered by the flying check. `covered-meanwhile`: the flying
// check's findings are recorded while it waits for its team; at its first reminder it tells the team and ends covered.
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { drawTeam } from '../../domain/draw';
import { inspectionStatusQuery, recordFindingsUpdate } from '../../workflows/inspection/api';
import { inspection } from '../../workflows/inspection/workflow';
import { ledgerInstitution } from '../helpers/case-records';
import { inspectionInput, localEndOfDay } from '../helpers/inspection-input';
import type { Harness } from '../helpers/workflow-harness';

type Save = (name: string, handle: WorkflowHandle) => Promise<void>;

/** A year no other history of record.ts claims on-site inspections in, so its claim changes none of theirs. */
const YEAR = 2025;

const FLYING_CAMPAIGN = 'replay-flying';
const FLYING_INSPECTION = `inspection:${FLYING_CAMPAIGN}:H001`;

export async function recordVisit(
  env: TestWorkflowEnvironment,
  harness: Harness,
  save: Save,
  finish: (handle: WorkflowHandle) => Promise<void>,
): Promise<void> {
  await harness.store.upsertInstitutions([ledgerInstitution({ responsibleUnitId: undefined })]);
  const dueAt = localEndOfDay(await env.currentTimeMs(), 20);
  const campaign = (id: string) =>
    harness.store.ensureCampaign({
      id,
      jurisdiction: '349901',
      kind: 'coverage',
      title: '回放',
      year: YEAR,
      startsAt: new Date().toISOString(),
      dueAt: dueAt.toISOString(),
      drawSeed: 'seed-1',
    });
  /** A campaign's inspection of H001 that claims at its visit, started and at rest. */
  const start = async (campaignId: string) => {
    await campaign(campaignId);
    const input = inspectionInput(localEndOfDay(await env.currentTimeMs(), 20), {
      campaign: { id: campaignId, kind: 'coverage', title: '回放', year: YEAR },
      claimOnSiteAtVisit: true,
    });
    const handle = await env.client.workflow.start(inspection, {
      workflowId: `inspection:${campaignId}:H001`,
      taskQueue: harness.taskQueue,
      args: [input],
    });
    // Let the start's workflow task finish first: an Update racing it can stall the time-skipping test server.
    await env.sleep('1 minute');
    return { handle, input };
  };
  const now = async () => new Date(await env.currentTimeMs()).toISOString();

  // The flying check's claim at its start: it had the institution's on-site inspection of the year first.
  await harness.store.claimOnSiteInspection({ jurisdiction: '349901', institutionId: 'H001', year: YEAR, inspectionId: FLYING_INSPECTION });
  const atVisit = await start('replay-covered-at-visit');
  const [inspectorId] = drawTeam(atVisit.input.drawSeed, atVisit.input.inspectorPool, 'H001', atVisit.input.teamSize);
  const status = await atVisit.handle.executeUpdate(recordFindingsUpdate, {
    args: [{ inspectorId, inspectedAt: await now(), violation: false }],
  });
  if (status.stage !== 'covered') throw new Error(`expected the inspection covered by the flying check, got ${status.stage}`);
  await finish(atVisit.handle);
  await save('inspection-covered-at-visit', atVisit.handle);

  // The flying check's findings recorded: its visit is over.
  await campaign(FLYING_CAMPAIGN);
  const at = await now();
  const row = {
    id: FLYING_INSPECTION,
    campaignId: FLYING_CAMPAIGN,
    institutionId: 'H001',
    team: ['I02', 'I03'],
    drawSeed: 'seed-1',
    announced: false,
    stage: 'compliant' as const,
    dueAt: dueAt.toISOString(),
    rectificationDueAt: null,
    updatedAt: at,
  };
  const audit = {
    key: `${FLYING_INSPECTION}:findings-recorded`,
    actor: 'I02',
    action: 'findings-recorded',
    subjectType: 'inspection',
    subjectId: FLYING_INSPECTION,
    reason: '回放',
    detail: {},
    at,
  };
  const findings = {
    inspectionId: FLYING_INSPECTION,
    inspectorId: 'I02',
    inspectedAt: at,
    violation: false,
    items: [],
    note: '',
    recordedAt: at,
  };
  await harness.store.saveFindings(findings, row, audit);
  const meanwhile = await start('replay-covered-meanwhile');
  await finish(meanwhile.handle);
  const ended = await meanwhile.handle.query(inspectionStatusQuery);
  if (ended.stage !== 'covered') throw new Error(`expected the inspection covered meanwhile, got ${ended.stage}`);
  await save('inspection-covered-meanwhile', meanwhile.handle);
}
