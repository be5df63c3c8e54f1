// `npm run bench`: one run on a fresh Temporal dev server (temporary folder, free ports), with the worker in this
// process. Not part of `npm test`. Prints the figures and writes them to var/bench/latest.json (exactly the keys below;
// how they were obtained goes to var/bench/latest-details.json):
//
//   fanout_ratio                 institutions started per second through the real fan-out (fullCoverage → its page
//                                activities → inspections, N = 2,000, from the start of fullCoverage until the last
//                                inspection has started) ÷ empty workflows started per second by a plain client loop of
//                                N `client.workflow.start` (type 'noop' on a task queue nobody polls), same server
//   max_history_events           the largest history in the campaign tree: the campaign and every inspection on the dev
//                                server once the fan-out has settled, and every workflow of the whole-year simulation
//                                below at the end of its life (the year's daily progress refreshes, reminders and
//                                escalations only happen there: the dev server cannot skip time)
//   rss_mb_per_cached_workflow   growth of this process's RSS while ramping to N inspections ÷ workflows in the
//                                worker's cache at the end. Both samples are taken right after a full garbage
//                                collection (gc is exposed at run time, below), so that garbage left by bundling the
//                                workflows or by the client loop does not count for or against the cache. RSS, not the
//                                heap: the workflows run in the SDK's workflow thread, whose heap process.memoryUsage()
//                                does not report; it also holds the Rust core's per-workflow state. The ledger is on
//                                the local PostgreSQL (a fresh database, dropped at the end), outside this process, so
//                                that its rows are not counted as the workflows' memory.
//   year_simulation_s            wall time of `npx vitest run test/workflows/year.test.ts` (null when it fails)
//   weekly_report_s              the three weekly tables as of a cut-off on a province-sized ledger on PostgreSQL
//                                (./weekly-report.ts: 60,000 institutions, 20,000 cases, 50,000 clues; target < 10 s)
//   weekly_report_ratio          that ÷ one plain SELECT count(*) over the same rows
//   weekly_report_ratio_doubled  the same with every count doubled: flat when the tables scale with the ledger
//
// BENCH_N=… changes N (for a quick try; the targets are stated for N = 2,000); BENCH_SKIP_YEAR=1 skips the year test;
//   rehearsal_s                  `plan rehearse --year` of a generated 1,000-institution year (test/bench/rehearsal.ts),
//                                and rehearsal_growth_exponent from 1,000 to 4,000 (1 = linear)
//   rehearsal_province_cohorts_s `plan rehearse --year --cohorts` of a generated 60,000-institution year (target < 600),
//                                and rehearsal_cohorts_growth_exponent from 15,000 to 60,000 (at most 1: linear)
// BENCH_ONLY=weekly runs only the weekly tables; BENCH_ONLY=rehearsal only the rehearsal.
import { coverageCampaignId } from '../../domain/business-keys';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { REPO_ROOT, loadPlan } from '../../config';
import { localYear } from '../../domain/calendar';
import { ensureTemporalBinaries } from '../../scripts/provision-temporal';
import { fullCoverage } from '../../workflows/coverage/workflow';
import { countWorkflows, historyLength, mapLimit, startDevStack, type DevStack } from '../helpers/dev-stack';
import { freshDatabase } from '../helpers/db';
import { generatePlan } from '../helpers/generate-plan';
import { rehearsalFigures } from './rehearsal';
import { benchWeeklyReport } from './weekly-report';

const N = Number(process.env.BENCH_N ?? 2_000);
const TARGETS = {
  fanout_ratio: { min: 0.5 },
  max_history_events: { max: 4_096 },
  rss_mb_per_cached_workflow: { max: 1 },
  weekly_report_s: { max: 10 },
} as const;
const YEAR_TEST = 'test/workflows/year.test.ts';
const MiB = 1024 * 1024;

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A full GC before each memory sample, without needing `node --expose-gc` on the command line.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
function rssAfterGc(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().rss;
}

async function listAll(stack: DevStack, query: string): Promise<WorkflowExecutionInfo[]> {
  const rows: WorkflowExecutionInfo[] = [];
  for await (const row of stack.client.workflow.list({ query })) rows.push(row);
  return rows;
}

/** Baseline: N empty workflow starts, one after the other, from a plain client loop. Returns starts per second. */
async function emptyStartsPerSecond(stack: DevStack): Promise<{ perSecond: number; seconds: number }> {
  const taskQueue = 'bench-unpolled';
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    await stack.client.workflow.start('noop', { taskQueue, workflowId: `bench-noop-${i}`, args: [] });
  }
  const seconds = (performance.now() - t0) / 1000;
  return { perSecond: N / seconds, seconds };
}

async function waitIdle(stack: DevStack, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let quiet = 0; quiet < 3 && Date.now() < deadline; await sleep(1_000)) {
    const s = stack.worker!.getStatus();
    quiet = s.numInFlightActivities === 0 && s.numInFlightWorkflowActivations === 0 ? quiet + 1 : 0;
  }
}

interface YearSimulation {
  seconds: number | null;
  note: string;
  /** History length of every workflow the year ran, at the end of its life. */
  histories: Record<string, number>;
}

function yearSimulation(): YearSimulation {
  if (process.env.BENCH_SKIP_YEAR) return { seconds: null, note: 'skipped (BENCH_SKIP_YEAR)', histories: {} };
  if (!existsSync(path.join(REPO_ROOT, YEAR_TEST))) return { seconds: null, note: `${YEAR_TEST} does not exist (yet)`, histories: {} };
  log(`running ${YEAR_TEST} ...`);
  const dir = mkdtempSync(path.join(tmpdir(), 'jianguan-bench-year-'));
  const historiesFile = path.join(dir, 'histories.json');
  try {
    const t0 = performance.now();
    const run = spawnSync('npx', ['vitest', 'run', YEAR_TEST], {
      cwd: REPO_ROOT,
      env: { ...process.env, JIANGUAN_YEAR_HISTORIES: historiesFile },
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
    });
    const seconds = Math.round((performance.now() - t0) / 100) / 10;
    if (run.status !== 0) {
      process.stdout.write(run.stdout.slice(-3000));
      return { seconds: null, note: `${YEAR_TEST} FAILED (exit ${run.status}) after ${seconds} s`, histories: {} };
    }
    const histories = existsSync(historiesFile) ? (JSON.parse(readFileSync(historiesFile, 'utf8')) as Record<string, number>) : {};
    return { seconds, note: `npx vitest run ${YEAR_TEST}, wall time including vitest start-up`, histories };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The weekly tables at the province's size and at twice it (PostgreSQL only: no Temporal server involved). */
async function weeklyFigures(): Promise<{ result: Record<string, number>; details: Record<string, unknown> }> {
  const once = await benchWeeklyReport(1, log);
  const doubled = await benchWeeklyReport(2, log);
  return {
    result: {
      weekly_report_s: round(once.weeklySeconds, 2),
      weekly_report_ratio: round(once.ratio, 1),
      weekly_report_ratio_doubled: round(doubled.ratio, 1),
    },
    details: { weekly_report: [once, doubled] },
  };
}

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY === 'weekly') {
    const weekly = await weeklyFigures();
    console.log(JSON.stringify({ ...weekly.result, ...weekly.details }, null, 2));
    return;
  }
  if (process.env.BENCH_ONLY === 'rehearsal') {
    const rehearsal = await rehearsalFigures(log);
    console.log(JSON.stringify({ ...rehearsal.result, ...rehearsal.details }, null, 2));
    return;
  }
  const { cli } = ensureTemporalBinaries({ log });
  const planFile = await generatePlan({ count: N, coverage: { start: '01-01', deadline: '12-31' } });
  const plan = await loadPlan(planFile);
  const { code, timeZone } = plan.jurisdiction;
  log(`plan with ${N} institutions: ${planFile}`);

  // The ledger on PostgreSQL, outside this process: its memory is not the worker's (embedded PGlite's WASM heap grows
  // with every row the inspections write).
  const ledger = await freshDatabase('jianguan_bench');
  const stack = await startDevStack({ planFile, cliPath: cli, logLevel: 'error', databaseUrl: ledger.url });
  let result: Record<string, number | null>;
  let details: Record<string, unknown>;
  try {
    log(`dev server on ${stack.config.temporal.address}, worker running (data in ${stack.dataDir})`);
    const worker = stack.worker!;

    // 1. Baseline on the same server: empty starts from a client loop.
    const empty = await emptyStartsPerSecond(stack);
    log(`baseline: ${N} empty starts in ${empty.seconds.toFixed(1)} s = ${empty.perSecond.toFixed(1)}/s`);

    // 2. The real fan-out, sampling this process's RSS and the worker's cache while it ramps.
    const year = localYear(new Date(), timeZone);
    const workflowId = `coverage:${code}:${year}`;
    const campaignId = coverageCampaignId(code, year);
    const inspections = `CampaignId = "${campaignId}" AND WorkflowType = "inspection"`;
    const rssBefore = rssAfterGc();
    const cachedBefore = worker.getStatus().numCachedWorkflows;
    const t0 = Date.now();
    await stack.client.workflow.start(fullCoverage, {
      workflowId,
      taskQueue: stack.config.temporal.taskQueue,
      args: [{ jurisdiction: code, year }],
    });
    let visible = 0;
    let peakRss = rssBefore;
    const deadline = t0 + 30 * 60_000;
    while (visible < N && Date.now() < deadline) {
      await sleep(1_000);
      visible = await countWorkflows(stack.client, inspections);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if ((Date.now() - t0) % 30_000 < 1_000)
        log(
          `  ${visible}/${N} inspections visible, ${worker.getStatus().numCachedWorkflows} cached, RSS ${(process.memoryUsage().rss / MiB).toFixed(0)} MiB`,
        );
    }
    const visibleSeconds = (Date.now() - t0) / 1000;
    if (visible < N) throw new Error(`only ${visible}/${N} inspections visible after ${visibleSeconds} s`);
    const rows = await listAll(stack, inspections);
    const lastStart = Math.max(...rows.map((r) => r.startTime.getTime()));
    const fanOutSeconds = (lastStart - t0) / 1000;
    const fanOutPerSecond = N / fanOutSeconds;
    log(
      `fan-out: ${N} inspections started ${fanOutSeconds.toFixed(1)} s after the campaign start (visible after ${visibleSeconds.toFixed(0)} s) = ${fanOutPerSecond.toFixed(2)}/s`,
    );

    await waitIdle(stack, 5 * 60_000);
    const status = worker.getStatus();
    const rssAfter = rssAfterGc();
    peakRss = Math.max(peakRss, rssAfter);
    const cached = status.numCachedWorkflows;
    const rssPerCached = (rssAfter - rssBefore) / MiB / Math.max(1, cached - cachedBefore);
    log(
      `memory: RSS ${(rssBefore / MiB).toFixed(0)} → ${(rssAfter / MiB).toFixed(0)} MiB (peak ${(peakRss / MiB).toFixed(0)}), ${cachedBefore} → ${cached} cached workflows`,
    );

    // 3. Every history in the tree: the campaign and its inspections (started by its page activities: no children).
    const tree = [workflowId, ...rows.map((r) => r.workflowId)];
    const lengths = await mapLimit(tree, 8, (id) => historyLength(stack.client, id));
    const treeMax = Math.max(...lengths);
    log(
      `histories: ${tree.length} workflows, largest ${treeMax} events (${tree[lengths.indexOf(treeMax)]}); campaign ${lengths[0]}, inspections ≤ ${Math.max(...lengths.slice(1))}`,
    );

    result = {
      fanout_ratio: round(fanOutPerSecond / empty.perSecond, 3),
      max_history_events: treeMax,
      rss_mb_per_cached_workflow: round(rssPerCached, 3),
      year_simulation_s: null,
    };
    details = {
      n: N,
      fanout_per_s: round(fanOutPerSecond, 2),
      fanout_s: round(fanOutSeconds, 1),
      fanout_visible_s: round(visibleSeconds, 1),
      empty_starts_per_s: round(empty.perSecond, 2),
      empty_starts_s: round(empty.seconds, 1),
      dev_server_tree: {
        workflows: tree.length,
        largest: tree[lengths.indexOf(treeMax)],
        events: treeMax,
        campaign: lengths[0],
        inspections_max: Math.max(...lengths.slice(1)),
      },
      rss_mb: { before: round(rssBefore / MiB, 1), after: round(rssAfter / MiB, 1), peak: round(peakRss / MiB, 1) },
      cached_workflows: { before: cachedBefore, after: cached },
      worker_in_process: true,
      machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
    };
  } finally {
    // The server and everything on it is thrown away: no need to terminate the workflows first (the worker is idle).
    await stack.stop();
    await ledger.drop();
    rmSync(path.dirname(planFile), { recursive: true, force: true });
  }

  // 4. The whole-year workflow test, on its own (after the stack is gone, so the two do not compete for the CPU); its
  // workflows' final histories count for max_history_events.
  const year = yearSimulation();
  result.year_simulation_s = year.seconds;
  const yearMax = Object.entries(year.histories).sort((a, b) => b[1] - a[1])[0];
  if (yearMax) {
    log(`year simulation: ${Object.keys(year.histories).length} workflows, largest final history ${yearMax[1]} events (${yearMax[0]})`);
    result.max_history_events = Math.max(result.max_history_events!, yearMax[1]);
  }
  details.year_simulation = {
    note: year.note,
    workflows: Object.keys(year.histories).length,
    largest: yearMax ? { workflowId: yearMax[0], events: yearMax[1] } : null,
  };
  const weekly = await weeklyFigures();
  Object.assign(result, weekly.result);
  Object.assign(details, weekly.details);
  const rehearsal = await rehearsalFigures(log);
  Object.assign(result, rehearsal.result);
  Object.assign(details, rehearsal.details);
  details.at = new Date().toISOString();

  const dir = path.join(REPO_ROOT, 'var', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'latest.json');
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(path.join(dir, 'latest-details.json'), `${JSON.stringify(details, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  console.log(JSON.stringify(details, null, 2));
  console.log('\ntargets:');
  const ratio = (name: string, value: number | null, target: { min?: number; max?: number }) => {
    if (value === null) return console.log(`  ${name}: n/a`);
    const [bound, ok, share] =
      target.min !== undefined
        ? [`≥ ${target.min}`, value >= target.min, value / target.min]
        : [`≤ ${target.max}`, value <= target.max!, value / target.max!];
    console.log(`  ${name}: ${value} (target ${bound}; ${(share * 100).toFixed(0)}% of target) ${ok ? 'MET' : 'NOT MET'}`);
  };
  ratio('fanout_ratio', result.fanout_ratio, TARGETS.fanout_ratio);
  ratio('max_history_events', result.max_history_events, TARGETS.max_history_events);
  ratio('rss_mb_per_cached_workflow', result.rss_mb_per_cached_workflow, TARGETS.rss_mb_per_cached_workflow);
  console.log(`  year_simulation_s: ${year.seconds ?? 'null'} (${year.note})`);
  ratio('weekly_report_s', result.weekly_report_s, TARGETS.weekly_report_s);
  console.log(
    `  weekly_report_ratio: ${result.weekly_report_ratio}, doubled ${result.weekly_report_ratio_doubled} (flat: they scale alike)`,
  );
  console.log(
    `  rehearsal_s: ${result.rehearsal_s} (1,000 institutions), growth exponent to 4,000: ${result.rehearsal_growth_exponent} (1 = linear)`,
  );
  console.log(
    `  rehearsal_province_cohorts_s: ${result.rehearsal_province_cohorts_s} (60,000 institutions by cohorts; target < 600), growth exponent from 15,000: ${result.rehearsal_cohorts_growth_exponent}`,
  );
  console.log(`\nwritten to ${path.relative(process.cwd(), file)}`);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
