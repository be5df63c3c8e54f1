// Logging: pino JSON lines for the app, and the Temporal runtime (SDK core and worker) routed into the same logger.
// Never log personal data: log keys, ids and stages, not names, addresses or message bodies.
import { DefaultLogger, makeTelemetryFilterString, Runtime, type LogLevel as TemporalLogLevel } from '@temporalio/worker';
import pino, { type Logger } from 'pino';
import type { LogLevel } from '../config';

export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { service: 'jianguan' } });
}

const TEMPORAL_LEVEL: Record<LogLevel, TemporalLogLevel> = {
  fatal: 'ERROR',
  error: 'ERROR',
  warn: 'WARN',
  info: 'INFO',
  debug: 'DEBUG',
  trace: 'TRACE',
  silent: 'ERROR',
};

/**
 * Installs the Temporal runtime with its logger writing to `logger`, and graceful shutdown on SIGINT/SIGTERM
 * (running workers finish their current tasks, then `worker.run()` resolves). Call once, before any worker.
 */
export function installRuntime(logger: Logger, level: LogLevel, metricsAddress?: string): void {
  const temporalLogger = logger.child({ component: 'temporal' });
  Runtime.install({
    logger: new DefaultLogger(TEMPORAL_LEVEL[level], ({ level: entryLevel, message, meta }) => {
      const method = entryLevel === 'TRACE' ? 'trace' : (entryLevel.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
      temporalLogger[method](meta ?? {}, message);
    }),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN' }) },
      // The SDK's own metrics (task latencies, failures, slots in use) for whoever watches the workers.
      ...(metricsAddress && { metrics: { prometheus: { bindAddress: metricsAddress } } }),
    },
    shutdownSignals: SHUTDOWN_SIGNALS,
  });
  keepStoppingOnRepeatedSignals(logger);
}

const SHUTDOWN_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/**
 * The runtime stops listening after the first signal, so a repeat would kill the process mid-drain by default,
 * leaving `jianguan dev`'s server running; and one Ctrl-C arrives several times, sometimes seconds apart on a loaded
 * machine (the terminal signals the whole group, and npm relays it). Our own listeners keep the process alive
 * for the shutdown under way, which is bounded (the worker's shutdownForceTime, workers/worker.ts); repeats are logged.
 */
function keepStoppingOnRepeatedSignals(logger: Logger): void {
  let received = 0;
  for (const signal of SHUTDOWN_SIGNALS) {
    process.on(signal, () => {
      if (++received === 2) logger.warn({ signal }, 'already stopping: the worker finishes its current tasks, then everything stops');
    });
  }
}
