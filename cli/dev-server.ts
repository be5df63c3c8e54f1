// The embedded Temporal server for `jianguan dev`: the Temporal CLI's dev server with its Web UI and a persistent
// SQLite file under var/, so stopping and starting again resumes every open workflow. If something already
// answers on the configured address (a server left running, or the user's own), it is used as it is.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { devServerSearchAttributeFlags } from '../workers/setup';

export interface DevServer {
  /** Whether this process started the server (and so stops it). */
  owned: boolean;
  /** The server's process id, when this process started it. */
  pid?: number;
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

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startDevServer(options: { cliPath: string; address: string; namespace: string; uiPort: number; dataDir: string }): Promise<DevServer> {
  if (await reachable(options.address)) return { owned: false, stop: async () => undefined };
  const [host, port] = options.address.split(':');
  mkdirSync(path.join(options.dataDir, 'logs'), { recursive: true });
  const log = openSync(path.join(options.dataDir, 'logs', 'temporal-server.log'), 'a');
  const args = [
    'server', 'start-dev',
    '--ip', host,
    '--port', port,
    '--ui-port', String(options.uiPort),
    '--db-filename', path.join(options.dataDir, 'temporal.db'),
    '--namespace', options.namespace,
    '--log-level', 'warn',
    ...devServerSearchAttributeFlags(),
  ];
  // Its own process group: Ctrl-C reaches this process first, which stops the worker and then the server.
  const child = spawn(options.cliPath, args, { stdio: ['ignore', log, log], detached: true });
  // Being in its own group, the server would outlive this process if it ended without stop(): a closed terminal pipe
  // (EPIPE exits at once, cli/output.ts), an uncaught error. So the last thing on exit is a stop signal to it.
  const stopOnExit = () => child.kill('SIGTERM');
  process.once('exit', stopOnExit);
  child.once('exit', () => process.off('exit', stopOnExit));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`the Temporal dev server exited (code ${code}); see ${path.join(options.dataDir, 'logs', 'temporal-server.log')}`))),
  );
  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await Promise.race([reachable(options.address), exited]);
    if (up) break;
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`the Temporal dev server did not answer on ${options.address} within 60 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  exited.catch(() => undefined);
  return { owned: true, pid: child.pid, stop: () => stopChild(child) };
}
