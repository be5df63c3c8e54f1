// Runtime settings of the processes (CLI, workers): where Temporal, the database and the mail server are. They come
// from environment variables, so one build runs on a laptop (all defaults), in docker-compose and on servers.
//
// A blank variable (`FOO=`) counts as unset: docker-compose and .env files produce those for "not configured".
// Every problem is collected and reported at once, naming the variable, so an operator fixes a deployment in one go.
import path from 'node:path';
import type { WorkerOptions } from '@temporalio/worker';
import { z } from 'zod';
import { parseCodecKeys, type CodecKey } from './codec-keys';

/** The repository root (this file lives in `config/`). */
export const REPO_ROOT = path.resolve(__dirname, '..');
/** The sample jurisdiction plan, used when JIANGUAN_PLAN is not set. */
export const DEFAULT_PLAN_FILE = path.join(REPO_ROOT, 'config', 'plans', 'demo.yaml');

/** pino's levels. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface TemporalTlsConfig {
  /** CA certificate of the server, when it is not signed by a public CA. */
  caFile?: string;
  /** Client certificate for mTLS (e.g. Temporal Cloud); certificate and key always come together. */
  clientCertPair?: { certFile: string; keyFile: string };
}

export interface SmtpConfig {
  host: string;
  port: number;
  /** TLS from the first byte (smtps, usually port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  auth?: { user: string; pass: string };
}

/**
 * Where the payload codec's keys come from: JIANGUAN_CODEC_KEYS (parsed here), the file JIANGUAN_CODEC_KEYS_FILE (read
 * when a codec is made, codec/keyring.ts), or, when neither is set, a key file generated once in the data folder.
 */
export type CodecKeySource = { source: 'env'; keys: CodecKey[] } | { source: 'file'; file: string } | { source: 'generated'; file: string };

/** The codec server's bearer token: JIANGUAN_CODEC_TOKEN, or one generated once in the data folder. */
export type CodecTokenSource = { source: 'env'; token: string } | { source: 'generated'; file: string };

export interface CodecConfig {
  keys: CodecKeySource;
  token: CodecTokenSource;
  /** Where the codec server listens (`host:port`). */
  address: string;
  /** Origins (the Web UI's) allowed to call the codec server from a browser. */
  origins: string[];
}

export interface RuntimeConfig {
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    tls?: TemporalTlsConfig;
    /** Web UI port of the embedded dev server. */
    uiPort: number;
  };
  /** Local state: dev-server database, embedded PGlite, outbox. */
  dataDir: string;
  /** PostgreSQL instead of the embedded PGlite, when set. */
  databaseUrl?: string;
  /**
   * Without `databaseUrl`: the port on 127.0.0.1 where the worker that owns the embedded PGlite ledger serves it over
   * the PostgreSQL protocol, and where the CLI reads and writes it (records/ledger-server.ts).
   */
  ledgerPort: number;
  mail: {
    /** Where .eml files go when no SMTP server is configured. */
    outboxDir: string;
    smtp?: SmtpConfig;
    from: string;
  };
  logLevel: LogLevel;
  /** Absolute path of the jurisdiction plan (YAML). */
  planFile: string;
  /** Worker capacity (WORKER_*); what is not set keeps the Temporal SDK's default for the machine. */
  worker: WorkerTuning;
  /** Where the worker serves the Temporal SDK's metrics for Prometheus (`host:port`, path /metrics), when set. */
  metricsAddress?: string;
  /** The payload codec (encryption keys) and its codec server for the Web UI. */
  codec: CodecConfig;
}

/** The worker options an operator sizes to the machine (e.g. a province's workers, many open inspections each). */
const WORKER_OPTIONS = {
  WORKER_MAX_CACHED_WORKFLOWS: 'maxCachedWorkflows',
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: 'maxConcurrentWorkflowTaskExecutions',
  WORKER_MAX_CONCURRENT_ACTIVITIES: 'maxConcurrentActivityTaskExecutions',
  WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: 'maxConcurrentLocalActivityExecutions',
} as const satisfies Record<string, keyof WorkerOptions>;

const workerVariables = Object.keys(WORKER_OPTIONS) as Array<keyof typeof WORKER_OPTIONS>;

export type WorkerTuning = Partial<Record<(typeof WORKER_OPTIONS)[keyof typeof WORKER_OPTIONS], number>>;

export interface ConfigProblem {
  variable: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`Invalid runtime configuration (environment variables):\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// One schema per variable. Messages quote the bad value, except secrets.

/** Quotes a value for a message, hiding the password of a URL (it would end up in logs). */
function show(value: unknown): string {
  let text = String(value);
  try {
    const url = new URL(text);
    if (url.password) {
      url.password = '***';
      text = url.toString();
    }
  } catch {
    // not a URL: shown as is
  }
  return JSON.stringify(text);
}

const PORT_RANGE = 'an integer 1-65535';
const isPort = (s: string) => /^\d{1,5}$/.test(s) && Number(s) >= 1 && Number(s) <= 65535;

const port = z
  .string()
  .refine(isPort, { error: (iss) => `expected ${PORT_RANGE}, got ${show(iss.input)}` })
  .transform(Number);

const count = (min: number) =>
  z
    .string()
    .refine((s) => /^\d{1,7}$/.test(s) && Number(s) >= min, {
      error: (iss) => `expected a whole number of at least ${min}, got ${show(iss.input)}`,
    })
    .transform(Number);

const bool = z
  .string()
  .refine((s) => s === 'true' || s === 'false', { error: (iss) => `expected "true" or "false", got ${show(iss.input)}` })
  .transform((s) => s === 'true');

const name = (what: string) => z.string().regex(/^\S+$/, { error: (iss) => `expected ${what} without spaces, got ${show(iss.input)}` });

const hostPort = z.string().refine(
  (s) => {
    const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d+)$/.exec(s);
    return m !== null && isPort(m[2]!);
  },
  { error: (iss) => `expected host:port (e.g. 127.0.0.1:7233), got ${show(iss.input)}` },
);

const urlWithScheme = (schemes: string[]) =>
  z.string().refine(
    (s) => {
      try {
        const url = new URL(s);
        return schemes.includes(url.protocol.slice(0, -1)) && url.hostname !== '';
      } catch {
        return false;
      }
    },
    { error: (iss) => `expected a ${schemes.map((s) => `${s}://`).join(' or ')} URL, got ${show(iss.input)}` },
  );

// A browser origin: scheme, host and port only (what a browser sends in its Origin header).
const origins = z.string().transform((s, ctx) => {
  const list = s
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of list) {
    let ok = false;
    try {
      const url = new URL(origin);
      ok = (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin.replace(/\/$/, '');
    } catch {
      // reported below
    }
    if (!ok)
      ctx.addIssue({ code: 'custom', message: `expected origins like http://localhost:8233 (comma-separated), got ${show(origin)}` });
  }
  return list.map((o) => o.replace(/\/$/, ''));
});

// A secret: the message never quotes it.
const token = z.string().regex(/^[\x21-\x7e]{32,}$/, {
  error: 'expected at least 32 printable ASCII characters without spaces (e.g. `openssl rand -base64 32`); the value is not shown',
});

// An address, bare or as `Name <address>`; no dot required after @ because `jianguan@localhost` is the default.
const mailbox = z.string().regex(/^(?:[^<>]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/, {
  error: (iss) => `expected an e-mail address or "Name <address>", got ${show(iss.input)}`,
});

const envSchema = z.object({
  TEMPORAL_ADDRESS: hostPort.default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: name('a namespace').default('default'),
  TEMPORAL_TASK_QUEUE: name('a task queue name').default('jianguan'),
  TEMPORAL_TLS: bool.optional(),
  TEMPORAL_TLS_CERT: z.string().optional(),
  TEMPORAL_TLS_KEY: z.string().optional(),
  TEMPORAL_TLS_CA: z.string().optional(),
  TEMPORAL_UI_PORT: port.default(8233),
  JIANGUAN_DATA_DIR: z.string().default('var'),
  DATABASE_URL: urlWithScheme(['postgres', 'postgresql']).optional(),
  // Not PostgreSQL's 5432 (often taken by a local server), nor Temporal's 7233 and 8233.
  LEDGER_PORT: port.default(7432),
  JIANGUAN_OUTBOX_DIR: z.string().optional(),
  SMTP_URL: urlWithScheme(['smtp', 'smtps']).optional(),
  SMTP_HOST: name('a host name').optional(),
  SMTP_PORT: port.optional(),
  SMTP_USER: z.string().optional(),
  SMTP_PASS: z.string().optional(),
  SMTP_SECURE: bool.optional(),
  MAIL_FROM: mailbox.default('医保基金监管 <jianguan@localhost>'),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, {
      error: (iss) => `expected one of ${LOG_LEVELS.join(', ')}, got ${show(iss.input)}`,
    })
    .default('info'),
  // Worker capacity. The SDK requires at least 2 concurrent workflow tasks while workflows are cached.
  WORKER_MAX_CACHED_WORKFLOWS: count(0).optional(),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: count(2).optional(),
  WORKER_MAX_CONCURRENT_ACTIVITIES: count(1).optional(),
  WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: count(1).optional(),
  WORKER_METRICS_ADDRESS: hostPort.optional(),
  // The payload codec: keys (checked in codecProblems: the messages name key ids, never keys), the codec server.
  JIANGUAN_CODEC_KEYS: z.string().optional(),
  JIANGUAN_CODEC_KEYS_FILE: z.string().optional(),
  JIANGUAN_CODEC_TOKEN: token.optional(),
  JIANGUAN_CODEC_ADDRESS: hostPort.default('127.0.0.1:8234'),
  JIANGUAN_CODEC_ORIGINS: origins.optional(),
  // A relative path given by the operator is relative to the working directory, as with any command-line tool.
  JIANGUAN_PLAN: z
    .string()
    .transform((p) => path.resolve(p))
    .default(DEFAULT_PLAN_FILE),
});

type EnvName = keyof typeof envSchema.shape;
type CleanEnv = Partial<Record<EnvName, string>>;

/** Settings that are only valid in combination (checked on the raw strings, so they add to per-variable problems). */
function combinationProblems(env: CleanEnv): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const report = (variable: EnvName, message: string) => problems.push({ variable, message });
  const together = (a: EnvName, b: EnvName) => {
    if (env[a] !== undefined && env[b] === undefined) report(b, `required when ${a} is set`);
  };

  together('TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY');
  together('TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CERT');
  if (env.TEMPORAL_TLS === 'false') {
    for (const v of ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CA'] as const) {
      if (env[v] !== undefined) report(v, 'set, but TEMPORAL_TLS is "false"');
    }
  }

  const smtpParts = ['SMTP_HOST', 'SMTP_PORT', 'SMTP_USER', 'SMTP_PASS', 'SMTP_SECURE'] as const;
  if (env.SMTP_URL !== undefined) {
    for (const v of smtpParts) if (env[v] !== undefined) report(v, 'cannot be combined with SMTP_URL (put it in the URL)');
  } else {
    together('SMTP_HOST', 'SMTP_PORT');
    if (env.SMTP_HOST === undefined) {
      for (const v of smtpParts.slice(1)) if (env[v] !== undefined) report(v, 'set, but SMTP_HOST is not');
    }
    together('SMTP_USER', 'SMTP_PASS');
    together('SMTP_PASS', 'SMTP_USER');
  }
  if (env.JIANGUAN_CODEC_KEYS !== undefined) {
    if (env.JIANGUAN_CODEC_KEYS_FILE !== undefined)
      report('JIANGUAN_CODEC_KEYS_FILE', 'cannot be combined with JIANGUAN_CODEC_KEYS (give one of them)');
    for (const problem of parseCodecKeys(env.JIANGUAN_CODEC_KEYS).problems) report('JIANGUAN_CODEC_KEYS', problem);
  }
  return problems;
}

/** The generated files of a laptop (`npm start`): made once in the data folder, mode 0600 (codec/secret-file.ts). */
export const GENERATED_CODEC_KEYS_FILE = 'codec-keys';
export const GENERATED_CODEC_TOKEN_FILE = 'codec-token';

function codecConfig(e: z.output<typeof envSchema>): CodecConfig {
  const keys: CodecKeySource = e.JIANGUAN_CODEC_KEYS
    ? { source: 'env', keys: parseCodecKeys(e.JIANGUAN_CODEC_KEYS).keys }
    : e.JIANGUAN_CODEC_KEYS_FILE
      ? { source: 'file', file: e.JIANGUAN_CODEC_KEYS_FILE }
      : { source: 'generated', file: path.join(e.JIANGUAN_DATA_DIR, GENERATED_CODEC_KEYS_FILE) };
  return {
    keys,
    token: e.JIANGUAN_CODEC_TOKEN
      ? { source: 'env', token: e.JIANGUAN_CODEC_TOKEN }
      : { source: 'generated', file: path.join(e.JIANGUAN_DATA_DIR, GENERATED_CODEC_TOKEN_FILE) },
    address: e.JIANGUAN_CODEC_ADDRESS,
    // The Web UI of the dev server, under either name a person may type.
    origins: e.JIANGUAN_CODEC_ORIGINS ?? [`http://localhost:${e.TEMPORAL_UI_PORT}`, `http://127.0.0.1:${e.TEMPORAL_UI_PORT}`],
  };
}

function smtpFromUrl(raw: string): SmtpConfig {
  const url = new URL(raw);
  const secure = url.protocol === 'smtps:';
  const user = decodeURIComponent(url.username);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    ...(user ? { auth: { user, pass: decodeURIComponent(url.password) } } : {}),
  };
}

/** Reads the runtime settings from the environment. Throws ConfigError listing every problem. */
export function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const clean: CleanEnv = {};
  for (const key of Object.keys(envSchema.shape) as EnvName[]) {
    const value = env[key]?.trim();
    if (value) clean[key] = value;
  }

  const parsed = envSchema.safeParse(clean);
  const problems: ConfigProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ variable: String(issue.path[0]), message: issue.message }));
  problems.push(...combinationProblems(clean));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;

  // TLS is on when asked for, or when certificates are given and TEMPORAL_TLS is left unset.
  const tlsOn = e.TEMPORAL_TLS ?? (e.TEMPORAL_TLS_CERT !== undefined || e.TEMPORAL_TLS_CA !== undefined);
  const tls: TemporalTlsConfig | undefined = tlsOn
    ? {
        ...(e.TEMPORAL_TLS_CA ? { caFile: e.TEMPORAL_TLS_CA } : {}),
        ...(e.TEMPORAL_TLS_CERT && e.TEMPORAL_TLS_KEY
          ? { clientCertPair: { certFile: e.TEMPORAL_TLS_CERT, keyFile: e.TEMPORAL_TLS_KEY } }
          : {}),
      }
    : undefined;

  let smtp: SmtpConfig | undefined;
  if (e.SMTP_URL) smtp = smtpFromUrl(e.SMTP_URL);
  else if (e.SMTP_HOST && e.SMTP_PORT) {
    smtp = {
      host: e.SMTP_HOST,
      port: e.SMTP_PORT,
      secure: e.SMTP_SECURE ?? false,
      ...(e.SMTP_USER && e.SMTP_PASS ? { auth: { user: e.SMTP_USER, pass: e.SMTP_PASS } } : {}),
    };
  }

  return {
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      ...(tls ? { tls } : {}),
      uiPort: e.TEMPORAL_UI_PORT,
    },
    dataDir: e.JIANGUAN_DATA_DIR,
    ...(e.DATABASE_URL ? { databaseUrl: e.DATABASE_URL } : {}),
    ledgerPort: e.LEDGER_PORT,
    mail: {
      outboxDir: e.JIANGUAN_OUTBOX_DIR ?? `${e.JIANGUAN_DATA_DIR}/outbox`,
      ...(smtp ? { smtp } : {}),
      from: e.MAIL_FROM,
    },
    logLevel: e.LOG_LEVEL,
    planFile: e.JIANGUAN_PLAN,
    worker: Object.fromEntries(workerVariables.filter((v) => e[v] !== undefined).map((v) => [WORKER_OPTIONS[v], e[v]])),
    ...(e.WORKER_METRICS_ADDRESS ? { metricsAddress: e.WORKER_METRICS_ADDRESS } : {}),
    codec: codecConfig(e),
  };
}
