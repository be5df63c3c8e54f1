// The jianguan worker: the workflow bundle plus the activities over the record store and the mailer.
// Used by `npm run worker` (workers/main.ts) and in-process by `jianguan dev`.
import path from 'node:path';
import type { Connection } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { Logger } from 'pino';
import { createActivities } from '../activities';
import { createDataConverter } from '../codec/data-converter';
import type { EncryptionCodec } from '../codec/encryption-codec';
import { loadKeyring } from '../codec/keyring';
import { createSealer } from '../codec/sealer';
import type { OnLedgerMismatch } from '../activities/ledger-check';
import { createMailer } from '../activities/mailer';
import type { RuntimeConfig } from '../config';
import { openStore } from '../records';
import { connectClient } from './connect';
import { proveSharedLedger } from './ledger-identity';

export const WORKFLOWS_PATH = path.resolve(__dirname, '../workflows/index.ts');

/**
 * How the workflow bundle is built, for this worker and for anything else that bundles the workflows (tests, replay):
 * zod and luxon are preloaded once and shared by every cached workflow instead of being evaluated again in each one
 * (see ./workflow-preload.ts; about 0.75 MiB less heap per cached workflow). Pass it to `bundleWorkflowCode` too, so
 * that tests run the workflows the way the worker does.
 */
export const WORKFLOW_BUNDLER_OPTIONS = { preloadModules: [path.resolve(__dirname, 'workflow-preload.ts')] };

export interface RunningWorker {
  worker: Worker;
  /** Closes what the worker used (store, mail transport) after `worker.run()` has resolved. */
  close(): Promise<void>;
}

/** How long a stopping worker waits for activities that do not end on cancellation. */
const SHUTDOWN_FORCE_TIME = '30 seconds';

async function withClientConnection<T>(config: RuntimeConfig, fn: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await connectClient(config);
  try {
    return await fn(connection);
  } finally {
    await connection.close();
  }
}

/**
 * Which key encrypts, from where. A key generated in the data folder beside a shared ledger (DATABASE_URL) is most
 * likely a forgotten setting: workers on other machines would each make their own and could not read each other's
 * payloads (their workflow tasks fail, naming the key id, until the keys are shared).
 */
function logCodecKeys(config: RuntimeConfig, codec: EncryptionCodec, logger: Logger): void {
  logger.info({ keyId: codec.keyId, ...codec.keySource }, 'payload codec ready');
  if (codec.keySource.source === 'generated' && config.databaseUrl)
    logger.warn(
      { keyId: codec.keyId, file: codec.keySource.file },
      'payload key generated in the data folder while the ledger is shared: give every worker and the codec server the same JIANGUAN_CODEC_KEYS',
    );
}

export async function createWorker(config: RuntimeConfig, connection: NativeConnection, logger: Logger): Promise<RunningWorker> {
  // First: unusable keys stop the worker before it opens anything.
  const dataConverter = createDataConverter(config);
  logCodecKeys(config, dataConverter.payloadCodecs[0], logger);
  // The embedded ledger is this process's alone: it serves it to the CLI (records/ledger-server.ts).
  const embedded = !config.databaseUrl;
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: embedded ? path.join(config.dataDir, 'records') : undefined,
    servePort: embedded ? config.ledgerPort : undefined,
  });
  const ledgerId = await store.ledgerId();
  logger.info(
    { backend: store.backend, ledgerId, ...(embedded && { served: `127.0.0.1:${config.ledgerPort}` }) },
    'record store ready (migrations applied)',
  );
  await withClientConnection(config, (client) => proveSharedLedger(client, config, ledgerId, logger)).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  // The codec's keys also seal personal data in the ledger: reporters, and the persons a referral flags.
  const sealer = createSealer(loadKeyring(config.codec.keys));
  const sealedNow = await store.sealLegacyReferralPersons((clear) => sealer.seal(clear));
  if (sealedNow > 0) logger.info({ referrals: sealedNow }, 'flagged persons of referrals saved before 0011 sealed in the ledger');
  const smtp = config.mail.smtp;
  const mailer = createMailer({
    outboxDir: config.mail.outboxDir,
    from: config.mail.from,
    smtp: smtp && { host: smtp.host, port: smtp.port, secure: smtp.secure, user: smtp.auth?.user, pass: smtp.auth?.pass },
  });
  // A campaign activity found this worker on another ledger than its campaign's: it must take no more tasks.
  const onLedgerMismatch: OnLedgerMismatch = (detail) => {
    logger.error({ ...detail, taskQueue: config.temporal.taskQueue }, 'ledger mismatch');
    process.exitCode = 1;
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  const activities = createActivities({
    store,
    mailer,
    planFile: config.planFile,
    log: logger.child({ component: 'activities' }),
    sealer,
    onLedgerMismatch,
  });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowsPath: WORKFLOWS_PATH,
    bundlerOptions: WORKFLOW_BUNDLER_OPTIONS,
    // Encrypts what the workflows and activities send, and what their activity client sends (Context.current().client).
    dataConverter,
    activities,
    // A stop (Ctrl-C, SIGTERM) cancels running activities at once; one that ignores its cancellation is given up on
    // after this, so a stop always ends (its attempt is retried by the next worker: activities are idempotent).
    shutdownForceTime: SHUTDOWN_FORCE_TIME,
    ...config.worker,
  });
  return {
    worker,
    async close() {
      mailer.close();
      await store.close();
    },
  };
}
