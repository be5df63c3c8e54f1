// DESIGN §5 scale rule on the real Temporal dev server: a full-coverage campaign over 2,000 institutions starts its
// inspections page by page from a heartbeating activity, so no workflow has children at all (let alone more than
// 1,000); leadership gets from the campaign to every inspection by its CampaignId; and no history grows past 10,240
// events, neither while the inspections wait nor after every one of them has ended (findings recorded for all 2,000).
// The plan keeps this year's campaign open (1 January – 31 December), so the campaign starts at once. Bounds only, no
// timing assertions; the elapsed times and the largest history are printed for the record.
import { coverageCampaignId } from '../../domain/business-keys';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { ServiceError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan, type Plan } from '../../config';
import { localYear } from '../../domain/calendar';
import { coverageStatusQuery } from '../../workflows/coverage/api';
import { fullCoverage } from '../../workflows/coverage/workflow';
import { inspectionStatusQuery, recordFindingsUpdate } from '../../workflows/inspection/api';
import { countWorkflows, eventually, historyLength, mapLimit, startDevStack, terminateAll, type DevStack } from '../helpers/dev-stack';
import { generatePlan } from '../helpers/generate-plan';

const N = 2_000;
/** DESIGN §5: the server warns at 10,240 events and fails at 51,200. */
const MAX_HISTORY_EVENTS = 10_240;

let planFile: string;
let plan: Plan;
let stack: DevStack;
let client: Client;

beforeAll(async () => {
  planFile = await generatePlan({ count: N, coverage: { start: '01-01', deadline: '12-31' } });
  plan = await loadPlan(planFile);
  stack = await startDevStack({ planFile });
  client = stack.client;
});

afterAll(async () => {
  if (stack) {
    // Terminating first lets the worker shut down at once instead of finishing 2,000 inspections' activities.
    await terminateAll(client, stack.config.temporal.namespace);
    await stack.stop();
  }
  if (planFile) rmSync(path.dirname(planFile), { recursive: true, force: true });
}, 300_000);

async function list(query: string): Promise<WorkflowExecutionInfo[]> {
  const rows: WorkflowExecutionInfo[] = [];
  for await (const row of client.workflow.list({ query })) rows.push(row);
  return rows;
}

/** Waits (bounded) until the worker has nothing in flight for a few seconds, so histories have stopped growing. */
async function workerIdle(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (quiet < 3 && Date.now() < deadline) {
    const status = stack.worker!.getStatus();
    quiet = status.numInFlightActivities === 0 && status.numInFlightWorkflowActivations === 0 ? quiet + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/**
 * A query waits for the workflow's pending task; with thousands of first tasks queued on 2 busy cores it can time
 * out ("query timed out before a worker could process it") although nothing is wrong. Asked again, a few times.
 */
async function queryPatiently<T>(query: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await query();
    } catch (error) {
      const timedOut = error instanceof ServiceError && /DEADLINE_EXCEEDED|timed out/.test(`${error.message} ${String(error.cause)}`);
      if (!timedOut || attempt >= 5) throw error;
    }
  }
}

describe(`full coverage of ${N} institutions (dev server)`, () => {
  it(
    'starts every inspection without children, within the server limits, each reachable from the campaign, also after all have ended',
    { timeout: 20 * 60_000 },
    async () => {
      const { code, timeZone } = plan.jurisdiction;
      const year = localYear(new Date(), timeZone);
      const workflowId = `coverage:${code}:${year}`;
      const campaignId = coverageCampaignId(code, year);
      const inspections = `CampaignId = "${campaignId}" AND WorkflowType = "inspection"`;

      const started = Date.now();
      const handle = await client.workflow.start(fullCoverage, {
        workflowId,
        taskQueue: stack.config.temporal.taskQueue,
        args: [{ jurisdiction: code, year }],
      });
      const visible = await eventually(
        () => countWorkflows(client, inspections),
        (n) => n >= N,
        { timeoutMs: 10 * 60_000, intervalMs: 2_000 },
      );
      const fanOutSeconds = (Date.now() - started) / 1000;
      expect(visible).toBe(N);
      await workerIdle(3 * 60_000);
      expect(await handle.query(coverageStatusQuery)).toMatchObject({
        campaignId,
        stage: 'running',
        members: N,
        started: N,
        notStarted: [],
      });

      // No children anywhere: the campaign started its inspections through the client, from its page activities.
      expect(await countWorkflows(client, `ParentWorkflowId = "${workflowId}"`)).toBe(0);
      expect(await countWorkflows(client, `${inspections} AND ParentWorkflowId IS NOT NULL`)).toBe(0);

      // Leadership's way in: one CampaignId query lists every inspection of the campaign, once per institution.
      const rows = await list(inspections);
      expect(rows).toHaveLength(N);
      expect(new Set(rows.map((r) => r.workflowId)).size).toBe(N);
      expect(new Set(rows.map((r) => r.searchAttributes.InstitutionId?.[0]))).toEqual(new Set(plan.institutions.map((i) => i.id)));
      expect(new Set(rows.map((r) => r.searchAttributes.Stage?.[0]))).toEqual(new Set(['assigned']));

      const measure = async (label: string) => {
        const ids = [workflowId, ...rows.map((r) => r.workflowId)];
        const lengths = await mapLimit(ids, 8, (id) => historyLength(client, id));
        const max = Math.max(...lengths);
        console.log(
          `scale (${label}): largest history ${max} events (${ids[lengths.indexOf(max)]}); campaign ${lengths[0]}, inspections ≤ ${Math.max(...lengths.slice(1))}`,
        );
        expect(lengths.every((n) => n > 0)).toBe(true);
        expect(max).toBeLessThanOrEqual(MAX_HISTORY_EVENTS);
      };
      await measure(`${N} inspections visible after ${fanOutSeconds.toFixed(1)} s, waiting for findings`);

      // Every inspection to its end: findings without violations from a member of its team.
      const t0 = Date.now();
      await mapLimit(rows, 8, async (row) => {
        const inspection = client.workflow.getHandle(row.workflowId);
        const { team } = await queryPatiently(() => inspection.query(inspectionStatusQuery));
        await inspection.executeUpdate(recordFindingsUpdate, {
          args: [{ inspectorId: team[0], inspectedAt: new Date().toISOString(), violation: false }],
        });
      });
      const completed = await eventually(
        () => countWorkflows(client, `${inspections} AND ExecutionStatus = "Completed"`),
        (n) => n >= N,
        { timeoutMs: 10 * 60_000, intervalMs: 2_000 },
      );
      expect(completed).toBe(N);
      await workerIdle(3 * 60_000);
      await measure(`all ${N} inspections completed ${((Date.now() - t0) / 1000).toFixed(1)} s after the first findings`);
    },
  );
});
