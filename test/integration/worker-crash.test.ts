// A worker process killed with SIGKILL (no drain, no goodbye) in the middle of the demo campaign's start, while it is
// handing a notice to the SMTP server, and another worker process that takes over: on the dev server, the real
// PostgreSQL and a real SMTP server, as `npm run worker` runs in production. The campaign resumes where it was: every
// institution gets exactly one inspection, every team member exactly one assignment notice (the ones cut off are sent
// again, once each), and the inspections the first worker started answer queries and Updates on the second one.
import { inspectionWorkflowId } from '../../domain/business-keys';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoCampaign } from '../../cli/dev';
import { DEFAULT_PLAN_FILE, loadPlan, type Plan } from '../../config';
import { openStore } from '../../records/store';
import { inspectionStatusQuery, recordFindingsUpdate } from '../../workflows/inspection/api';
import { assertEachNoticeOnce } from '../faults/helpers';
import { freshDatabase } from '../helpers/db';
import { eventually, mapLimit, startDevStack, terminateAll, type DevStack } from '../helpers/dev-stack';
import { startSmtpCatcher, type SmtpCatcher } from '../helpers/smtp';

const root = path.resolve(__dirname, '../..');
/** The SMTP delivery that the kill cuts off: the worker is inside it, waiting for the server's answer. */
const HELD = 10;
let stack: DevStack;
let plan: Plan;
let smtp: SmtpCatcher;
let reachedHeld: () => void;
const heldReached = new Promise<void>((resolve) => (reachedHeld = resolve));
let databaseUrl: string;
let database: Awaited<ReturnType<typeof freshDatabase>>;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  database = await freshDatabase('jianguan_crash');
  databaseUrl = database.url;
  // The held message is never accepted: it waits until its connection closes (the kill), and is then dropped.
  smtp = await startSmtpCatcher(0, { hold: (n, closed) => (n === HELD ? (reachedHeld(), closed) : undefined) });
  stack = await startDevStack({ worker: false });
  plan = await loadPlan(DEFAULT_PLAN_FILE);
}, 120_000);

afterAll(async () => {
  for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
  if (stack) {
    await terminateAll(stack.client, stack.config.temporal.namespace);
    await stack.stop();
  }
  await smtp?.close();
  await database?.drop();
}, 180_000);

/**
 * `npm run worker` as its own process, on the stack's server, the fresh database and the SMTP server; `extra` adds
 * settings. Resolves with the process and what it logged up to 'worker running'.
 */
async function startWorkerProcess(extra: Record<string, string> = {}): Promise<{ worker: ChildProcess; log: string }> {
  const env = {
    ...process.env,
    ...stack.env,
    DATABASE_URL: databaseUrl,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    LOG_LEVEL: 'info',
    ...extra,
  };
  const worker = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  workers.push(worker);
  let out = '';
  worker.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  worker.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const running = await eventually(async () => out.includes('"worker running"') || worker.exitCode !== null, Boolean, {
    timeoutMs: 90_000,
    intervalMs: 200,
  });
  expect(running && worker.exitCode === null, `worker did not come up:\n${out}`).toBe(true);
  return { worker, log: out };
}

describe('a worker process killed mid-campaign', () => {
  it('is taken over by another worker process where it was: one inspection per institution, one notice per team member', async () => {
    // Sized by its settings (it logs the capacity it was given).
    const { worker: first, log } = await startWorkerProcess({ WORKER_MAX_CONCURRENT_ACTIVITIES: '20', WORKER_MAX_CACHED_WORKFLOWS: '500' });
    expect(log).toContain('"capacity":{"maxCachedWorkflows":500,"maxConcurrentActivityTaskExecutions":20}');
    const { id: campaignId } = await startDemoCampaign(stack.config, plan);
    await heldReached;
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const expected = plan.institutions.length * plan.inspection.teamSize;
    expect(smtp.messages.length, 'delivered before the kill').toBeLessThan(expected);
    const store = await openStore({ databaseUrl });
    try {
      // What the dead worker had recorded as sent: those notices must never go out again.
      const recordedAtKill = new Set(
        (await store.listNotifications({ keyPrefix: `inspection:${campaignId}:` })).filter((n) => n.status === 'sent').map((n) => n.key),
      );

      // The notice cut off is sent again once the dead worker's workflow task times out.
      await startWorkerProcess();
      const inspections = await eventually(
        () => store.listInspections(campaignId),
        (rows) => rows.length === plan.institutions.length,
        { timeoutMs: 240_000, intervalMs: 1_000 },
      );
      expect(inspections.map((i) => i.institutionId).sort()).toEqual(plan.institutions.map((i) => i.id).sort());
      const notices = await eventually(
        () => store.listNotifications({ keyPrefix: `inspection:${campaignId}:` }),
        (rows) => rows.length === expected && rows.every((n) => n.status === 'sent'),
        { timeoutMs: 240_000, intervalMs: 1_000 },
      );
      // One notice per team member of each inspection, under its own key.
      for (const inspection of inspections) {
        const keys = notices.filter((n) => n.key.startsWith(`${inspection.id}:`)).map((n) => n.key);
        expect(keys, inspection.id).toHaveLength(inspection.team.length);
        for (const member of inspection.team)
          expect(
            keys.filter((k) => k.includes(member)),
            `${inspection.id} → ${member}`,
          ).toHaveLength(1);
      }
      // Each reached the SMTP server once under the Message-ID of its key; twice only one the dead worker had not
      // recorded as sent (the receiving end recognises that copy by its Message-ID).
      const counts = await assertEachNoticeOnce(smtp, store, `inspection:${campaignId}:`, recordedAtKill);
      console.log(
        `worker-crash: ${counts.deliveries} deliveries for ${counts.notices} notices, ${recordedAtKill.size} recorded at the kill`,
      );

      // The kill did land inside a delivery: the held notice was dropped, yet every key arrived once, so it was sent
      // again; the start runs as one local activity inside a workflow task, and that task timed out on the dead worker.
      const timedOut = await mapLimit(inspections, 8, async (i) =>
        ((await stack.client.workflow.getHandle(i.id).fetchHistory()).events ?? []).some((e) => e.workflowTaskTimedOutEventAttributes),
      );
      expect(timedOut.filter(Boolean).length).toBeGreaterThanOrEqual(1);

      // An inspection the first worker started runs on the second: its query answers, its findings are taken.
      const handle = stack.client.workflow.getHandle(inspectionWorkflowId(campaignId, plan.institutions[0]!.id));
      const status = await handle.query(inspectionStatusQuery);
      expect(status.stage).toBe('assigned');
      const after = await handle.executeUpdate(recordFindingsUpdate, {
        args: [{ inspectorId: status.team[0], inspectedAt: new Date().toISOString(), violation: false, items: [], note: '' }],
      });
      expect(after.stage).toBe('compliant');
    } finally {
      await store.close();
    }
  }, 600_000);
});
