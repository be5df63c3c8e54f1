// DESIGN §5 scale rule on the real Temporal dev server: a full-coverage campaign over 2,000 institutions fans out as a
// tree (campaign → 4 shards of 500 → inspections), no workflow has more than 1,000 children, no history grows past
// 10,240 events, and leadership can get from the campaign to every inspection (CampaignId, parent links).
// The plan keeps this year's campaign open (1 January – 31 December), so the campaign starts at once. Bounds only, no
// timing assertions; the elapsed time and the largest history are printed for the record.
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan, type Plan } from '../../config';
import { localYear } from '../../domain/calendar';
import { coverageCampaignId, coverageStatusQuery, fullCoverage } from '../../workflows/coverage';
import { countWorkflows, eventually, historyLength, mapLimit, startDevStack, terminateAll, type DevStack } from '../helpers/dev-stack';
import { generatePlan } from '../helpers/generate-plan';

const N = 2_000;
const SHARD_SIZE = 500;
/** DESIGN §5: the server warns at 10,240 events and fails at 51,200. */
const MAX_HISTORY_EVENTS = 10_240;
/** DESIGN §5: the server fails at 2,000 pending children; jianguan keeps every workflow at 1,000 or fewer. */
const MAX_CHILDREN = 1_000;

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

describe(`full coverage of ${N} institutions (dev server)`, () => {
  it('fans out as a tree within the server limits, and every inspection is reachable from the campaign', { timeout: 20 * 60_000 }, async () => {
    const { code, timeZone } = plan.jurisdiction;
    const year = localYear(new Date(), timeZone);
    const workflowId = `coverage:${code}:${year}`;
    const campaignId = coverageCampaignId(code, year);
    const inspections = `CampaignId = "${campaignId}" AND WorkflowType = "inspection"`;

    const started = Date.now();
    const handle = await client.workflow.start(fullCoverage, {
      workflowId,
      taskQueue: stack.config.temporal.taskQueue,
      args: [{ jurisdiction: code, year, shardSize: SHARD_SIZE }],
    });
    const visible = await eventually(() => countWorkflows(client, inspections), (n) => n >= N, { timeoutMs: 10 * 60_000, intervalMs: 2_000 });
    const fanOutSeconds = (Date.now() - started) / 1000;
    expect(visible).toBe(N);
    await workerIdle(3 * 60_000);

    // The tree: the campaign → 4 shards of 500 → 2,000 inspections.
    expect(await handle.query(coverageStatusQuery)).toMatchObject({ campaignId, stage: 'running', members: N, shards: N / SHARD_SIZE });
    const shards = await eventually(() => list(`CampaignId = "${campaignId}" AND WorkflowType = "inspectionShard"`), (rows) => rows.length >= N / SHARD_SIZE);
    expect(shards).toHaveLength(N / SHARD_SIZE);
    expect(shards.every((s) => s.parentExecution?.workflowId === workflowId)).toBe(true);
    const shardIds = shards.map((s) => s.workflowId);

    // No workflow has more than 1,000 children (counted through visibility's parent links).
    const children = await mapLimit([workflowId, ...shardIds], 4, (parent) => countWorkflows(client, `ParentWorkflowId = "${parent}"`));
    expect(children).toEqual([N / SHARD_SIZE, ...shardIds.map(() => SHARD_SIZE)]);
    expect(Math.max(...children)).toBeLessThanOrEqual(MAX_CHILDREN);

    // Leadership's way in: one CampaignId query lists every inspection, each under a shard of the same campaign.
    const rows = await list(inspections);
    expect(rows).toHaveLength(N);
    expect(new Set(rows.map((r) => r.workflowId)).size).toBe(N);
    expect(new Set(rows.map((r) => r.searchAttributes.InstitutionId?.[0])).size).toBe(N);
    const shardSet = new Set(shardIds);
    expect(rows.filter((r) => !shardSet.has(r.parentExecution?.workflowId ?? '')).map((r) => r.workflowId)).toEqual([]);
    expect(new Set(rows.map((r) => r.workflowId.replace(/^inspection:[^:]+:/, '')))).toEqual(new Set(plan.institutions.map((i) => i.id)));

    // History sizes: the campaign, every shard and a sample of 20 inspections.
    const sample = rows.filter((_, i) => i % (N / 20) === 0).map((r) => r.workflowId);
    const measured = [workflowId, ...shardIds, ...sample];
    const lengths = await mapLimit(measured, 4, (id) => historyLength(client, id));
    const max = Math.max(...lengths);
    const largest = measured[lengths.indexOf(max)];
    console.log(
      `scale: ${N} inspections visible after ${fanOutSeconds.toFixed(1)} s; largest history ${max} events (${largest}); ` +
        `campaign ${lengths[0]}, shards ${lengths.slice(1, 1 + shardIds.length).join('/')}, inspections ≤ ${Math.max(...lengths.slice(1 + shardIds.length))}`,
    );
    expect(lengths.every((n) => n > 0)).toBe(true);
    expect(max).toBeLessThanOrEqual(MAX_HISTORY_EVENTS);
  });
});
