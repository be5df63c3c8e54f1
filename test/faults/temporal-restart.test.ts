// The Temporal dev server killed outright (SIGKILL) while a full-coverage fan-out page is in flight, and started again a
// minute later on the same SQLite file and ports; the two worker processes stay up and reconnect. The page's
// heartbeats cannot reach a dead server, so once it is back the page is retried (its heartbeat timeout has passed)
// while its first attempt may still be running: the retry must recognise every inspection already started, those that
// closed meanwhile (findings recorded) included. End conditions: one run per id, each notice once, no stage moved
// back, nothing retrying, both workers alive.
//
// How the kill lands inside the page: the test holds the ledger's claim lock of one member (claimLocks), as a slow
// database would; the page starts the others and waits on it. The lock is released once the page has been retried,
// or RETRY_WAIT_MS after the server came back should the first attempt's heartbeats have reached it first.
import { coverageCampaignId, inspectionWorkflowId } from '../../domain/business-keys';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan, type Plan } from '../../config';
import { localYear } from '../../domain/calendar';
import type { SqlStore } from '../../records/store';
import { coverageStatusQuery } from '../../workflows/coverage/api';
import { fullCoverage } from '../../workflows/coverage/workflow';
import { inspectionStatusQuery, recordFindingsUpdate } from '../../workflows/inspection/api';
import { eventually, mapLimit } from '../helpers/dev-stack';
import { generatePlan } from '../helpers/generate-plan';
import { OUTAGE_MS } from './demo-campaign';
import {
  assertEachNoticeOnce,
  assertNothingRetrying,
  assertOneRunPerId,
  assertStagesNotBackwards,
  assertWorkersAlive,
  claimLocks,
  listRuns,
  retrying,
  startWorkerRig,
  type WorkerRig,
} from './helpers';

const N = 44;
/** The member (seq) the page waits on while the server is down. */
const HELD = 30;
/** Members the page started before the kill whose findings are recorded (so they close) before the page is retried. */
const RECORDED = [3, 12, 20];
/** Longest wait for the page's retry after the server is back (base's heartbeat timeout was 2 minutes). */
const RETRY_WAIT_MS = 3 * 60_000;

let planFile: string;
let plan: Plan;
let rig: WorkerRig;
let store: SqlStore;
let locks: Awaited<ReturnType<typeof claimLocks>>;

beforeAll(async () => {
  // This year's coverage open all year, so it starts at once whatever today's date.
  planFile = await generatePlan({ count: N, coverage: { start: '01-01', deadline: '12-31' } });
  plan = await loadPlan(planFile);
  rig = await startWorkerRig({ database: 'jianguan_restart', planFile });
  store = await rig.ledger();
  locks = await claimLocks(rig.databaseUrl);
  await rig.startWorker();
  await rig.startWorker();
});

afterAll(async () => {
  await locks?.close();
  await rig?.close();
  if (planFile) rmSync(path.dirname(planFile), { recursive: true, force: true });
}, 180_000);

describe('the Temporal server killed and restarted during a fan-out page', () => {
  it('resumes the page without starting anything twice; the workers reconnect', { timeout: 20 * 60_000 }, async () => {
    const { client } = rig;
    const { code, timeZone } = plan.jurisdiction;
    const year = localYear(new Date(), timeZone);
    const campaignId = coverageCampaignId(code, year);
    const coverageId = `coverage:${code}:${year}`;
    const inspections = `CampaignId = "${campaignId}" AND WorkflowType = "inspection"`;
    // Members in the ledger's order (ids in byte order), so seq n is members[n].
    const members = plan.institutions.map((i) => i.id).sort();
    const idOf = (seq: number) => inspectionWorkflowId(campaignId, members[seq]);
    const pageAttempt = async () => (await client.workflow.getHandle(coverageId).describe()).raw.pendingActivities?.[0]?.attempt ?? 0;

    await locks.hold(code, members[HELD], year);
    await client.workflow.start(fullCoverage, {
      workflowId: coverageId,
      taskQueue: rig.stack.config.temporal.taskQueue,
      args: [{ jurisdiction: code, year }],
    });
    const others = members
      .map((_, seq) => seq)
      .filter((seq) => seq !== HELD)
      .map(idOf);
    const started = await eventually(
      async () => new Set((await listRuns(client, inspections)).map((r) => r.workflowId)),
      (ids) => others.every((id) => ids.has(id)),
      { timeoutMs: 6 * 60_000, intervalMs: 1_000 },
    );
    expect(
      others.filter((id) => !started.has(id)),
      'inspections the page has not started',
    ).toEqual([]);

    // Closed before the page is retried: only the id's reuse policy stands between each of them and a second run.
    await mapLimit(RECORDED.map(idOf), 3, async (id) => {
      const handle = client.workflow.getHandle(id);
      const { team } = await handle.query(inspectionStatusQuery);
      await handle.executeUpdate(recordFindingsUpdate, {
        args: [{ inspectorId: team[0], inspectedAt: new Date().toISOString(), violation: false }],
      });
      await handle.result();
    });
    const before = await store.listInspections(campaignId);
    expect(before.filter((r) => RECORDED.map(idOf).includes(r.id)).map((r) => r.stage)).toEqual(RECORDED.map(() => 'compliant'));
    expect(await pageAttempt(), 'the page is in flight, on its first attempt').toBe(1);

    await rig.stack.killServer();
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    await rig.stack.startServer();
    const back = Date.now();
    const attempt = await eventually(pageAttempt, (n) => n >= 2, { timeoutMs: RETRY_WAIT_MS, intervalMs: 1_000 });
    console.log(`temporal-restart: page attempt ${attempt} ${((Date.now() - back) / 1000).toFixed(0)} s after the server came back`);
    await locks.release(code, members[HELD], year);

    const status = await eventually(
      () => client.workflow.getHandle(coverageId).query(coverageStatusQuery),
      (s) => s.started === N,
      { timeoutMs: 6 * 60_000, intervalMs: 1_000 },
    );
    expect(status).toMatchObject({ campaignId, members: N, started: N, notStarted: [] });
    const ledger = await eventually(
      async () => ({ rows: await store.listInspections(campaignId), notices: await store.listNotifications() }),
      ({ rows, notices }) =>
        rows.length === N && notices.length >= N * plan.inspection.teamSize && notices.every((n) => n.status === 'sent'),
      { timeoutMs: 3 * 60_000, intervalMs: 1_000 },
    );
    await eventually(
      () => retrying(client, `CampaignId = "${campaignId}"`),
      (left) => left.length === 0,
      { timeoutMs: 3 * 60_000, intervalMs: 2_000 },
    );
    const runs = await listRuns(client, inspections);
    console.log(`temporal-restart: ${runs.length} runs of ${new Set(runs.map((r) => r.workflowId)).size} inspection ids`);

    expect(ledger.rows.map((r) => r.institutionId).sort(), 'one inspection per institution').toEqual(members);
    await assertOneRunPerId(
      client,
      inspections,
      members.map((id) => inspectionWorkflowId(campaignId, id)),
    );
    await assertOneRunPerId(client, `WorkflowId = "${coverageId}"`, [coverageId]);
    assertStagesNotBackwards(before, await store.listInspections(campaignId));
    const counts = await assertEachNoticeOnce(rig.smtp, store, '');
    console.log(`temporal-restart: ${counts.deliveries} deliveries for ${counts.notices} notices`);
    await assertNothingRetrying(client, `CampaignId = "${campaignId}"`);
    assertWorkersAlive(rig.workers);
  });
});
