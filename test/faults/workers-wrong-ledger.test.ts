// Issue 9, defect 2: a worker on the wrong ledger. Beside the workers on PostgreSQL, one is started without
// DATABASE_URL, so it opens an embedded ledger of its own (a fresh JIANGUAN_DATA_DIR), empty, on the same task queue.
// It must say "ledger mismatch" and exit with code 1 before it takes any task; the campaign it would have finished on
// an empty ledger (0 members started, 0 uninspected: the leaders told nothing is missing) completes on the right
// workers, every member started once and every notice sent once (twice only one the killed worker
// delivered and never recorded as sent).
//
// The campaign is the sample plan's full coverage of last year: every date of it has passed, so it runs to its end
// at once (44 inspections that are never reported, and the leaders told so). Its one page is in flight when its worker
// is killed (the test holds the ledger's claim lock of one member, as in workers-killed.test.ts), so a page retry is
// waiting for whichever worker polls next when the wrong one starts, alone.
import { coverageCampaignId, inspectionWorkflowId } from '../../domain/business-keys';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PLAN_FILE, loadPlan, type Plan } from '../../config';
import { localYear } from '../../domain/calendar';
import type { SqlStore } from '../../records/store';
import { fullCoverage } from '../../workflows/coverage/workflow';
import { type CoverageStatus } from '../../workflows/coverage/api';
import { eventually } from '../helpers/dev-stack';
import {
  assertEachNoticeOnce,
  keysRecordedBy,
  assertNothingRetrying,
  assertOneRunPerId,
  assertStagesNotBackwards,
  assertWorkersAlive,
  claimLocks,
  identityOf,
  killWorker,
  listRuns,
  spawnWorkerProcess,
  startWorkerRig,
  tasksByIdentity,
  type WorkerRig,
} from './helpers';

/** The member (seq) whose claim the test holds while the page's worker is killed. */
const HELD = 4;

let plan: Plan;
let rig: WorkerRig;
let client: Client;
let store: SqlStore;
let locks: Awaited<ReturnType<typeof claimLocks>>;
let wrongDataDir: string;

beforeAll(async () => {
  plan = await loadPlan(DEFAULT_PLAN_FILE);
  rig = await startWorkerRig({ database: 'jianguan_wrong_ledger' });
  client = rig.client;
  store = await rig.ledger();
  locks = await claimLocks(rig.databaseUrl);
  wrongDataDir = mkdtempSync(path.join(tmpdir(), 'jianguan-wrong-ledger-'));
});

afterAll(async () => {
  await locks?.close();
  await rig?.close();
  if (wrongDataDir) rmSync(wrongDataDir, { recursive: true, force: true });
}, 180_000);

describe('a worker on another ledger than its task queue', () => {
  it(
    'says "ledger mismatch" and exits with code 1 before taking a task; the campaign completes on the right workers',
    { timeout: 15 * 60_000 },
    async () => {
      const { code, timeZone } = plan.jurisdiction;
      const year = localYear(new Date(), timeZone) - 1;
      const campaignId = coverageCampaignId(code, year);
      const coverageId = `coverage:${code}:${year}`;
      const inspections = `CampaignId = "${campaignId}" AND WorkflowType = "inspection"`;
      const members = plan.institutions.map((i) => i.id).sort();

      // The campaign's page in flight, waiting on the held member, when its worker is killed.
      const first = await rig.startWorker();
      await locks.hold(code, members[HELD], year);
      const handle = await client.workflow.start(fullCoverage, {
        workflowId: coverageId,
        taskQueue: rig.stack.config.temporal.taskQueue,
        args: [{ jurisdiction: code, year }],
      });
      const wanted = members.filter((_, seq) => seq !== HELD).map((id) => inspectionWorkflowId(campaignId, id));
      const started = await eventually(
        async () => new Set((await listRuns(client, inspections)).map((r) => r.workflowId)),
        (ids) => wanted.every((id) => ids.has(id)),
        { timeoutMs: 5 * 60_000, intervalMs: 1_000 },
      );
      expect(
        wanted.filter((id) => !started.has(id)),
        'inspections the page has not started',
      ).toEqual([]);
      expect(
        ((await handle.describe()).raw.pendingActivities ?? []).map((a) => a.activityType?.name),
        'the page is in flight',
      ).toEqual(['startInspections']);
      const stagesBefore = await store.listInspections(campaignId);
      await killWorker(first);
      await locks.release(code, members[HELD], year);

      // The wrong worker, alone on the task queue with the page retry waiting: it must refuse to run.
      const wrong = spawnWorkerProcess(rig.stack, {
        JIANGUAN_DATA_DIR: wrongDataDir,
        // Only its ledger is wrong: it has the payload key the others use (otherwise it could not read the register).
        JIANGUAN_CODEC_KEYS_FILE: path.join(rig.stack.dataDir, 'codec-keys'),
        SMTP_HOST: rig.env.SMTP_HOST,
        SMTP_PORT: rig.env.SMTP_PORT,
      });
      rig.workers.push(wrong);
      const closed = async () => (await handle.describe()).status.name !== 'RUNNING';
      await eventually(async () => wrong.process.exitCode !== null || (await closed()), Boolean, {
        timeoutMs: 3 * 60_000,
        intervalMs: 1_000,
      });
      console.log(
        `workers-wrong-ledger: the worker without DATABASE_URL ${wrong.process.exitCode === null ? 'still runs' : `exited with code ${wrong.process.exitCode}`}; the campaign ${(await closed()) ? 'has ended' : 'still runs'}`,
      );

      const right = await rig.startWorker();
      expect(await eventually(closed, Boolean, { timeoutMs: 5 * 60_000, intervalMs: 1_000 }), 'the campaign has ended').toBe(true);
      const result: CoverageStatus = await handle.result();
      console.log(
        `workers-wrong-ledger: the campaign ended ${JSON.stringify({ members: result.members, started: result.started, notStarted: result.notStarted, uncoveredAtDeadline: result.uncoveredAtDeadline, uninspectedAtEnd: result.uninspectedAtEnd })}`,
      );

      // The wrong worker said why and left before it took any task of the campaign.
      const lines = wrong
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { level: number; msg: string });
      expect(
        lines.filter((l) => l.msg === 'ledger mismatch').map((l) => l.level),
        `"ledger mismatch" logged as an error:\n${wrong.output().slice(-2_000)}`,
      ).toEqual([50]);
      expect(wrong.process.exitCode, 'exit code of the worker on the wrong ledger').toBe(1);
      const ids = [coverageId, ...members.map((id) => inspectionWorkflowId(campaignId, id))];
      expect((await tasksByIdentity(client, ids)).get(identityOf(wrong)) ?? 0, 'tasks the wrong worker took').toBe(0);

      // The campaign as the right ledger has it: every member started, none inspected (every date has passed).
      const uninspected = await store.listUninspected(campaignId, { givenUp: true });
      expect(result).toMatchObject({
        campaignId,
        stage: 'completed',
        members: members.length,
        started: members.length,
        notStarted: [],
        uninspectedAtEnd: uninspected.length,
      });
      expect(uninspected.map((u) => u.institutionId).sort()).toEqual(members);

      // The end conditions, once every inspection has ended (unreported).
      await eventually(
        () => listRuns(client, `${inspections} AND ExecutionStatus = "Running"`),
        (open) => open.length === 0,
        { timeoutMs: 3 * 60_000, intervalMs: 2_000 },
      );
      await assertOneRunPerId(
        client,
        inspections,
        members.map((id) => inspectionWorkflowId(campaignId, id)),
      );
      await assertOneRunPerId(client, `WorkflowId = "${coverageId}"`, [coverageId]);
      assertStagesNotBackwards(stagesBefore, await store.listInspections(campaignId));
      const counts = await assertEachNoticeOnce(rig.smtp, store, '', keysRecordedBy([first]));
      console.log(
        `workers-wrong-ledger: ${counts.deliveries} deliveries for ${counts.notices} notices, ${counts.cutOff} of them cut off by a kill and sent again`,
      );
      await assertNothingRetrying(client, `CampaignId = "${campaignId}"`);
      assertWorkersAlive([right]);
    },
  );
});
