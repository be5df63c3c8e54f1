// The embedded ledger served to the CLI (records/ledger-server.ts, cli/ledger.ts): the CLI reads and imports through
// it while the worker writes, without landing inside a worker transaction or the worker inside a CLI command; two CLI
// commands at once both answer; a client that dies mid-transaction leaves nothing behind and holds nothing up; with no
// worker the commands say so. And end to end: a worker process on the dev server serving its ledger to the CLI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLedger } from '../../cli/ledger';
import { riskImport } from '../../cli/risk';
import { DEFAULT_PLAN_FILE, loadPlan, loadRuntimeConfig, type RuntimeConfig } from '../../config';
import { openStore, type SqlStore } from '../../records';
import { startWorkerProcess, stopWorkers, type WorkerProcess } from '../faults/helpers';
import { startDevStack, type DevStack } from '../helpers/dev-stack';
import { freePort } from '../helpers/ports';

const root = path.resolve(__dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'jianguan-ledger-server-'));
let ledger: SqlStore;
let config: RuntimeConfig;
let institutions: string[];

beforeAll(async () => {
  const port = await freePort();
  ledger = await openStore({ dataDir: path.join(dir, 'records'), servePort: port });
  config = loadRuntimeConfig({ LEDGER_PORT: String(port) });
  institutions = (await loadPlan(DEFAULT_PLAN_FILE)).institutions.map((i) => i.id);
});

afterAll(async () => {
  await ledger?.close();
  rmSync(dir, { recursive: true, force: true });
});

const signal = (reference: string, institutionId: string) => ({
  jurisdiction: '349901',
  institutionId,
  kind: 'clue' as const,
  reference,
  date: '2027-03-01',
  note: '',
});
const countOf = async (db: SqlStore['db'], prefix: string) =>
  Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM risk_signal_items WHERE reference LIKE $1', [`${prefix}%`]))[0]!.n);

describe('the served embedded ledger', () => {
  it('answers the CLI while the worker writes: no read inside a worker transaction, no worker write inside a CLI command', async () => {
    let writes = 0;
    let writing = true;
    // The CLI, meanwhile: commands of several reads each, and one `risk import`.
    const seen: number[] = [];
    // The worker: transactions of two rows each, back to back (each its own event, as activities come from Temporal),
    // at least 400, and on until the CLI has read in between often enough (a loaded machine runs the CLI slower).
    const writer = (async () => {
      for (; writes < 400 || seen.length <= 10; writes++) {
        await new Promise((resolve) => setImmediate(resolve));
        await ledger.importRiskSignals([signal(`W-${writes}-A`, institutions[0]!), signal(`W-${writes}-B`, institutions[1]!)]);
      }
      writing = false;
    })();
    const file = path.join(dir, 'signals.csv');
    writeFileSync(
      file,
      `institutionId,kind,reference,date,note\n${institutions[2]},clue,CLI-1,2027-04-01,\n${institutions[3]},data-anomaly,CLI-2,2027-04-02,\n`,
    );
    let imported = '';
    while (writing) {
      const counts = await withLedger(config, async (store) =>
        Promise.all([countOf(store.db, 'W-'), countOf(store.db, 'W-'), store.listCases({ jurisdiction: '349901' })]),
      );
      seen.push(counts![0], counts![1]);
      // A CLI transaction that thinks it over and rolls back: a worker write let in meanwhile would be lost with it.
      await withLedger(config, (store) =>
        store.db.transaction(async (tx) => {
          await tx.query(
            "INSERT INTO risk_signal_items (jurisdiction, institution_id, kind, reference, signal_date, year, note) VALUES ('349901', $1, 'clue', $2, '2027-05-01', 2027, '')",
            [institutions[4], `UNDONE-${seen.length}`],
          );
          await new Promise((resolve) => setTimeout(resolve, 20));
          throw new Error('changed its mind');
        }),
      ).catch((error: Error) => expect(error.message).toBe('changed its mind'));
      if (!imported) imported = await riskImport(file, { plan: DEFAULT_PLAN_FILE }, config);
    }
    await writer;
    expect(imported).toBe("imported 2 risk signal(s) into the running worker's embedded ledger of 349901");
    // Every worker write kept (none went into a CLI transaction that was rolled back); each seen whole or not at all.
    expect(await countOf(ledger.db, 'W-')).toBe(2 * writes);
    expect(seen.filter((n) => n % 2 !== 0)).toEqual([]);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.length).toBeGreaterThan(10);
    expect(await countOf(ledger.db, 'CLI-')).toBe(2);
    expect(await countOf(ledger.db, 'UNDONE-')).toBe(0);
  });

  it('lets two CLI commands at once both answer (one waits for the other)', async () => {
    const read = () => withLedger(config, async (store) => countOf(store.db, 'CLI-'));
    expect(await Promise.all([read(), read(), read()])).toEqual([2, 2, 2]);
  });

  it('rolls back what a client that went away left open, and lets the worker go on', async () => {
    // The server takes one client: the last command's connection may still be on its way out.
    let client: pg.Client;
    for (let attempt = 1; ; attempt++) {
      client = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${config.ledgerPort}/postgres` });
      client.on('error', () => undefined);
      try {
        await client.connect();
        break;
      } catch (error) {
        if (attempt === 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    await client.query('BEGIN');
    await client.query(
      "INSERT INTO risk_signal_items (jurisdiction, institution_id, kind, reference, signal_date, year, note) VALUES ('349901', $1, 'clue', 'GONE-1', '2027-05-01', 2027, '')",
      [institutions[0]],
    );
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    // The worker's next statement waits for the roll-back, not for ever.
    const started = Date.now();
    expect(await countOf(ledger.db, 'GONE-')).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    await ledger.importRiskSignals([signal('AFTER-1', institutions[0]!)]);
    expect(await withLedger(config, (store) => countOf(store.db, 'AFTER-'))).toBe(1);
  });

  it('says no worker serves it when nothing listens', async () => {
    const nobody = loadRuntimeConfig({ LEDGER_PORT: String(await freePort()) });
    expect(await withLedger(nobody, async () => 'read')).toBeUndefined();
    const file = path.join(dir, 'signals.csv');
    await expect(riskImport(file, { plan: DEFAULT_PLAN_FILE }, nobody)).rejects.toThrow(
      new RegExp(`^nothing imported: no worker serves its embedded ledger on 127\\.0\\.0\\.1:${nobody.ledgerPort} \\(LEDGER_PORT`),
    );
  });
});

describe('a worker process with the embedded ledger, and the CLI as its own process', () => {
  let stack: DevStack;
  let worker: WorkerProcess | undefined;
  beforeAll(async () => {
    stack = await startDevStack({ worker: false });
    worker = await startWorkerProcess(stack, { DATABASE_URL: '' });
  }, 120_000);
  afterAll(async () => {
    if (worker) await stopWorkers([worker]);
    await stack?.stop();
  });

  const cli = (...args: string[]) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'cli/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, ...stack.env, DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { code: run.status, out: `${run.stdout}${run.stderr}` };
  };

  it('reads and imports through the ledger the worker serves', () => {
    expect(worker!.output()).toContain(`"served":"127.0.0.1:${stack.config.ledgerPort}"`);
    const file = path.join(dir, 'e2e.csv');
    writeFileSync(file, `institutionId,kind,reference,date,note\n${institutions[0]},clue,E2E-1,2027-04-01,\n`);
    expect(cli('risk', 'import', file)).toEqual({
      code: 0,
      out: "imported 1 risk signal(s) into the running worker's embedded ledger of 349901\n",
    });
    const list = cli('case', 'list');
    expect(list.code).toBe(0);
    expect(list.out).toContain('no cases in 清溪区 (349901)');
    expect(list.out).not.toContain('from Temporal visibility');
  }, 120_000);
});
