// Worker process for servers (`npm run worker`, the docker-compose `worker` service): connects to the configured
// Temporal cluster and record store, runs until SIGINT/SIGTERM, then drains and closes cleanly.
import { holidayCalendarWarnings, loadPlan, loadRuntimeConfig } from '../config';
import { connectWorker } from './connect';
import { createLogger, installRuntime } from './logging';
import { createWorker } from './worker';

async function main(): Promise<void> {
  const config = loadRuntimeConfig();
  const logger = createLogger(config.logLevel);
  installRuntime(logger, config.logLevel, config.metricsAddress);
  const connection = await connectWorker(config).catch((error: Error) => {
    throw new Error(`cannot reach Temporal at ${config.temporal.address} (TEMPORAL_ADDRESS): ${error.message}`);
  });
  const { worker, close } = await createWorker(config, connection, logger);
  // For whoever sizes the workers: the cache in effect (the SDK's default follows the machine's memory) and the
  // limits set by WORKER_* (the others are the SDK's defaults: 40 workflow tasks, 100 activities, 100 local ones).
  const capacity = { maxCachedWorkflows: worker.options.maxCachedWorkflows, ...config.worker };
  logger.info(
    { address: config.temporal.address, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, capacity },
    'worker running',
  );
  for (const warning of holidayCalendarWarnings(await loadPlan(config.planFile), new Date()))
    logger.warn({ planFile: config.planFile }, warning);
  try {
    await worker.run();
  } finally {
    await close();
    await connection.close();
    logger.info('worker stopped');
  }
}

main().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
