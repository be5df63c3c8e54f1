// `jianguan campaign …` as a person runs it (the commander program) against the campaign workflow on the time-skipping
// server: a harness worker with the real activities, its PGlite ledger served where the CLI looks (LEDGER_PORT), the
// payload codec on both sides. Phases are relative to the start, so nothing depends on today's date.
//
// What is guarded: a bad file refused problem by problem with nothing recorded or started; a targeted file's targets
// resolved by its selectors and frozen in the ledger, their inspections fanned out by page activities (no children);
// the same file again starts nothing, another file under the same id is refused; the cancellation recorded with its
// reason in the ledger and the audit trail, the workflow ending cancelled with its uninspected inspections withdrawn;
// a re-check file started: its sample (三个三分之一) drawn from the year's finished inspections, below the minimum all
// of the pool and said so, reproduced by `draw verify --campaign`, re-inspected as further on-site inspections with
// reason 'recheck', and its findings compared with the district's, recorded, mailed and shown by `campaign status`
// (special files run: test/workflows/special-campaign.test.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure, WorkflowNotFoundError } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGE_LABEL } from '../../workflows/search-attributes';
import { dataConverterOfKeys } from '../../codec/data-converter';
import { DEFAULT_PLAN_FILE, loadPlan, type Plan } from '../../config';
import { campaignWorkflowId, inspectionWorkflowId } from '../../domain/business-keys';
import { localYear } from '../../domain/calendar';
import { drawRecheckSample } from '../../domain/recheck';
import { fileCampaignStatusQuery } from '../../workflows/campaign/api';
import { inspectionStatusQuery, recordFindingsUpdate } from '../../workflows/inspection/api';
import { count, until, withCli } from '../helpers/cli-harness';
import { seedFinishedInspections } from '../helpers/finished-inspections';
import { TEST_SEALING_KEY } from '../helpers/sealer';
import { useServerPerTest } from '../helpers/workflow-test';

const fx = {} as { env: TestWorkflowEnvironment; dir: string; plan: Plan };

useServerPerTest(fx);

beforeAll(async () => {
  fx.dir = mkdtempSync(path.join(tmpdir(), 'jianguan-cli-campaign-'));
  fx.plan = await loadPlan(DEFAULT_PLAN_FILE);
});

afterAll(async () => {
  if (fx.dir) rmSync(fx.dir, { recursive: true, force: true });
});

let n = 0;
function file(content: string): string {
  const name = path.join(fx.dir, `campaign-${++n}.yaml`);
  writeFileSync(name, content);
  return name;
}

const targeted = (title: string) => `id: sanjia-check
kind: targeted
title: ${title}
legalBasis: [《医疗保障基金使用监督管理条例》第四十条]
targets:
  - { kind: pharmacy }
  - { institutions: [H34990100001] }
phases:
  - { name: 现场检查, end: { days: 30 } }
`;

describe('jianguan campaign', () => {
  it('refuses a bad file with every problem by its path, recording and starting nothing', async () => {
    await withCli(fx.env, fx.dir, async (run, harness) => {
      const bad = file(
        `id: bad-one\nkind: targeted\ntitle: 检查\nlegalBasis: [依据]\ntargets: [{ institutions: [H00000000000] }]\nphases: [{ name: 一, end: 2026-02-30 }]\n`,
      );
      const error = await run('campaign', 'start', bad).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.message).toContain('targets[0].institutions[0]: institution "H00000000000" is not in the plan');
      expect(error?.message).toContain('phases[0].end: expected a date "YYYY-MM-DD", got "2026-02-30"');
      expect(await count(harness, 'campaign_files')).toBe(0);
      await expect(fx.env.client.workflow.getHandle(campaignWorkflowId(fx.plan.jurisdiction.code, 'bad-one')).describe()).rejects.toThrow(
        WorkflowNotFoundError,
      );
    });
  });

  it('freezes a targeted file’s targets, fans out their inspections, refuses another file under its id, and cancels cleanly', async () => {
    await withCli(fx.env, fx.dir, async (run, harness) => {
      const code = fx.plan.jurisdiction.code;
      const expected = fx.plan.institutions.filter((i) => i.kind === 'pharmacy' || i.id === 'H34990100001').map((i) => i.id);
      expect(await run('campaign', 'start', file(targeted('打击“三假”专项检查')))).toMatch(/campaign sanjia-check \(targeted\): started/);
      await until(
        'the inspections started',
        async () => (await count(harness, 'inspections WHERE campaign_id = $1', ['sanjia-check'])) === expected.length,
      );
      const members = await harness.store.listCampaignMembers('sanjia-check', 0, 1_000);
      expect(members.map((m) => m.id)).toEqual([...expected].sort());
      // Started by page activities, not as children.
      // A client with the payload codec (the time-skipping client has none), which also never skips time.
      const client = new Client({ connection: fx.env.connection, dataConverter: dataConverterOfKeys([TEST_SEALING_KEY]) });
      const handle = client.workflow.getHandle(campaignWorkflowId(code, 'sanjia-check'));
      const history = await handle.fetchHistory();
      expect(history.events?.some((e) => e.startChildWorkflowExecutionInitiatedEventAttributes)).toBe(false);

      expect(await run('campaign', 'start', file(targeted('打击“三假”专项检查')))).toMatch(/already started, nothing started again/);
      await expect(run('campaign', 'start', file(targeted('另一个检查')))).rejects.toThrow(
        /recorded with another file \(title differ\).*nothing started/,
      );
      expect(await run('campaign', 'list')).toMatch(/sanjia-check.*targeted.*打击“三假”专项检查.*│ +\d+ │ started/);
      expect(await run('campaign', 'show', 'sanjia-check')).toContain(`frozen targets: ${expected.length}`);

      expect(await run('campaign', 'cancel', 'sanjia-check', '--reason', '方案调整，另行部署', '--by', fx.plan.leaders[0].id)).toMatch(
        /cancelled \(recorded in the ledger and the audit trail\)[\s\S]*cancellation sent/,
      );
      const failure = await handle.result().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      expect((failure as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      expect(await handle.query(fileCampaignStatusQuery)).toMatchObject({
        stage: 'cancelled',
        members: expected.length,
        withdrawn: expected.length,
      });
      expect((await handle.describe()).typedSearchAttributes.get(STAGE_LABEL)).toBe('已撤销');
      const inspection = await fx.env.client.workflow.getHandle(inspectionWorkflowId('sanjia-check', expected[0])).describe();
      expect(inspection.status.name).toBe('CANCELLED');
      const record = await harness.store.getCampaignFile('sanjia-check');
      expect(record?.cancelled).toMatchObject({ by: fx.plan.leaders[0].id, reason: '方案调整，另行部署' });
      expect(await count(harness, "audit_trail WHERE action = 'campaign-cancelled' AND subject_id = $1", ['sanjia-check'])).toBe(1);
      expect(await run('campaign', 'cancel', 'sanjia-check', '--reason', '再次')).toMatch(/already cancelled/);
    });
  });

  it('starts a re-check from a file: the sample drawn from the year’s finished inspections, verified, re-inspected and compared', async () => {
    await withCli(fx.env, fx.dir, async (run, harness) => {
      const code = fx.plan.jurisdiction.code;
      const hospitals = fx.plan.institutions.filter((i) => i.kind === 'hospital').slice(0, 8);
      const pharmacies = fx.plan.institutions.filter((i) => i.kind === 'pharmacy').slice(0, 2);
      // Last year's full coverage by the districts, re-checked from today (its deadline long past, whatever the date):
      // three hospitals with violations of 500 yuan, the rest compliant.
      const year = localYear(new Date(await fx.env.currentTimeMs()), fx.plan.jurisdiction.timeZone);
      const last = year - 1;
      const violated = new Set(hospitals.slice(0, 3).map((i) => i.id));
      await seedFinishedInspections(harness.store, fx.plan, last, [...hospitals, ...pharmacies], violated);
      const leader = fx.plan.leaders[1];
      const unit = fx.plan.responsibleUnits[0];
      const recheck = file(`id: rc-2026
kind: recheck
title: 抽查复查
legalBasis: [《贵港市2021年打击欺诈骗保专项整治行动方案》三、（五）]
targets: [{ all: true }]
phases: [{ name: 抽查复查, end: { days: 20 } }]
recheck: { year: ${last}, minimum: { hospital: 6 } }
tasks:
  - { content: 抽查复查, measures: [现场复查], leader: ${leader.id}, units: [${unit.id}], deadline: ${year + 1}-12-31 }
`);
      expect(await run('campaign', 'start', recheck)).toMatch(/campaign rc-2026 \(recheck\): started[\s\S]*draw verify --campaign rc-2026/);
      await until(
        'the sample drawn and started',
        async () => (await count(harness, 'inspections WHERE campaign_id = $1', ['rc-2026'])) === 8,
      );
      const draw = (await harness.store.getRecheckDraw('rc-2026'))!;
      // Six hospitals of eight, two from the district's findings, two from its clean ones, two at random; both pharmacies (short of 20).
      expect(draw.picks.filter((p) => p.kind === 'hospital').map((p) => p.third)).toEqual([
        'withFindings',
        'withFindings',
        'clean',
        'clean',
        'random',
        'random',
      ]);
      expect(draw.picks.filter((p) => p.kind === 'pharmacy')).toHaveLength(2);
      expect(draw.short).toEqual([{ kind: 'pharmacy', minimum: 20, pool: 2 }]);
      expect(await run('draw', 'verify', '--campaign', 'rc-2026')).toMatch(/MATCH：重新抽取结果与记录的抽取结果一致（rc-2026）/);
      // A sample drawn before the spread over the districts is re-run by its own rules.
      const older = { ...draw, campaignId: 'rc-older', algorithm: 'recheck-thirds/1' as const };
      older.picks = drawRecheckSample(draw.seed, draw.pool, draw.rules, older.algorithm).picks;
      const at = '2026-12-01T02:00:00.000Z';
      const audit = (action: string) => ({
        key: `test:rc-older:${action}`,
        actor: 'test',
        action,
        subjectType: 'campaign',
        subjectId: 'rc-older',
        reason: '',
        detail: {},
        at,
      });
      const recorded = (await harness.store.getCampaignFile('rc-2026'))!;
      await harness.store.recordCampaignFile({ ...recorded, campaignId: 'rc-older' }, audit('campaign-recorded'));
      await harness.store.recordRecheckDraw(older, at, audit('recheck-drawn'));
      expect(await run('draw', 'verify', '--campaign', 'rc-older')).toMatch(/MATCH：重新抽取结果与记录的抽取结果一致（rc-older）/);
      expect(await run('campaign', 'status', 'rc-2026')).toMatch(/定点零售药店：应抽不少于 20 家，本年度已完成检查的仅 2 家，全部复查/);
      // Besides the district's inspection, a further on-site inspection, claimed as the city's re-check.
      const picked = draw.picks[0].institutionId;
      const onSite = [
        ...(await harness.store.listOnSiteInspections(code, picked, last)),
        ...(await harness.store.listOnSiteInspections(code, picked, year)),
      ];
      expect(onSite.map((o) => o.reason)).toEqual([null, 'recheck']);

      // The re-check's findings: one the district found clean has violations of 800 yuan; one with findings differs in amount.
      const client = new Client({ connection: fx.env.connection, dataConverter: dataConverterOfKeys([TEST_SEALING_KEY]) });
      const missedAt = draw.picks.find((p) => p.third === 'clean')!.institutionId;
      const amountAt = draw.picks.find((p) => p.third === 'withFindings')!.institutionId;
      for (const p of draw.picks) {
        const inspection = client.workflow.getHandle(inspectionWorkflowId('rc-2026', p.institutionId));
        const { team } = await inspection.query(inspectionStatusQuery);
        const fen =
          p.institutionId === missedAt ? 80_000 : p.institutionId === amountAt ? 90_000 : violated.has(p.institutionId) ? 50_000 : 0;
        await inspection.executeUpdate(recordFindingsUpdate, {
          args: [
            {
              inspectorId: team[0],
              inspectedAt: new Date(await fx.env.currentTimeMs()).toISOString(),
              violation: fen > 0,
              items: fen > 0 ? [{ category: '违规收费', description: '重复收费', amountFen: fen, article: '条例第三十八条' }] : [],
            },
          ],
        });
      }
      await fx.env.sleep('40 days'); // past the phase's end and the late window
      const handle = client.workflow.getHandle(campaignWorkflowId(code, 'rc-2026'));
      await until('the campaign completed', async () => (await handle.describe()).status.name === 'COMPLETED');
      const { summary } = (await harness.store.getRecheckSummary('rc-2026'))!;
      expect(summary).toMatchObject({ sampled: 8, agreements: 6, discrepancies: 2, missedFen: 80_000 + 40_000 });
      expect(summary.byOutcome).toEqual({ agree: 6, missed: 1, 'not-confirmed': 0, amount: 1, pending: 0 });
      expect((await handle.query(fileCampaignStatusQuery)).recheck?.summary?.discrepancies).toBe(2);
      const mailed = harness.sent.filter((m) => m.kind === 'recheck-summary');
      expect(mailed.map((m) => m.to[0]).sort()).toEqual([leader.email, unit.email].sort());
      expect(mailed[0].text).toContain(`${missedAt}（区县检查未发现问题的）：区县漏查违规`);
      expect(await run('campaign', 'status', 'rc-2026')).toMatch(/comparison: 复查 8 家：一致 6 家，不一致 2 家/);
    });
  });
});
