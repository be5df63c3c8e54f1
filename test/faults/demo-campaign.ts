// The demo campaign through an outage, as the outage tests (outage-*.test.ts) share it: the Temporal dev server, two `npm run worker`
// processes on a PostgreSQL server of the test's own and on the in-process SMTP server. The outage begins while the
// HELD-th notice waits at the SMTP server for its answer (notices are going out, most still to come), once one
// inspection has had its findings recorded; it lasts OUTAGE_MS. Then, within a bounded wait, the campaign must
// settle, and every end condition of the fault suite hold.
import { inspectionWorkflowId } from '../../domain/business-keys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoCampaign } from '../../cli/dev';
import { DEFAULT_PLAN_FILE, loadPlan, type Plan } from '../../config';
import { openStore, type SqlStore } from '../../records/store';
import type { InspectionRecord } from '../../records/types';
import { recordFindingsUpdate } from '../../workflows/inspection/api';
import { eventually, startDevStack, terminateAll, type DevStack } from '../helpers/dev-stack';
import { startPgServer, type PgServer } from '../helpers/pg-server';
import { startSmtpCatcher, type SmtpCatcher } from '../helpers/smtp';
import {
  assertEachNoticeOnce,
  assertNothingRetrying,
  assertOneRunPerId,
  assertStagesNotBackwards,
  assertWorkersAlive,
  retrying,
  startWorkerProcess,
  stopWorkers,
  type WorkerProcess,
} from './helpers';

/** How long the part stays down (issue 9: a minute); the Temporal restart test's too. */
export const OUTAGE_MS = 60_000;
/** The notice during which the outage begins (of the demo plan's 88). */
const HELD = 20;
/**
 * How long the campaign has to settle once the part is back: the activity retry policy (5 s, ×2) puts the first attempt
 * after a one-minute outage at most about 80 s after its end; the rest is room for a loaded machine.
 */
const RECOVERY_MS = 5 * 60_000;
/** For the whole test: start-up, the outage, the recovery and the checks. */
const TEST_TIMEOUT_MS = OUTAGE_MS + RECOVERY_MS + 5 * 60_000;

export interface FaultStack {
  stack: DevStack;
  plan: Plan;
  smtp: SmtpCatcher;
  /** The ledger's PostgreSQL server. */
  ledger: PgServer;
  workers: WorkerProcess[];
}

export interface Outage {
  /** Takes the part down (called while the HELD-th notice waits for the SMTP server's answer). */
  begin(stack: FaultStack): Promise<void>;
  /** Brings it back. */
  end(stack: FaultStack): Promise<void>;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** A test file's one test: the demo campaign through `outage` (`part` names what is down, for the title and the log). */
export function describeOutage(part: string, outage: Outage): void {
  let campaign: Awaited<ReturnType<typeof demoCampaignThrough>> | undefined;
  beforeAll(async () => {
    campaign = await demoCampaignThrough(`${part} down for ${OUTAGE_MS / 1000} s`, outage);
  });
  afterAll(() => campaign?.close());
  describe(`${part} down for a minute while the demo campaign's notices go out`, () => {
    it(
      'settles with one run per id, each notice delivered once, no stage back, nothing retrying, every worker alive',
      { timeout: TEST_TIMEOUT_MS },
      () => campaign!.run(),
    );
  });
}

/** Sets up the stack for `outage`; `run()` takes the demo campaign through it and checks the end; `close()` undoes it. */
async function demoCampaignThrough(label: string, outage: Outage) {
  const ready = deferred<{ parts: FaultStack; store: SqlStore; campaignId: string }>();
  const began = deferred<{ at: number; before: InspectionRecord[] }>();
  /** Findings for one inspection whose notices are out, the ledger as it stands, then the outage. */
  const begin = async () => {
    const { parts, store, campaignId } = await ready.promise;
    const recorded = await recordFindingsOnce(parts, store, campaignId);
    const before = await store.listInspections(campaignId);
    expect(before.find((i) => i.id === recorded)?.stage, 'the inspection with findings, before the outage').toBe('compliant');
    await outage.begin(parts);
    began.resolve({ at: Date.now(), before });
  };

  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const ledger = await startPgServer();
    cleanups.push(() => ledger.destroy());
    const smtp = await startSmtpCatcher(0, { hold: (n) => (n === HELD ? begin().catch(began.reject) : undefined) });
    cleanups.push(() => smtp.close());
    const stack = await startDevStack({ worker: false });
    cleanups.push(
      () => stack.stop(),
      () => terminateAll(stack.client, stack.config.temporal.namespace),
    );
    const parts: FaultStack = { stack, plan: await loadPlan(DEFAULT_PLAN_FILE), smtp, ledger, workers: [] };
    cleanups.push(() => stopWorkers(parts.workers));
    // Two, as production runs them: if one died, the other would carry on, and only the process check would tell.
    const env = { DATABASE_URL: ledger.url, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port) };
    for (let n = 0; n < 2; n++) parts.workers.push(await startWorkerProcess(stack, env));
    const store = await openStore({ databaseUrl: ledger.url });
    cleanups.push(() => store.close());
    const run = async () => {
      const campaign = await startDemoCampaign(stack.config, parts.plan);
      ready.resolve({ parts, store, campaignId: campaign.id });
      const { at, before } = await within(
        began.promise,
        3 * 60_000,
        `the outage did not begin: notice ${HELD} never reached the SMTP server`,
      );
      await new Promise((resolve) => setTimeout(resolve, at + OUTAGE_MS - Date.now()));
      await outage.end(parts);
      // The outage landed while notices were going out: some were still to go when the part came back.
      const deliveredMeanwhile = smtp.messages.length;
      expect(deliveredMeanwhile, 'notices delivered by the end of the outage').toBeLessThan(
        parts.plan.institutions.length * parts.plan.inspection.teamSize,
      );
      await checkEnd(parts, `${label} (${deliveredMeanwhile} delivered when it came back)`, store, campaign, before);
    };
    return { parts, run, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Waits (bounded) for the campaign to settle after the outage, then checks every end condition (all of them, each reported). */
async function checkEnd(
  { stack, plan, smtp, workers }: FaultStack,
  label: string,
  store: SqlStore,
  campaign: { id: string; workflowId: string },
  before: InspectionRecord[],
): Promise<void> {
  const ended = Date.now();
  const query = `CampaignId = "${campaign.id}"`;
  const keyPrefix = `inspection:${campaign.id}:`;
  const expected = plan.institutions.length * plan.inspection.teamSize;
  const settled = await eventually(
    async () => {
      const [inspections, notices] = await Promise.all([store.listInspections(campaign.id), store.listNotifications({ keyPrefix })]);
      const recorded =
        inspections.length === plan.institutions.length && notices.length >= expected && notices.every((n) => n.status === 'sent');
      return recorded && (await retrying(stack.client, query)).length === 0;
    },
    Boolean,
    { timeoutMs: RECOVERY_MS, intervalMs: 2_000 },
  );
  const seconds = ((Date.now() - ended) / 1000).toFixed(0);

  const counts = await assertEachNoticeOnce(smtp, store, keyPrefix);
  console.log(
    `${label}: ${counts.deliveries} deliveries for ${counts.notices} notices; ${settled ? 'settled' : 'NOT settled'} ${seconds} s after the outage ended`,
  );
  expect.soft(settled, `the campaign settled within ${RECOVERY_MS / 1000} s after the outage`).toBe(true);
  assertWorkersAlive(workers);
  await assertOneRunPerId(stack.client, query, [
    campaign.workflowId,
    ...plan.institutions.map((i) => inspectionWorkflowId(campaign.id, i.id)),
  ]);
  const after = await store.listInspections(campaign.id);
  expect
    .soft(after.map((i) => i.institutionId).sort(), 'one inspection per institution')
    .toEqual(plan.institutions.map((i) => i.id).sort());
  assertStagesNotBackwards(before, after);
  await assertNothingRetrying(stack.client, query);
}

/** `promise`, or an error saying `what` once `ms` have passed. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(what)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Records "no violation" for an inspection whose notices are all sent, and waits until the ledger has it; its id. */
async function recordFindingsOnce({ stack, plan }: FaultStack, store: SqlStore, campaignId: string): Promise<string> {
  const delivered = async () => {
    const sent = new Set(
      (await store.listNotifications({ keyPrefix: `inspection:${campaignId}:` })).filter((n) => n.status === 'sent').map((n) => n.key),
    );
    return (await store.listInspections(campaignId)).find(
      (i) => i.stage === 'assigned' && [...sent].filter((k) => k.startsWith(`${i.id}:`)).length === plan.inspection.teamSize,
    );
  };
  const inspection = await eventually(delivered, Boolean, { timeoutMs: 30_000, intervalMs: 200 });
  if (!inspection) throw new Error('no inspection has all its notices sent');
  const findings = { inspectorId: inspection.team[0], inspectedAt: new Date().toISOString(), violation: false, items: [], note: '' };
  await stack.client.workflow.getHandle(inspection.id).executeUpdate(recordFindingsUpdate, { args: [findings] });
  await eventually(
    () => store.getInspection(inspection.id),
    (row) => row?.stage !== 'assigned',
    { timeoutMs: 30_000, intervalMs: 200 },
  );
  return inspection.id;
}
