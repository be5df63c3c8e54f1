// The embedded Temporal server for `jianguan dev`: the Temporal CLI's dev server with its Web UI and a persistent
// SQLite file under var/, so stopping and starting again resumes every open workflow. If something already
// answers on the configured address, it is used as it is; when that is the server an earlier `jianguan dev` on the
// same data folder started and could not stop (it was killed outright), this run takes it over and stops it at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { devServerSearchAttributeFlags } from '../workers/setup';

export interface DevServer {
  /** Whether this process started the server (and so stops it). */
  owned: boolean;
  /** The server's process id, when this process started it or took it over. */
  pid?: number;
  /** Taken over: an earlier run on the same data folder started it and was killed before it could stop it. */
  takenOver?: boolean;
  stop(): Promise<void>;
}

async function reachable(address: string): Promise<boolean> {
  try {
    const connection = await Connection.connect({ address, connectTimeout: 1_000 });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

/** How long a stopping server is given before it is killed (it needs a few seconds to close its SQLite file). */
const STOP_GRACE_MS = 15_000;

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Where the started server's process id is kept while it runs: `{dataDir}/temporal-server.pid`. */
const pidFile = (dataDir: string) => path.join(dataDir, 'temporal-server.pid');
const dbFile = (dataDir: string) => path.join(dataDir, 'temporal.db');

/**
 * The process id in the data folder's pid file, if that process is still a dev server on this folder's database
 * (checked in /proc, so a reused pid is never mistaken for it; without /proc nothing is taken over).
 */
function leftServer(dataDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile(dataDir), 'utf8').trim());
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.includes('start-dev') && args.includes(dbFile(dataDir)) ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops a server this process did not start (it is not our child, so its end is seen by polling). */
async function stopLeft(pid: number): Promise<void> {
  if (alive(pid)) process.kill(pid, 'SIGTERM');
  for (let waited = 0; alive(pid) && waited < STOP_GRACE_MS; waited += 200) await new Promise((resolve) => setTimeout(resolve, 200));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * The server this process owns: stopped by `stop()` (which forgets its pid file), and sent SIGTERM as the last thing
 * on any other exit of this process (a closed terminal pipe exits at once, cli/output.ts; an uncaught error), since
 * in its own process group it would outlive it.
 */
function owned(pid: number | undefined, dataDir: string, stop: () => Promise<void>, signal: () => void, takenOver?: true): DevServer {
  process.once('exit', signal);
  return {
    owned: true,
    pid,
    ...(takenOver && { takenOver }),
    stop: async () => {
      process.off('exit', signal);
      await stop();
      rmSync(pidFile(dataDir), { force: true });
    },
  };
}

/** The end of a log file, on one line (empty when it cannot be read). */
function logTail(file: string, chars = 600): string {
  try {
    return readFileSync(file, 'utf8').slice(-chars).replace(/\s+/g, ' ').trim();
  } catch {
    return '';
  }
}

export async function startDevServer(options: {
  cliPath: string;
  address: string;
  namespace: string;
  uiPort: number;
  dataDir: string;
  /** The codec server the Web UI decodes payloads through (`--ui-codec-endpoint`), as a browser reaches it. */
  codecEndpoint?: string;
}): Promise<DevServer> {
  if (await reachable(options.address)) {
    const pid = leftServer(options.dataDir);
    if (pid === undefined) return { owned: false, stop: async () => undefined };
    return owned(
      pid,
      options.dataDir,
      () => stopLeft(pid),
      () => alive(pid) && process.kill(pid, 'SIGTERM'),
      true,
    );
  }
  const [host, port] = options.address.split(':');
  mkdirSync(path.join(options.dataDir, 'logs'), { recursive: true });
  const log = openSync(path.join(options.dataDir, 'logs', 'temporal-server.log'), 'a');
  const args = [
    'server',
    'start-dev',
    '--ip',
    host,
    '--port',
    port,
    '--ui-port',
    String(options.uiPort),
    '--db-filename',
    dbFile(options.dataDir),
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
    ...(options.codecEndpoint ? ['--ui-codec-endpoint', options.codecEndpoint] : []),
    ...devServerSearchAttributeFlags(),
  ];
  // Its own process group: Ctrl-C reaches this process first, which stops the worker and then the server.
  const child = spawn(options.cliPath, args, { stdio: ['ignore', log, log], detached: true });
  // The pid file is for a later run, should this process be killed before it can stop the server (see leftServer).
  writeFileSync(pidFile(options.dataDir), `${child.pid}\n`);
  const server = owned(
    child.pid,
    options.dataDir,
    () => stopChild(child),
    () => child.kill('SIGTERM'),
  );
  const logFile = path.join(options.dataDir, 'logs', 'temporal-server.log');
  // Its last lines say why (a port taken meanwhile, a locked database file): shown with the error, since whoever
  // started it may remove the folder before anyone reads the file.
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the Temporal dev server exited (code ${code}): ${logTail(logFile)}; see ${logFile}`))),
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await Promise.race([reachable(options.address), exited]);
    if (up) break;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`the Temporal dev server did not answer on ${options.address} within 60 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  exited.catch(() => undefined);
  return server;
}
