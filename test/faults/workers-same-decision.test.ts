// Issue 9: the same case decision sent from two processes at the same moment. Two officers' `jianguan case decide …
// --action penalty` for one case, with the same payload, from two CLI processes (dev server, worker processes,
// PostgreSQL, SMTP): the case takes one decision (one ledger entry, one notice to the institution), and the second
// sender is told clearly that it was not taken (exit code 1, one `rejected: …` line), never "done" twice.
//
// "The same moment" means within one workflow task, where both Updates meet the same state. The test makes that
// certain: the case's worker is stopped (gracefully) before the two are sent, the server holds both (its request
// counter says so), and the next worker gets them in one task.
import { inspectionWorkflowId } from '../../domain/business-keys';
import { execFileSync, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoCampaign } from '../../cli/dev';
import { loadPlan, type Plan } from '../../config';
import type { SqlStore } from '../../records/store';
import { caseStatusQuery } from '../../workflows/case/api';
import { inspectionStatusQuery, recordFindingsUpdate } from '../../workflows/inspection/api';
import { eventually } from '../helpers/dev-stack';
import { generatePlan } from '../helpers/generate-plan';
import {
  assertEachNoticeOnce,
  assertNothingRetrying,
  assertOneRunPerId,
  assertStagesNotBackwards,
  assertWorkersAlive,
  killWorker,
  startWorkerRig,
  type WorkerRig,
} from './helpers';

const root = path.resolve(__dirname, '../..');

let planFile: string;
let plan: Plan;
let rig: WorkerRig;
let client: Client;
let store: SqlStore;

beforeAll(async () => {
  planFile = await generatePlan({ count: 3 });
  plan = await loadPlan(planFile);
  rig = await startWorkerRig({ database: 'jianguan_same_decision', planFile });
  client = rig.client;
  store = await rig.ledger();
});

afterAll(async () => {
  await rig?.close();
  if (planFile) rmSync(path.dirname(planFile), { recursive: true, force: true });
}, 180_000);

/** `jianguan …` as its own process; resolves with its exit code and what it printed. */
function jianguan(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, ...rig.stack.env, ...rig.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/**
 * UpdateWorkflowExecution requests the dev server has received, from its Prometheus endpoint (a random port of the
 * server process: the one of its listening ports that serves /metrics).
 */
async function updateRequests(pid: number): Promise<number> {
  const ports = [...execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' }).matchAll(/127\.0\.0\.1:(\d+)\s.*pid=(\d+),/g)]
    .filter((m) => Number(m[2]) === pid)
    .map((m) => m[1]);
  for (const port of ports) {
    const text = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => (r.ok ? r.text() : ''),
      () => '',
    );
    if (!text.includes('service_requests')) continue;
    return text
      .split('\n')
      .filter((line) => line.startsWith('service_requests{') && line.includes('operation="UpdateWorkflowExecution"'))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  }
  throw new Error(`no /metrics endpoint among the dev server's ports ${ports.join(', ')}`);
}

describe('the same case decision from two processes at the same moment', () => {
  it('is taken once: one ledger entry, one notice; the second sender is told it was not', { timeout: 15 * 60_000 }, async () => {
    const first = await rig.startWorker();
    const { id: campaignId } = await startDemoCampaign(rig.stack.config, plan);
    const institution = plan.institutions[0];
    const inspection = client.workflow.getHandle(inspectionWorkflowId(campaignId, institution.id));
    const { team } = await eventually(
      () => store.listInspections(campaignId),
      (rows) => rows.length === plan.institutions.length,
      { timeoutMs: 120_000 },
    ).then(() => inspection.query(inspectionStatusQuery));
    const items = [{ category: '串换药品', description: '将自费药品串换为医保药品结算', amountFen: 123_450, article: '38' }];
    const recorded = await inspection.executeUpdate(recordFindingsUpdate, {
      args: [{ inspectorId: team[0], inspectedAt: new Date().toISOString(), violation: true, items }],
    });
    expect(recorded.stage).toBe('case-opened');
    // The Update answers at the stage change; the case's id follows once the case has been started.
    const { caseId } = await eventually(
      () => inspection.query(inspectionStatusQuery),
      (s) => s.caseId !== undefined,
      { timeoutMs: 120_000 },
    );
    if (!caseId) throw new Error('the inspection opened no case');
    const caseHandle = client.workflow.getHandle(caseId);
    const waiting = await eventually(
      () => caseHandle.query(caseStatusQuery),
      (s) => s.penaltyStatus === 'awaiting-decision',
      { timeoutMs: 120_000 },
    );
    expect(waiting.penaltyStatus).toBe('awaiting-decision');
    const stagesBefore = await store.listInspections(campaignId);

    // No worker between the two Updates' arrival: the case's next workflow task carries both.
    await killWorker(first, 'SIGTERM');
    const pid = rig.stack.server.pid!;
    const before = await updateRequests(pid);
    const caseNo = caseId.slice(`case:${plan.jurisdiction.code}:`.length);
    const decide = [
      'case',
      'decide',
      caseNo,
      '--action',
      'penalty',
      '--by',
      plan.leaders[0].id,
      '--reason',
      '串换药品，责令退回并处罚款',
      '--fine',
      '38:1.5',
    ];
    const answers = Promise.all([jianguan(decide), jianguan(decide)]);
    const arrived = await eventually(
      () => updateRequests(pid),
      (n) => n >= before + 2,
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    expect(arrived - before, 'Update requests the server holds').toBeGreaterThanOrEqual(2);
    const second = await rig.startWorker();
    const [a, b] = await answers;
    console.log(`workers-same-decision: exit codes ${a.code} and ${b.code}; stderr ${JSON.stringify([a.stderr.trim(), b.stderr.trim()])}`);

    // One of them decided; the other was told, in one line, that the decision was not taken again.
    const [done, refused] = a.code === 0 ? [a, b] : [b, a];
    expect.soft(done.code, `the decision taken:\n${done.stdout}${done.stderr}`).toBe(0);
    expect.soft(refused.code, `the second sender's answer:\n${refused.stdout}${refused.stderr}`).toBe(1);
    expect.soft(refused.stderr.trim().split('\n'), 'one line').toHaveLength(1);
    expect.soft(refused.stderr).toMatch(/^error: rejected: .*penalty/);

    // One effect: the case has the decision once, the ledger one entry, the institution one notice.
    const decided = await eventually(
      () => caseHandle.query(caseStatusQuery),
      (s) => s.penaltyStatus === 'awaiting-payment',
      { timeoutMs: 120_000 },
    );
    expect(decided.penalty?.decision).toMatchObject({ decidedBy: plan.leaders[0].id, fines: [{ article: '38', multiple: 1.5 }] });
    const audit = await eventually(
      () => store.listAudit(caseId),
      (entries) => entries.some((e) => e.action === 'penalty-decided'),
      { timeoutMs: 60_000 },
    );
    expect.soft(audit.filter((e) => e.action === 'penalty-decided')).toHaveLength(1);
    const notices = await eventually(
      () => store.listNotifications({ keyPrefix: `${caseId}:penalty-decision` }),
      (rows) => rows.length > 0 && rows.every((n) => n.status === 'sent'),
      { timeoutMs: 60_000 },
    );
    expect.soft(notices.map((n) => n.key)).toEqual([`${caseId}:penalty-decision`]);

    // The end conditions.
    await assertOneRunPerId(
      client,
      `CampaignId = "${campaignId}" AND WorkflowType = "inspection"`,
      plan.institutions.map((i) => inspectionWorkflowId(campaignId, i.id)),
    );
    await assertOneRunPerId(client, `WorkflowId = "${caseId}"`, [caseId]);
    assertStagesNotBackwards(stagesBefore, await store.listInspections(campaignId));
    const counts = await assertEachNoticeOnce(rig.smtp, store, '');
    console.log(`workers-same-decision: ${counts.deliveries} deliveries for ${counts.notices} notices`);
    await assertNothingRetrying(client, `CampaignId = "${campaignId}"`);
    assertWorkersAlive([second]);
  });
});
