// End to end on the real Temporal dev server (the one `npm start` runs): search attributes registered at start,
// a campaign started idempotently, its inspections found through visibility list queries, findings recorded
// through the CLI's Update path, and the progress visible in the campaign's status query.
import type { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoCampaign } from '../../cli/dev';
import type { DevServer } from '../../cli/dev-server';
import { recordFindings } from '../../cli/inspection';
import { listCampaignInspections } from '../../cli/status';
import { DEFAULT_PLAN_FILE, loadPlan, type Plan, type RuntimeConfig } from '../../config';
import { localYear } from '../../domain/calendar';
import { drawTeam } from '../../domain/draw';
import { registerSearchAttributes } from '../../workers/setup';
import { campaignStatusQuery } from '../../workflows/campaign/api';
import { countWorkflows, eventually as poll, startDevStack, type DevStack } from '../helpers/dev-stack';

let stack: DevStack;
let server: DevServer;
let config: RuntimeConfig;
let plan: Plan;
let connection: Connection;
let client: Client;

/** Visibility is eventually consistent: poll a list query until `accept` holds (bounded). */
function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  return poll(read, accept, { timeoutMs: 30_000 });
}

function count(query: string): Promise<number> {
  return countWorkflows(client, query);
}

beforeAll(async () => {
  // The CLI functions below (status, inspection record) read their settings from the environment.
  stack = await startDevStack({ planFile: DEFAULT_PLAN_FILE, exportEnv: true });
  ({ server, config, connection, client } = stack);
  const full = await loadPlan(DEFAULT_PLAN_FILE);
  // Five institutions, hospitals and pharmacies, keep the test quick while covering both kinds.
  plan = {
    ...full,
    institutions: [...full.institutions.slice(0, 3), ...full.institutions.filter((i) => i.kind === 'pharmacy').slice(0, 2)],
  };
});

afterAll(async () => {
  await stack?.stop();
});

describe('on the Temporal dev server', () => {
  it('has the search attributes registered at start (registration is idempotent)', async () => {
    expect(server.owned).toBe(true);
    expect(await registerSearchAttributes(connection, config.temporal.namespace)).toEqual([]);
  });

  it('starts the demo campaign once: a second start resumes it', async () => {
    const first = await startDemoCampaign(config, plan);
    const second = await startDemoCampaign(config, plan);
    expect(first.resumed).toBe(false);
    expect(second).toEqual({ ...first, resumed: true });
    expect(await count(`WorkflowId = "${first.workflowId}"`)).toBe(1);
  });

  it("finds the campaign's inspections through list queries on the typed search attributes", async () => {
    const campaignId = (await startDemoCampaign(config, plan)).id;
    const all = `CampaignId = "${campaignId}" AND WorkflowType = "inspection"`;
    expect(
      await eventually(
        () => count(all),
        (n) => n === 5,
      ),
    ).toBe(5);
    const pharmacies = `${all} AND InstitutionKind = "pharmacy" AND Jurisdiction = "${plan.jurisdiction.code}" AND CampaignYear = ${localYear(new Date(), plan.jurisdiction.timeZone)}`;
    expect(
      await eventually(
        () => count(pharmacies),
        (n) => n === 2,
      ),
    ).toBe(2);
    const rows = await eventually(
      () => listCampaignInspections(campaignId),
      (r) => r.length === 5 && r.every((row) => row.stage === 'assigned'),
    );
    expect(rows.map((r) => r.institutionId).sort()).toEqual(plan.institutions.map((i) => i.id).sort());
    expect(rows.every((r) => r.dueAt instanceof Date && !r.overdue)).toBe(true);
  });

  it('records findings through the CLI path and shows the new stage in visibility and in the campaign status', async () => {
    const campaign = await startDemoCampaign(config, plan);
    const institution = plan.institutions[0];
    const { drawSeed } = await client.workflow.getHandle(campaign.workflowId).query(campaignStatusQuery);
    const inspector = drawTeam(drawSeed, plan.inspectors, institution.id, plan.inspection.teamSize)[0];
    await recordFindings({ campaign: campaign.id, institution: institution.id, inspector, violation: false });
    const rows = await eventually(
      () => listCampaignInspections(campaign.id),
      (r) => r.some((row) => row.stage === 'compliant'),
    );
    expect(rows.find((r) => r.institutionId === institution.id)?.stage).toBe('compliant');
    const status = await eventually(
      () => client.workflow.getHandle(campaign.workflowId).query(campaignStatusQuery),
      (s) => s.byStage.compliant === 1,
    );
    expect(status.byStage).toEqual({ assigned: 4, compliant: 1 });
    expect(await count(`CampaignId = "${campaign.id}" AND Stage = "compliant"`)).toBe(1);
  });
});
