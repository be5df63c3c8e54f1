// A worker that dies while a campaign is starting its inspections (DESIGN §5; the standard: "a crashed worker resumes
// where it was"): full coverage of 250 generated institutions in one page, whose start activity fails once, right
// after it has started the first 200 and heartbeated that. The retry resumes from the heartbeat: it reads the members
// from seq 200 on and starts only the last 50, and every institution ends with exactly one inspection, none refused as
// inspected already and none claimed yet (the claim comes at the visit). The real activities and the real inspection
// workflow, on the time-skipping server.
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFanOutActivities, type StartInspectionsInput } from '../../activities/fan-out';
import { ledgerAreas } from '../helpers/ledger-areas';
import { loadPlan } from '../../config';
import type { Store } from '../../records/types';
import { coverageStatusQuery } from '../../workflows/coverage/api';
import { fullCoverage } from '../../workflows/coverage/workflow';
import { CAMPAIGN_ID } from '../../workflows/search-attributes';
import { generatePlan } from '../helpers/generate-plan';
import { createTimeSkippingEnv } from '../helpers/temporal';
import { createHarness, type Harness } from '../helpers/workflow-harness';

const N = 250;
let env: TestWorkflowEnvironment;
let harness: Harness;
let planFile: string;
/** fromSeq of every ledger read of the campaign's members by the start activity, in order. */
const reads: number[] = [];

beforeAll(async () => {
  planFile = await generatePlan({ count: N });
  env = await createTimeSkippingEnv();
  harness = await createHarness(env, { planFile, activities: () => ({ startInspections: (input) => startInspections(input) }) });
});

/**
 * The real start activity over the ledger as it sees it: the third read (members from seq 200) fails once, as if the
 * worker had died there, just after the activity heartbeated "next: 200".
 */
let failed = false;
function startInspections(input: StartInspectionsInput) {
  const store = new Proxy(harness.store, {
    get(target, key, receiver) {
      if (key !== 'listCampaignMembers') return Reflect.get(target, key, receiver) as unknown;
      return async (...args: Parameters<Store['listCampaignMembers']>) => {
        reads.push(args[1]);
        if (reads.length === 3 && !failed) {
          failed = true;
          throw new Error('worker lost while starting the page');
        }
        return target.listCampaignMembers(...args);
      };
    },
  });
  return createFanOutActivities(ledgerAreas(store)).startInspections(input);
}

afterAll(async () => {
  await harness?.close();
  await env?.teardown();
  if (planFile) rmSync(path.dirname(planFile), { recursive: true, force: true });
});

describe('starting a campaign’s inspections after a crash', () => {
  it('resumes from the last heartbeat: nothing started or claimed twice, nobody left out', async () => {
    const plan = await loadPlan(planFile);
    const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
    const campaignId = `${plan.jurisdiction.code}-coverage-${year}`;
    const status = await harness.run(async () => {
      const handle = await env.client.workflow.start(fullCoverage, {
        workflowId: `coverage:${plan.jurisdiction.code}:${year}`,
        taskQueue: harness.taskQueue,
        args: [{ jurisdiction: plan.jurisdiction.code, year, pageSize: N }],
      });
      // To the campaign's start on 1 January; then real time (the server's clock stays put) while the page is started
      // and retried after its 5-second back-off: skipping ahead would time the start activity out.
      await env.sleep(new Date(`${year}-01-01T00:30:00+08:00`).getTime() - (await env.currentTimeMs()));
      for (let waited = 0; ; waited += 200) {
        const current = await handle.query(coverageStatusQuery);
        if (current.started === N || waited > 60_000) {
          await handle.terminate('test: the start is what is under test');
          return current;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    });

    // Attempt 1 read 0, 100, then failed reading 200; attempt 2 resumed at 200, not at 0.
    expect(reads).toEqual([0, 100, 200, 200]);
    expect(status).toMatchObject({ members: N, started: N, notStarted: [] });

    for (let i = 0; i < N; i += 25) {
      await Promise.all(
        plan.institutions.slice(i, i + 25).map(async (institution) => {
          const inspectionId = `inspection:${campaignId}:${institution.id}`;
          const described = await env.client.workflow.getHandle(inspectionId).describe();
          expect(described.typedSearchAttributes.get(CAMPAIGN_ID)).toBe(campaignId);
          // Started, not claimed: the year's on-site inspection is claimed at the visit (domain/onsite.ts).
          expect(await harness.store.listOnSiteInspections(plan.jurisdiction.code, institution.id, year)).toEqual([]);
          // Nothing refused as "already inspected this year" on the retry.
          const audit = await harness.store.listAudit(institution.id);
          expect(audit.filter((a) => a.action === 'inspection-not-started')).toEqual([]);
        }),
      );
    }
  });
});
