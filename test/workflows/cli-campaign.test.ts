// `jianguan campaign …` as a person runs it (the commander program) against the campaign workflow on the time-skipping
// server: a harness worker with the real activities, its PGlite ledger served where the CLI looks (LEDGER_PORT), the
// payload codec on both sides. Phases are relative to the start, so nothing depends on today's date.
//
// What is guarded: a bad file refused problem by problem with nothing recorded or started; a targeted file's targets
// resolved by its selectors and frozen in the ledger, their inspections fanned out by page activities (no children);
// the same file again starts nothing, another file under the same id is refused; the cancellation recorded with its
// reason in the ledger and the audit trail, the workflow ending cancelled with its uninspected inspections withdrawn;
// a re-check file recorded with its responsible tasks and plainly not started (special files run:
// test/workflows/special-campaign.test.ts).
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
import { fileCampaignStatusQuery } from '../../workflows/campaign/api';
import { count, until, withCli } from '../helpers/cli-harness';
import { TEST_SEALING_KEY } from '../helpers/sealer';
import { createTimeSkippingEnv } from '../helpers/temporal';

const fx = {} as { env: TestWorkflowEnvironment; dir: string; plan: Plan };

beforeAll(async () => {
  fx.env = await createTimeSkippingEnv();
  fx.dir = mkdtempSync(path.join(tmpdir(), 'jianguan-cli-campaign-'));
  fx.plan = await loadPlan(DEFAULT_PLAN_FILE);
});

afterAll(async () => {
  await fx.env?.teardown();
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

  it('records a re-check file with its responsible tasks and says it is not started', async () => {
    await withCli(fx.env, fx.dir, async (run, harness) => {
      const leader = fx.plan.leaders[0].id;
      const unit = fx.plan.responsibleUnits[0].id;
      const recheck = file(`id: fund-recheck
kind: recheck
title: 打击欺诈骗保专项整治抽查复查
legalBasis: [《医疗保障基金使用监督管理条例》]
targets: [{ all: true }]
phases:
  - { name: 自查自纠, end: { days: 30 } }
  - { name: 严肃查处, end: { days: 60 } }
  - { name: 建章立制, end: { days: 30 } }
tasks:
  - content: 整治欺诈骗保和违规使用医保基金问题
    measures: [组织定点医药机构开展自查自纠, 开展打击欺诈骗保专项整治行动]
    leader: ${leader}
    units: [${unit}]
    deadline: 2026-12-31
    ongoing: true
`);
      const printed = await run('campaign', 'start', recheck);
      expect(printed).toMatch(/campaign fund-recheck \(recheck\): recorded in the ledger/);
      expect(printed).toMatch(/NOT STARTED: the re-check sampling .* not available yet/);
      expect(await run('campaign', 'start', recheck)).toMatch(/already recorded/);
      const record = await harness.store.getCampaignFile('fund-recheck');
      expect(record?.tasks).toEqual([
        {
          content: '整治欺诈骗保和违规使用医保基金问题',
          measures: ['组织定点医药机构开展自查自纠', '开展打击欺诈骗保专项整治行动'],
          leaderId: leader,
          unitIds: [unit],
          deadline: '2026-12-31',
          ongoing: true,
        },
      ]);
      expect(record?.phases.map((p) => p.name)).toEqual(['自查自纠', '严肃查处', '建章立制']);
      expect(await run('campaign', 'show', 'fund-recheck')).toMatch(/deadline 2026-12-31 and ongoing/);
      await expect(
        fx.env.client.workflow.getHandle(campaignWorkflowId(fx.plan.jurisdiction.code, 'fund-recheck')).describe(),
      ).rejects.toThrow(WorkflowNotFoundError);
    });
  });
});
