// `jianguan dev` runs the dev server in its own process group (so Ctrl-C reaches the CLI first, which stops the worker
// and then the server). A Ctrl-C on `npm start` stops all of it, however often it reaches the CLI (the terminal
// signals the group and npm relays it); and a CLI that ends without its orderly stop (EPIPE on a closed pipe exits at
// once) still stops the server: none is left running on the port, where the next `npm start` would find a stray
// server holding the data. Only a CLI killed outright (SIGKILL) leaves its server running: the next run on the same
// data folder takes it over and stops it when it stops.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, describe, expect, it } from 'vitest';
import { startDevServer } from '../../cli/dev-server';
import { freePort } from '../helpers/ports';

const dir = mkdtempSync(path.join(tmpdir(), 'jianguan-dev-exit-'));
// The server may still be writing its last files as it goes: retry the removal a little.
afterAll(() => rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 }));

const root = path.resolve(__dirname, '../..');
const fixture = path.resolve(__dirname, '../fixtures/dev-server-then-exit.ts');

async function answers(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1_000 });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

/** Whether the server at `address` stops answering within 30 s (it shuts down on its signal within seconds). */
async function stopsAnswering(address: string): Promise<boolean> {
  for (let i = 0; i < 60; i++) {
    if (!(await answers(address))) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

/** Whether process `pid` ends within 30 s; if not, it is killed, so that a failing run leaves no server behind. */
async function ends(pid: number): Promise<boolean> {
  // An ended process nobody has reaped yet (a zombie, state Z) has ended too.
  const alive = () => {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 60; i++) {
    if (!alive()) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  process.kill(pid, 'SIGKILL');
  return false;
}

describe('the dev server started by jianguan dev', () => {
  it('stops when the CLI process exits without stopping it', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const uiPort = String(await freePort());
    const out = execFileSync(process.execPath, ['--import', 'tsx', fixture, process.env.TEMPORAL_CLI_PATH!, address, uiPort, dir, 'exit'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 90_000,
    });
    const pid = Number(out.trim());
    expect(pid).toBeGreaterThan(0);
    expect(await stopsAnswering(address)).toBe(true);
    expect(await ends(pid)).toBe(true);
  });

  it('is taken over by the next run on the same data folder when the run that started it was killed outright', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const uiPort = String(await freePort());
    const dataDir = path.join(dir, 'killed');
    // SIGKILL: no exit handler, the server is left running (in its own process group).
    const killed = spawnSync(
      process.execPath,
      ['--import', 'tsx', fixture, process.env.TEMPORAL_CLI_PATH!, address, uiPort, dataDir, 'kill'],
      { cwd: root, encoding: 'utf8', timeout: 90_000 },
    );
    expect(killed.signal).toBe('SIGKILL');
    const pid = Number(killed.stdout.trim());
    try {
      expect(pid).toBeGreaterThan(0);
      expect(await answers(address)).toBe(true);
      // Another server on the address, not started on this folder, is used but never stopped.
      expect(
        await startDevServer({
          cliPath: process.env.TEMPORAL_CLI_PATH!,
          address,
          namespace: 'default',
          uiPort: Number(uiPort),
          dataDir: path.join(dir, 'other'),
        }),
      ).toMatchObject({ owned: false });
      const next = await startDevServer({
        cliPath: process.env.TEMPORAL_CLI_PATH!,
        address,
        namespace: 'default',
        uiPort: Number(uiPort),
        dataDir,
      });
      expect(next).toMatchObject({ owned: true, takenOver: true, pid });
      await next.stop();
      expect(await ends(pid)).toBe(true);
      expect(existsSync(path.join(dataDir, 'temporal-server.pid'))).toBe(false);
    } finally {
      if (pid > 0) spawnSync('kill', ['-KILL', String(pid)]);
    }
  });

  it('stops worker and server on a Ctrl-C to `npm start`', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const env = {
      ...process.env,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_UI_PORT: String(await freePort()),
      JIANGUAN_DATA_DIR: path.join(dir, 'ctrl-c'),
      // `npm start` runs its codec server too: on a free port, not the default 8234.
      JIANGUAN_CODEC_ADDRESS: `127.0.0.1:${await freePort()}`,
      DATABASE_URL: '',
      SMTP_HOST: '',
    };
    // Its own process group, as a terminal's foreground job: Ctrl-C signals the whole group (npm and the CLI), and npm
    // relays it to the CLI as well. (Under `tsx cli/main.ts`, tsx's parent process killed the CLI with SIGKILL when
    // a loaded machine kept it from confirming the signal within 60 ms, and the server was left running.)
    const npm = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    npm.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    npm.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
    try {
      for (let i = 0; i < 240 && !out.includes('jianguan is running'); i++) await new Promise((resolve) => setTimeout(resolve, 500));
      expect(out).toContain('jianguan is running');
      process.kill(-npm.pid!, 'SIGINT');
      await exited;
      // npm itself reports the signal (exit 130) once its script has ended; what matters is how the script ended.
      expect(out).toContain('The Temporal dev server has stopped.');
      expect(await stopsAnswering(address)).toBe(true);
    } finally {
      // A failing run leaves nothing behind: the server (its own group) is found by its data folder.
      spawnSync('pkill', ['-KILL', '-f', env.JIANGUAN_DATA_DIR]);
      if (npm.exitCode === null && npm.signalCode === null) process.kill(-npm.pid!, 'SIGKILL');
    }
  }, 180_000);
});
