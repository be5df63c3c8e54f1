// The `jianguan` program run as a person runs it, against a harness worker on the time-skipping server: the CLI's
// settings point at the harness (its task queue, its PGlite ledger served on LEDGER_PORT, the payload codec over the
// test key), and `run` returns what a command printed, or throws its error.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Command } from 'commander';
import { afterAll, beforeAll, vi } from 'vitest';
import { buildProgram } from '../../cli/main';
import { dataConverterOfKeys } from '../../codec/data-converter';
import { DEFAULT_PLAN_FILE } from '../../config';
import { TEST_CODEC_KEYS, TEST_SEALING_KEY } from './sealer';
import { createHarness, type Harness } from './workflow-harness';
import { useServerPerTest } from './workflow-test';

export type RunCli = (...args: string[]) => Promise<string>;

/** Runs `fn` with the CLI pointed at a fresh harness; `dataDir` is the CLI's JIANGUAN_DATA_DIR. */
export async function withCli(
  env: TestWorkflowEnvironment,
  dataDir: string,
  fn: (run: RunCli, harness: Harness) => Promise<void>,
): Promise<void> {
  const harness = await createHarness(env, { dataConverter: dataConverterOfKeys([TEST_SEALING_KEY]) });
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    printed.push(args.map(String).join(' '));
  });
  vi.stubEnv('TEMPORAL_ADDRESS', env.address);
  vi.stubEnv('TEMPORAL_TASK_QUEUE', harness.taskQueue);
  vi.stubEnv('LEDGER_PORT', String(harness.ledgerPort));
  vi.stubEnv('DATABASE_URL', '');
  vi.stubEnv('JIANGUAN_PLAN', DEFAULT_PLAN_FILE);
  vi.stubEnv('JIANGUAN_CODEC_KEYS', TEST_CODEC_KEYS);
  vi.stubEnv('JIANGUAN_DATA_DIR', dataDir);
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

/** Polls `check` until true; a check that throws (a query before the workflow's first task is done) counts as false. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  for (const start = Date.now(); !(await check().catch(() => false));) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `SELECT count(*) FROM {sql}` on the harness's ledger. */
export const count = async (harness: Harness, sql: string, params: unknown[] = []) =>
  (await harness.store.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params))[0]!.n;

/**
 * The set-up of a test file that runs the CLI: a fresh time-skipping server for each test (useServerPerTest) and a temporary folder for the file (the CLI's data folder, and the files a test writes); filled in
 * by the hooks, so read them inside tests.
 */
export function useCliTestEnv(prefix: string): { env: TestWorkflowEnvironment; dir: string } {
  const fx = {} as { env: TestWorkflowEnvironment; dir: string };
  beforeAll(() => {
    fx.dir = mkdtempSync(path.join(tmpdir(), prefix));
  });
  afterAll(() => {
    if (fx.dir) rmSync(fx.dir, { recursive: true, force: true });
  });
  useServerPerTest(fx);
  return fx;
}
