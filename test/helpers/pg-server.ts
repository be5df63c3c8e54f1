// A PostgreSQL server of the test's own, which the test may stop and start again (an outage): Debian's server
// binaries on a free port, with a fresh data folder under the system's temporary folder, trust auth. As root (CI)
// the binaries run as the `postgres` user, since PostgreSQL refuses to run as root; that user owns the folder.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports';

export interface PgServer {
  port: number;
  /** `postgres://postgres@127.0.0.1:{port}/postgres`: the server is the test's, so its default database will do. */
  url: string;
  /** Fast shutdown: open connections are terminated (pooled clients see 57P01). */
  stop(): Promise<void>;
  /** Starts it again on the same folder and port. */
  start(): Promise<void>;
  /** Stops it (if running) and deletes its folder. */
  destroy(): Promise<void>;
}

const DEBIAN_POSTGRES = '/usr/lib/postgresql';

/** The bin folder of the newest PostgreSQL installed under /usr/lib/postgresql/<version>/bin. */
function binDir(): string {
  const versions = existsSync(DEBIAN_POSTGRES)
    ? readdirSync(DEBIAN_POSTGRES).filter((v) => existsSync(path.join(DEBIAN_POSTGRES, v, 'bin', 'pg_ctl')))
    : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`no PostgreSQL server binaries in ${DEBIAN_POSTGRES}/<version>/bin (apt-get install postgresql)`);
  return path.join(DEBIAN_POSTGRES, newest, 'bin');
}

const asRoot = process.getuid?.() === 0;

/** How to run one of the server binaries: as `postgres` when we are root. */
function invocation(bin: string, command: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args]] : [path.join(bin, command), args];
}

/** Runs one of the server binaries in `cwd` (a folder `postgres` may enter); fails with its output. */
async function run(bin: string, command: string, args: string[], cwd: string): Promise<void> {
  try {
    await promisify(execFile)(...invocation(bin, command, args), { cwd, encoding: 'utf8' });
  } catch (error) {
    const { stdout = '', stderr = '', message } = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} failed: ${message}\n${stdout}${stderr}`);
  }
}

/** The uid or gid (`flag` -u / -g) of the `postgres` user. */
const postgresId = (flag: '-u' | '-g') => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));

export async function startPgServer(): Promise<PgServer> {
  const bin = binDir();
  const base = mkdtempSync(path.join(tmpdir(), 'jianguan-pg-'));
  if (asRoot) chownSync(base, postgresId('-u'), postgresId('-g'));
  const data = path.join(base, 'data');
  const port = await freePort();
  // The socket in the folder too (not the system cluster's); no fsync: the data only has to outlive a restart.
  const options = `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c fsync=off`;
  let up = false;
  const start = async () => {
    up = true; // from here on, whatever pg_ctl answers, a server may be running
    await run(bin, 'pg_ctl', ['-D', data, '-l', path.join(base, 'server.log'), '-o', options, '-w', '-t', '60', 'start'], base);
  };
  const stop = async () => {
    await run(bin, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop'], base);
    up = false;
  };
  // pg_ctl leaves the server running on its own: should the test process end without destroy(), take it down too.
  const onExit = () => {
    if (up) spawnSync(...invocation(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', 'stop']), { cwd: base });
  };
  process.once('exit', onExit);
  const destroy = async () => {
    process.off('exit', onExit);
    try {
      if (up) await stop();
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  };
  try {
    await run(bin, 'initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'], base);
    await start();
  } catch (error) {
    // The start's own error says what went wrong; a failing stop of a server that never came up would only hide it.
    await destroy().catch(() => undefined);
    throw error;
  }
  return { port, url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop, start, destroy };
}
