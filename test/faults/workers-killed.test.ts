// Issue 9, defects 1 and 7: worker processes SIGKILLed twice during a full-coverage fan-out (dev server, PostgreSQL,
// SMTP), each time inside a page of inspection starts, after findings ("no violation") were recorded on inspections
// that page had started: the inspection closed before the page was retried. The retry must recognise every inspection
// already started, running or closed: no second run, no ledger stage moved back to `assigned`, each notice
// once (twice only one a killed worker delivered and never recorded as sent).
//
// How a kill lands inside a page every time: the test holds the ledger's claim lock of one member of the page (the
// advisory lock `claimOnSiteInspection` takes per institution and year), as a slow database would. The page starts
// every other member it has read and waits on that one; the worker is killed while it waits. The plan is the sample
// plan's with 44 generated institutions and this year's coverage open all year (the sample's deadline, 31 July, may
// have passed), in two pages of 22.
import { createPayloadCodec } from '../../codec/data-converter';
import { coverageCampaignId, inspectionWorkflowId } from '../../domain/business-keys';
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlan, type Plan } from '../../config';
import { localYear } from '../../domain/calendar';
import type { SqlStore } from '../../records/store';
import type { InspectionRecord } from '../../records/types';
import { coverageStatusQuery } from '../../workflows/coverage/api';
import { fullCoverage } from '../../workflows/coverage/workflow';
import { inspectionStatusQuery, recordFindingsUpdate } from '../../workflows/inspection/api';
import { eventually, mapLimit } from '../helpers/dev-stack';
import { generatePlan } from '../helpers/generate-plan';
import {
  assertEachNoticeOnce,
  keysRecordedBy,
  assertNothingRetrying,
  assertOneRunPerId,
  assertStagesNotBackwards,
  assertWorkersAlive,
  claimLocks,
  killWorker,
  listRuns,
  retrying,
  startWorkerRig,
  type WorkerRig,
} from './helpers';

const N = 44;
const PAGE = 22;
/** The member (seq) each page waits on when its worker is killed: one in the first page, one in the second. */
const HELD = [4, 30] as const;
/** Members whose findings are recorded while their page waits, before it is retried: after the held one, and before. */
const RECORDED = [
  [1, 10, 15, 20],
  [25, 35, 40],
] as const;

let planFile: string;
let plan: Plan;
let rig: WorkerRig;
let client: Client;
let store: SqlStore;
let locks: Awaited<ReturnType<typeof claimLocks>>;

beforeAll(async () => {
  planFile = await generatePlan({ count: N, coverage: { start: '01-01', deadline: '12-31' } });
  plan = await loadPlan(planFile);
  rig = await startWorkerRig({ database: 'jianguan_killed', planFile });
  client = rig.client;
  store = await rig.ledger();
  locks = await claimLocks(rig.databaseUrl);
});

afterAll(async () => {
  await locks?.close();
  await rig?.close();
  if (planFile) rmSync(path.dirname(planFile), { recursive: true, force: true });
}, 180_000);

/** What each page activity of the campaign returned (started, alreadyStarted, refused), in order: for the log. */
async function pageResults(workflowId: string): Promise<unknown[]> {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const pages = new Set(
    events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'startInspections').map((e) => Number(e.eventId)),
  );
  const results = events
    .filter((e) => pages.has(Number(e.activityTaskCompletedEventAttributes?.scheduledEventId ?? -1)))
    .map((e) => e.activityTaskCompletedEventAttributes!.result!.payloads![0]!);
  // The results are encrypted: decoded with the workers' key (the stack's data folder), then converted.
  const decoded = await createPayloadCodec(rig.stack.config).decode(results);
  return decoded.map((payload) => defaultPayloadConverter.fromPayload(payload));
}

describe('worker processes killed inside fan-out pages', () => {
  it(
    'start every inspection once: a retried page recognises the inspections it had started, closed ones too',
    { timeout: 20 * 60_000 },
    async () => {
      const { code, timeZone } = plan.jurisdiction;
      const year = localYear(new Date(), timeZone);
      const campaignId = coverageCampaignId(code, year);
      const coverageId = `coverage:${code}:${year}`;
      const inspections = `CampaignId = "${campaignId}" AND WorkflowType = "inspection"`;
      /** The campaign and its inspections. */
      const everything = `CampaignId = "${campaignId}"`;
      // Members in the ledger's order (ids in byte order), so seq n is members[n].
      const members = plan.institutions.map((i) => i.id).sort();
      const idOf = (seq: number) => inspectionWorkflowId(campaignId, members[seq]);
      const hold = (seq: number) => locks.hold(code, members[seq], year);
      const release = (seq: number) => locks.release(code, members[seq], year);
      const startedIds = async () => new Set((await listRuns(client, inspections)).map((r) => r.workflowId));
      const stagesBefore: InspectionRecord[] = [];

      /** Waits until the page has started all of `seqs` but the held one, and waits on it; records the findings. */
      async function pageWaitsOnHeld(seqs: number[], held: number, recorded: readonly number[]): Promise<void> {
        const wanted = seqs.filter((s) => s !== held).map(idOf);
        const ids = await eventually(startedIds, (got) => wanted.every((id) => got.has(id)), { timeoutMs: 6 * 60_000, intervalMs: 1_000 });
        expect(
          wanted.filter((id) => !ids.has(id)),
          'inspections the page has not started',
        ).toEqual([]);
        expect(ids.has(idOf(held)), 'the held member is not started while its claim waits').toBe(false);
        const { raw } = await client.workflow.getHandle(coverageId).describe();
        expect(
          (raw.pendingActivities ?? []).map((a) => a.activityType?.name),
          'the page is in flight',
        ).toEqual(['startInspections']);

        await mapLimit(recorded.map(idOf), 4, async (id) => {
          const handle = client.workflow.getHandle(id);
          const { team } = await handle.query(inspectionStatusQuery);
          await handle.executeUpdate(recordFindingsUpdate, {
            args: [{ inspectorId: team[0], inspectedAt: new Date().toISOString(), violation: false }],
          });
          // Closed (findings, then the credit grade), so that only the id's reuse policy stands between it and a new run.
          await handle.result();
        });
        const rows = await store.listInspections(campaignId);
        const done = rows.filter((r) => recorded.map(idOf).includes(r.id));
        expect(done.map((r) => r.stage)).toEqual(recorded.map(() => 'compliant'));
        stagesBefore.push(...rows);
      }

      const first = await rig.startWorker();
      await hold(HELD[0]);
      await hold(HELD[1]);
      await client.workflow.start(fullCoverage, {
        workflowId: coverageId,
        taskQueue: rig.stack.config.temporal.taskQueue,
        args: [{ jurisdiction: code, year, pageSize: PAGE }],
      });

      // Kill 1: inside the first page, which waits on its held member with the rest of the page started.
      await pageWaitsOnHeld(
        Array.from({ length: PAGE }, (_, n) => n),
        HELD[0],
        RECORDED[0],
      );
      await killWorker(first);
      let killedAt = Date.now();
      await release(HELD[0]);
      const second = await rig.startWorker();

      // Kill 2: inside the second page, on the worker that took over the first.
      await pageWaitsOnHeld(
        Array.from({ length: PAGE }, (_, n) => PAGE + n),
        HELD[1],
        RECORDED[1],
      );
      console.log(
        `workers-killed: the first page resumed and the second reached its held member ${((Date.now() - killedAt) / 1000).toFixed(0)} s after the first kill`,
      );
      await killWorker(second);
      killedAt = Date.now();
      await release(HELD[1]);
      const last = await rig.startWorker();

      const handle = client.workflow.getHandle(coverageId);
      const status = await eventually(
        () => handle.query(coverageStatusQuery),
        (s) => s.started === N,
        { timeoutMs: 6 * 60_000, intervalMs: 1_000 },
      );
      console.log(`workers-killed: the second page finished ${((Date.now() - killedAt) / 1000).toFixed(0)} s after the second kill`);
      expect(status).toMatchObject({ campaignId, members: N, started: N, notStarted: [] });
      console.log(`workers-killed: the pages reported ${JSON.stringify(await pageResults(coverageId))}`);

      // Every institution's inspection once in the ledger, its notices sent.
      const ledger = await eventually(
        async () => ({ rows: await store.listInspections(campaignId), notices: await store.listNotifications() }),
        ({ rows, notices }) => rows.length === N && notices.length > 0 && notices.every((n) => n.status === 'sent'),
        { timeoutMs: 3 * 60_000, intervalMs: 1_000 },
      );
      expect(ledger.rows.map((r) => r.institutionId).sort()).toEqual(members);
      await eventually(
        () => retrying(client, everything),
        (left) => left.length === 0,
        { timeoutMs: 3 * 60_000, intervalMs: 2_000 },
      );

      const runs = await listRuns(client, inspections);
      const recordedNow = (await store.listInspections(campaignId)).filter((r) => RECORDED.flat().map(idOf).includes(r.id));
      console.log(
        `workers-killed: ${runs.length} runs of ${new Set(runs.map((r) => r.workflowId)).size} inspection ids; the ${recordedNow.length} inspections with findings are now ${JSON.stringify(recordedNow.map((r) => r.stage))} in the ledger`,
      );

      // The end conditions.
      await assertOneRunPerId(
        client,
        inspections,
        members.map((id) => inspectionWorkflowId(campaignId, id)),
      );
      await assertOneRunPerId(client, `WorkflowId = "${coverageId}"`, [coverageId]);
      assertStagesNotBackwards(stagesBefore, await store.listInspections(campaignId));
      expect(recordedNow.map((r) => r.stage)).toEqual(RECORDED.flat().map(() => 'compliant'));
      const counts = await assertEachNoticeOnce(rig.smtp, store, '', keysRecordedBy([first, second]));
      console.log(
        `workers-killed: ${counts.deliveries} deliveries for ${counts.notices} notices, ${counts.cutOff} of them cut off by a kill and sent again`,
      );
      await assertNothingRetrying(client, everything);
      assertWorkersAlive([last]);
    },
  );
});
