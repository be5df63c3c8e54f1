// Records workflow histories for the replay test: `npx tsx test/replay/record.ts`. Run it when a workflow's command
// sequence changes ON PURPOSE (with `patched()` guarding old histories), and commit the new files beside the old
// ones, so that every shape of history that may still be open in production keeps replaying.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { ensureTemporalBinaries } from '../../scripts/provision-temporal';
import { campaignInputFromPlan } from '../../cli/campaign-input';
import { loadPlan, DEFAULT_PLAN_FILE } from '../../config';
import { drawTeam } from '../../domain/draw';
import { inspectionCampaign } from '../../workflows/campaign';
import { annualCycle } from '../../workflows/annual-cycle';
import { flyingChecksStatusQuery } from '../../workflows/flying';
import { inspection, recordFindingsUpdate, recordRecheckUpdate, submitStatementUpdate } from '../../workflows/inspection';
import { inspectionInput, localEndOfDay } from '../helpers/inspection-input';
import { createTimeSkippingEnv } from '../helpers/temporal';
import { createHarness } from '../helpers/workflow-harness';

const OUT = path.join(__dirname, 'histories');
const VERSION = 'v2';

async function main(): Promise<void> {
  process.env.TEMPORAL_TEST_SERVER_PATH ??= ensureTemporalBinaries().testServer;
  const env = await createTimeSkippingEnv();
  const harness = await createHarness(env);
  mkdirSync(OUT, { recursive: true });
  const save = async (name: string, handle: WorkflowHandle) => {
    const history = await handle.fetchHistory();
    writeFileSync(path.join(OUT, `${VERSION}-${name}.json`), historyToJSON(history));
    console.log(`recorded ${name}: ${history.events?.length} events`);
  };
  try {
    await harness.run(async () => {
      const now = await env.currentTimeMs();
      const input = inspectionInput(localEndOfDay(now, 20));
      const team = drawTeam(input.drawSeed, input.inspectorPool, input.institution.id, input.teamSize);
      const at = () => env.currentTimeMs().then((ms) => new Date(ms).toISOString());
      await harness.store.upsertInstitutions([{ jurisdiction: '349901', id: 'H001', name: '清溪区人民医院', kind: 'hospital', level: 'III', ownership: 'public', district: '城关街道' }]);
      const startOne = async (scenario: string) => {
        const campaignId = `replay-${scenario}`;
        await harness.store.ensureCampaign({ id: campaignId, jurisdiction: '349901', kind: 'coverage', title: '回放', year: 2026, startsAt: new Date().toISOString(), dueAt: input.dueAt, drawSeed: input.drawSeed });
        return env.client.workflow.start(inspection, { workflowId: `inspection:${campaignId}:H001`, taskQueue: harness.taskQueue, args: [{ ...input, campaign: { ...input.campaign, id: campaignId } }] });
      };

      const compliant = await startOne('compliant');
      await env.sleep('2 days');
      await compliant.executeUpdate(recordFindingsUpdate, { args: [{ inspectorId: team[0], inspectedAt: await at(), violation: false }] });
      await compliant.result();
      await save('inspection-compliant', compliant);

      const rectified = await startOne('rectified');
      await rectified.executeUpdate(recordFindingsUpdate, { args: [{ inspectorId: team[0], inspectedAt: await at(), violation: true, items: [{ category: '超标准收费', description: '重复收取诊查费', amountFen: 50_000 }] }] });
      await env.sleep('26 days');
      await rectified.executeUpdate(recordRecheckUpdate, { args: [{ inspectorId: team[1], checkedAt: await at(), rectified: true }] });
      await rectified.result();
      await save('inspection-rectified', rectified);

      const unreported = await startOne('unreported');
      await unreported.result();
      await save('inspection-unreported', unreported);

      const plan = await loadPlan(DEFAULT_PLAN_FILE);
      const small = { ...plan, institutions: plan.institutions.slice(0, 3) };
      const campaign = await env.client.workflow.start(inspectionCampaign, {
        workflowId: 'campaign:349901:replay-campaign',
        taskQueue: harness.taskQueue,
        args: [campaignInputFromPlan(small, { id: 'replay-campaign', kind: 'demo', title: '回放检查', year: 2026, dueAt: localEndOfDay(now, 10).toISOString(), announced: true })],
      });
      await campaign.result();
      await save('campaign-three-unreported', campaign);

      // A year of the sample district with scripted answers on the flying checks (one violation with a statement).
      // The test server's clock has run on after the earlier results (it skips idle time): take the year from it now.
      const year = new Date(await env.currentTimeMs()).getUTCFullYear() + 1;
      const cycle = await env.client.workflow.start(annualCycle, { workflowId: `annual:349901:${year}`, taskQueue: harness.taskQueue, args: [{ jurisdiction: '349901', year }] });
      // Step through the year until the flying checks have drawn their targets.
      const flyingHandle = env.client.workflow.getHandle(`flying:349901:${year}`);
      let flying = await flyingHandle.query(flyingChecksStatusQuery).catch(() => undefined);
      while (flying?.stage !== 'inspecting') {
        await env.sleep('7 days');
        flying = await flyingHandle.query(flyingChecksStatusQuery).catch(() => undefined);
      }
      const target = flying.random[0];
      const flyingInspection = env.client.workflow.getHandle(`inspection:349901-flying-${year}:${target}`);
      const flyingTeam = drawTeam(flying.seed!, plan.inspectors, target, plan.inspection.teamSize);
      await flyingInspection.executeUpdate(recordFindingsUpdate, { args: [{ inspectorId: flyingTeam[0], inspectedAt: await at(), violation: true, items: [{ category: '虚构医疗服务', description: '伪造病历', amountFen: 100_000 }] }] });
      await flyingInspection.executeUpdate(submitStatementUpdate, { args: [{ submittedBy: '院长', text: '有异议' }] });
      await cycle.result();
      await save('annual-cycle', cycle);
      for (const id of [`coverage:349901:${year}`, `coverage-shard:349901-coverage-${year}:0`, `closure-review:349901:${year}`, `flying:349901:${year}`]) {
        const handle = env.client.workflow.getHandle(id);
        await handle.result().catch(() => undefined);
        await save(id.split(':')[0], handle);
      }
      await flyingInspection.result();
      await save('inspection-flying-statement', flyingInspection);
    });
  } finally {
    await harness.close();
    await env.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
