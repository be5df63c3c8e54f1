// `jianguan campaign …` as a person runs it (the commander program) against the campaign workflow on the time-skipping
// server: a harness worker with the real activities, its PGlite ledger served where the CLI looks (LEDGER_PORT), the
// payload codec on both sides. Phases are relative to the start, so nothing depends on today's date.
//
// What is guarded: a bad file refused problem by problem with nothing recorded or started; a targeted file's targets
// resolved by its selectors and frozen in the ledger, their inspections fanned out by page activities (no children);
// the same file again starts nothing, another file under the same id is refused; the cancellation recorded with its
// reason in the ledger and the audit trail, the workflow ending cancelled with its uninspected inspections withdrawn;
// a special file recorded with its responsible tasks and plainly not started.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure, WorkflowNotFoundError } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Command } from 'commander';
import { STAGE_LABEL } from '../../workflows/search-attributes';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../cli/main';
import { dataConverterOfKeys } from '../../codec/data-converter';
import { DEFAULT_PLAN_FILE, loadPlan, type Plan } from '../../config';
import { campaignWorkflowId, inspectionWorkflowId } from '../../domain/business-keys';
import { fileCampaignStatusQuery } from '../../workflows/campaign/api';
import { createTimeSkippingEnv } from '../helpers/temporal';
import { TEST_CODEC_KEYS, TEST_SEALING_KEY } from '../helpers/sealer';
import { createHarness, type Harness } from '../helpers/workflow-harness';

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

/** Runs `fn` with the CLI pointed at a fresh harness; `run` returns what a command printed, or throws its error. */
async function withCli(fn: (run: (...args: string[]) => Promise<string>, harness: Harness) => Promise<void>): Promise<void> {
  const harness = await createHarness(fx.env, { dataConverter: dataConverterOfKeys([TEST_SEALING_KEY]) });
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(args.map(String).join(' '));
  });
  vi.stubEnv('TEMPORAL_ADDRESS', fx.env.address);
  vi.stubEnv('TEMPORAL_TASK_QUEUE', harness.taskQueue);
  vi.stubEnv('LEDGER_PORT', String(harness.ledgerPort));
  vi.stubEnv('DATABASE_URL', '');
  vi.stubEnv('JIANGUAN_PLAN', DEFAULT_PLAN_FILE);
  vi.stubEnv('JIANGUAN_CODEC_KEYS', TEST_CODEC_KEYS);
  vi.stubEnv('JIANGUAN_DATA_DIR', fx.dir);
  const run = async (...args: string[]) => {
    const program = buildProgram();
    const configure = (command: Command) => {
      command.exitOverride().configureOutput({ writeOut: (s) => printed.push(s), writeErr: () => undefined });
      command.commands.forEach(configure);
    };
    configure(program);
    const from = printed.length;
    await program.parseAsync(['node', 'jianguan', ...args]);
    return printed.slice(from).join('\n');
  };
  try {
    await harness.run(() => fn(run, harness));
  } finally {
    vi.unstubAllEnvs();
    log.mockRestore();
    await harness.close();
  }
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  for (const start = Date.now(); !(await check());) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const count = async (harness: Harness, sql: string, params: unknown[] = []) =>
  (await harness.store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0]!.n;

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
    await withCli(async (run, harness) => {
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
    await withCli(async (run, harness) => {
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

  it('records a special file with its responsible tasks and says it is not started', async () => {
    await withCli(async (run, harness) => {
      const leader = fx.plan.leaders[0].id;
      const unit = fx.plan.responsibleUnits[0].id;
      const special = file(`id: fund-special
kind: special
title: 医保基金管理突出问题专项整治
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
      const printed = await run('campaign', 'start', special);
      expect(printed).toMatch(/campaign fund-special \(special\): recorded in the ledger/);
      expect(printed).toMatch(/NOT STARTED: the special campaign workflow .* is not available yet/);
      expect(await run('campaign', 'start', special)).toMatch(/already recorded/);
      const record = await harness.store.getCampaignFile('fund-special');
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
      expect(await run('campaign', 'show', 'fund-special')).toMatch(/deadline 2026-12-31 and ongoing/);
      await expect(
        fx.env.client.workflow.getHandle(campaignWorkflowId(fx.plan.jurisdiction.code, 'fund-special')).describe(),
      ).rejects.toThrow(WorkflowNotFoundError);
    });
  });
});
