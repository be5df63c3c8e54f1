// Flying checks at scale (DESIGN §5: no workflow holds more than 1,000 pending children or grows past 10,240 history
// events), on the time-skipping server: a plan of 620 institutions drawing 300 + 300 targets starts them in 2 pages of
// at most 500 through a heartbeating activity; the campaign holds no children, every inspection carries the campaign's
// CampaignId, and nobody is told in advance. The campaign's history is measured at 600 targets and at 30: it does not
// grow with the number of targets (a page costs a handful of events; a follow-up about 11, over time, not targets).
// The stand-in inspections never report, so both campaigns end at their bound with outcome 'bound-passed'.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { createMailer } from '../../activities/mailer';
import { loadPlan, type PlanInput } from '../../config';
import { openStore, type SqlStore } from '../../records';
import { WORKFLOW_BUNDLER_OPTIONS } from '../../workers/worker';
import { flyingChecks } from '../../workflows/flying/workflow';
import { flyingChecksStatusQuery } from '../../workflows/flying/api';
import { CAMPAIGN_ID, CAMPAIGN_KIND } from '../../workflows/search-attributes';
import { generatePlan } from '../helpers/generate-plan';
import { createTimeSkippingEnv } from '../helpers/temporal';
import { testSealer } from '../helpers/sealer';

const TARGETS = 600;
let env: TestWorkflowEnvironment;
let store: SqlStore;
let dir: string;
let planFile: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'jianguan-flying-scale-'));
  planFile = await generatePlan({ count: 620, dir });
  const plan = YAML.parse(readFileSync(planFile, 'utf8')) as PlanInput;
  writeFileSync(
    planFile,
    YAML.stringify({ ...plan, flyingCheck: { ...plan.flyingCheck, randomCount: TARGETS / 2, riskCount: TARGETS / 2 } }, { lineWidth: 0 }),
  );
  env = await createTimeSkippingEnv();
  store = await openStore({});
});

afterAll(async () => {
  await store?.close();
  await env?.teardown();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function historyLength(workflowId: string): Promise<number> {
  return (await env.client.workflow.getHandle(workflowId).fetchHistory()).events?.length ?? 0;
}

describe('flyingChecks at province scale', () => {
  it('starts 600 targets in 2 pages with a history that does not grow with the targets', async () => {
    const plan = await loadPlan(planFile);
    const outbox = createMailer({ outboxDir: path.join(dir, 'outbox'), from: '测试 <test@example.org>' });
    const sent: string[][] = [];
    const activities = createActivities({
      store,
      planFile,
      sealer: testSealer,
      mailer: {
        channel: outbox.channel,
        close: () => outbox.close(),
        deliver: async (msg, opts) => (sent.push(msg.to.map((r) => r.email)), outbox.deliver(msg, opts)),
      },
    });
    const taskQueue = `flying-scale-${process.pid}`;
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: path.resolve(__dirname, '../fixtures/flying-scale-workflows.ts'),
      ...WORKFLOW_BUNDLER_OPTIONS,
      logger: {
        log: () => undefined,
        trace: () => undefined,
        debug: () => undefined,
        info: () => undefined,
        warn: () => undefined,
        error: (m: string) => console.error(m),
      },
    });
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities });
    const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
    const big = `flying:${plan.jurisdiction.code}:${year}`;
    const small = `flying:${plan.jurisdiction.code}:${year + 1}`;

    // Next year full coverage will have inspected all but 30: the same plan then draws 30 targets (the eligible pool).
    for (const institution of plan.institutions.slice(30)) {
      await store.claimOnSiteInspection({
        jurisdiction: plan.jurisdiction.code,
        institutionId: institution.id,
        year: year + 1,
        inspectionId: `inspection:coverage:${institution.id}`,
      });
    }
    const [large, few] = await worker.runUntil(async () => {
      // Started (the server's clock stays put) until the 600 starts are done: the time-skipping server would otherwise
      // skip ahead while the start activity works, timing it out. Then both run to their end, time skipping.
      const first = await env.client.workflow.start(flyingChecks, {
        workflowId: big,
        taskQueue,
        args: [{ jurisdiction: plan.jurisdiction.code, year }],
      });
      await env.sleep(new Date(`${year}-07-01T01:30:00Z`).getTime() - (await env.currentTimeMs()));
      for (let waited = 0; (await first.query(flyingChecksStatusQuery)).started === undefined; waited += 200) {
        if (waited > 50_000) throw new Error('the 600 targets were not started within 50 s');
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      // The second waits for next year's start, so the server's clock never idles past the first.
      const second = await env.client.workflow.start(flyingChecks, {
        workflowId: small,
        taskQueue,
        args: [{ jurisdiction: plan.jurisdiction.code, year: year + 1 }],
      });
      // One result awaited at a time: each wait lets the server skip time, and the later one ends last.
      const few = await second.result();
      return [await first.result(), few] as const;
    });
    outbox.close();

    expect(large).toMatchObject({ stage: 'completed', pages: 2, started: TARGETS, refused: [], outcome: 'bound-passed', pending: TARGETS });
    expect(large.random.length + large.risk.length).toBe(TARGETS);
    expect(few).toMatchObject({ pages: 1, started: 30, outcome: 'bound-passed', pending: 30 });

    // Every target is its own workflow (no parent), found from the campaign by its CampaignId.
    const campaignId = large.campaignId;
    const ids = [...large.random, ...large.risk];
    for (let i = 0; i < ids.length; i += 25) {
      const described = await Promise.all(
        ids.slice(i, i + 25).map((id) => env.client.workflow.getHandle(`inspection:${campaignId}:${id}`).describe()),
      );
      for (const d of described) {
        expect(d.parentExecution).toBeUndefined();
        expect(d.typedSearchAttributes.get(CAMPAIGN_ID)).toBe(campaignId);
        expect(d.typedSearchAttributes.get(CAMPAIGN_KIND)).toBe('flying');
      }
    }
    // 四不两直: the campaign sent no message at all, so none to an institution.
    expect(sent).toEqual([]);

    // The history: bounded, and the same (up to one page's events) for 600 targets as for 30.
    const [largeEvents, fewEvents] = [await historyLength(big), await historyLength(small)];
    console.log(`flying history: ${largeEvents} events at ${TARGETS} targets (2 pages), ${fewEvents} at 30 (1 page)`);
    expect(largeEvents).toBeLessThan(600);
    expect(Math.abs(largeEvents - fewEvents)).toBeLessThanOrEqual(12);
  });
});
