// `jianguan dev` (what `npm start` runs): the whole system on one machine with embedded defaults —
// Temporal dev server + Web UI, the record store (PGlite under var/), a worker, and the demo campaign of the plan.
// Ctrl-C stops all of it; running it again resumes the same campaign (the ids are business keys).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import pino, { type Logger } from 'pino';
import { ensureTemporalBinaries } from '../scripts/provision-temporal';
import { holidayCalendarWarnings } from '../config';
import { formatLocal, localInstant, localYear } from '../domain/calendar';
import { CAMPAIGN_STAGE_LABELS } from '../domain/stages';
import { connectWorker } from '../workers/connect';
import { installRuntime } from '../workers/logging';
import { registerSearchAttributes } from '../workers/setup';
import { createWorker } from '../workers/worker';
import { CAMPAIGN_WORKFLOW_TYPE, type CampaignWorkflow } from '../workflows/campaign/api';
import { ONE_RUN_PER_KEY } from '../workflows/business-key';
import { searchAttributes } from '../workflows/search-attributes';
import { annualScheduleId, campaignWorkflowId, demoCampaignId, weeklyScheduleId } from '../domain/business-keys';
import { campaignInputFromPlan } from './campaign-input';
import { DEMO_CAMPAIGN_FILE, loadCampaignFile } from '../config/campaign';
import { dayInstant, phaseDates, selectTargets } from '../domain/campaign-file';
import { applySchedule, applyWeeklySchedule, describeFiring, describeWeeklyFiring, startCycle } from './cycle';
import { plan as loadPlanFile, settings, withClient } from './context';
import { startDevCodecServer, type DevCodecServer } from './dev-codec';
import { startDevServer, type DevServer } from './dev-server';
import { leadershipLists, listUrl } from './ui-links';

export async function dev(options: { plan?: string }): Promise<void> {
  const config = settings();
  const plan = await loadPlanFile(config, options.plan);
  mkdirSync(path.join(config.dataDir, 'logs'), { recursive: true });
  const logFile = path.join(config.dataDir, 'logs', 'jianguan.log');
  // JSON logs go to a file; the terminal shows only what a person needs.
  const logger = pino(
    { level: config.logLevel, base: { service: 'jianguan' } },
    pino.destination({ dest: logFile, mkdir: true, sync: false }),
  );
  installRuntime(logger, config.logLevel, config.metricsAddress);

  const { cli } = ensureTemporalBinaries({ log: (line) => console.log(line) });
  // Before the dev server: its Web UI is pointed at the codec server.
  const codec = await startDevCodecServer(config, logger);
  try {
    console.log('Starting the Temporal dev server ...');
    const server = await startDevServer({
      cliPath: cli,
      address: config.temporal.address,
      namespace: config.temporal.namespace,
      uiPort: config.temporal.uiPort,
      dataDir: config.dataDir,
      codecEndpoint: codec.endpoint,
    });
    if (server.takenOver)
      console.log(`(taking over the dev server an earlier run left running, process ${server.pid}: it stops with this one)`);
    try {
      await runOnServer(config, plan, logger, (campaign, year) => printBanner(config, plan, campaign, year, server, codec, logFile));
    } finally {
      if (server.owned) {
        console.log('Stopping the Temporal dev server ...');
        await server.stop();
        console.log('The Temporal dev server has stopped.');
      }
    }
  } finally {
    await codec.close();
    logger.flush();
  }
}

/** The worker and the demo's workflows on the running server, until the worker stops (Ctrl-C). */
async function runOnServer(
  config: ReturnType<typeof settings>,
  plan: Awaited<ReturnType<typeof loadPlanFile>>,
  logger: Logger,
  banner: (campaign: Awaited<ReturnType<typeof startDemoCampaign>>, year: Awaited<ReturnType<typeof startYear>>) => void,
): Promise<void> {
  await withClient(config, (_client, connection) => registerSearchAttributes(connection, config.temporal.namespace));
  const connection = await connectWorker(config);
  const { worker, close } = await createWorker(config, connection, logger);
  const running = worker.run();
  try {
    const campaign = await startDemoCampaign(config, plan);
    const year = await startYear(config, plan);
    banner(campaign, year);
    await running;
  } catch (error) {
    worker.shutdown();
    await running;
    throw error;
  } finally {
    await close();
    await connection.close();
  }
}

/**
 * The demo campaign: config/campaigns/demo.yaml, checked against the plan like any campaign file, once a year under
 * `{jurisdiction}-demo-{year}`. It runs with its institutions listed (children that report their stages to it as they
 * change, so its status is live and it ends when they do): its targets come from the plan alone.
 */
export async function startDemoCampaign(config: ReturnType<typeof settings>, plan: Awaited<ReturnType<typeof loadPlanFile>>) {
  const now = new Date();
  const tz = plan.jurisdiction.timeZone;
  const year = localYear(now, tz);
  const file = { ...loadCampaignFile(DEMO_CAMPAIGN_FILE, plan), id: demoCampaignId(plan.jurisdiction.code, year), year };
  const { id } = file;
  const workflowId = campaignWorkflowId(plan.jurisdiction.code, id);
  const phases = phaseDates(file.phases, now, tz);
  const dueAt = dayInstant(phases[phases.length - 1].endsOn, plan.calendar.coverage.deadlineTime, tz);
  const noRisk = { riskSignals: 0, lastYearFindings: 0, creditGrade: null };
  const targets = new Set(
    selectTargets(
      file.targets,
      plan.institutions.map((i) => ({ ...i, level: i.level ?? null, ...noRisk })),
    ).map((t) => t.id),
  );
  const input = campaignInputFromPlan(plan, {
    id,
    kind: file.kind,
    title: file.title,
    year,
    dueAt: dueAt.toISOString(),
    announced: file.announced ?? plan.inspection.announced,
  });
  input.institutions = input.institutions.filter((i) => targets.has(i.id));
  return withClient(config, async (client) => {
    try {
      await client.workflow.start<CampaignWorkflow>(CAMPAIGN_WORKFLOW_TYPE, {
        workflowId,
        ...ONE_RUN_PER_KEY,
        taskQueue: config.temporal.taskQueue,
        args: [input],
        staticSummary: `${year}年 ${plan.jurisdiction.name} ${file.title}（${input.institutions.length} 家机构）`,
        staticDetails: `检查期限 ${formatLocal(dueAt, tz)}`,
        typedSearchAttributes: searchAttributes({
          jurisdiction: plan.jurisdiction.code,
          campaignId: id,
          campaignKind: file.kind,
          year,
          stage: 'starting',
          dueAt,
          stageLabel: CAMPAIGN_STAGE_LABELS.starting,
        }),
      });
      return { id, workflowId, resumed: false };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return { id, workflowId, resumed: true };
      throw error;
    }
  });
}

/**
 * The yearly and weekly Schedules, and the annual cycle of the year still ahead: this year's while its coverage deadline is to
 * come, otherwise next year's (it waits for 1 January with its timers visible in the UI).
 */
async function startYear(config: ReturnType<typeof settings>, plan: Awaited<ReturnType<typeof loadPlanFile>>) {
  const now = new Date();
  const thisYear = localYear(now, plan.jurisdiction.timeZone);
  const deadline = localInstant(thisYear, plan.calendar.coverage.deadline, plan.calendar.coverage.deadlineTime, plan.jurisdiction.timeZone);
  const year = now < deadline ? thisYear : thisYear + 1;
  return withClient(config, async (client) => {
    const schedule = await applySchedule(client, config, plan);
    const weekly = (await applyWeeklySchedule(client, config, plan)).outcome;
    const cycle = await startCycle(client, config, plan, year);
    return { year, schedule, scheduleId: annualScheduleId(plan.jurisdiction.code), weekly, ...cycle };
  });
}

function printBanner(
  config: ReturnType<typeof settings>,
  plan: Awaited<ReturnType<typeof loadPlanFile>>,
  campaign: { id: string; workflowId: string; resumed: boolean },
  year: Awaited<ReturnType<typeof startYear>>,
  server: DevServer,
  codec: DevCodecServer,
  logFile: string,
): void {
  const ownServer = server.owned;
  // Only a server this run started was given --ui-codec-endpoint.
  const knowsCodec = server.owned && !server.takenOver;
  const ns = encodeURIComponent(config.temporal.namespace);
  const ui = `http://localhost:${config.temporal.uiPort}`;
  const query = encodeURIComponent(`CampaignId="${campaign.id}"`);
  const sample = plan.institutions[0].id;
  console.log(`
jianguan is running — ${plan.jurisdiction.name} (${plan.jurisdiction.code}), ${plan.institutions.length} institutions, ${plan.inspectors.length} inspectors.
  Demo campaign   ${campaign.workflowId} ${campaign.resumed ? '(resumed: it was already running)' : '(started)'}
  Annual cycle    ${year.workflowId} ${year.existed ? '(already running)' : '(started)'}: coverage, closure review, flying checks, summary
  Yearly schedule ${year.scheduleId} (${year.schedule}): starts each year's cycle ${describeFiring(plan)}
  Weekly schedule ${weeklyScheduleId(plan.jurisdiction.code)} (${year.weekly}): the weekly tables (周报表) ${describeWeeklyFiring(plan)}
  Temporal Web UI ${ownServer ? ui : '(your own server: see its UI)'}
  Its inspections ${ui}/namespaces/${ns}/workflows?query=${query}
  Schedules       ${ui}/namespaces/${ns}/schedules
${leadershipLists(new Date(), plan.jurisdiction.timeZone)
  .map(({ label, query }) => `  ${label}${'　'.repeat(5 - label.length)}  ${listUrl(ui, config.temporal.namespace, query)}`)
  .join('\n')}
    (columns: the list's settings add InstitutionName and StageLabel; times: the UI's time zone setting, Asia/Shanghai)
  Outbox          ${path.resolve(config.mail.outboxDir)}  (one .eml file per notification)
  Logs            ${path.resolve(logFile)}
${codec.bannerLines(ui).join('\n')}${knowsCodec ? '' : `\n    (the Temporal server was not started by this run: its Web UI may not know ${codec.endpoint})`}

Next, in another terminal:
  npm run jianguan -- status --campaign ${campaign.id}
  npm run jianguan -- draw verify --seed demo --pool test/fixtures/flying-pool.yaml
  npm run jianguan -- inspection show --campaign ${campaign.id} --institution ${sample}
  npm run jianguan -- inspection record --campaign ${campaign.id} --institution ${sample} --inspector <team member> --no-violation

Ctrl-C stops the worker and the server; \`npm start\` again resumes where it was.`);
  for (const warning of holidayCalendarWarnings(plan, new Date())) console.log(`\nWarning: ${warning}`);
}
