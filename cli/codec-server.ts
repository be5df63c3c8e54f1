// `jianguan codec-server` (`npm run codec-server`, the docker-compose `codec-server` service): the codec server alone,
// for a Web UI in front of a Temporal cluster. Logs pino JSON like the worker; SIGINT/SIGTERM stop it.
import { startConfiguredCodecServer } from '../codec/configured-server';
import { createLogger } from '../workers/logging';
import { settings } from './context';

export async function codecServer(): Promise<void> {
  const config = settings();
  const logger = createLogger(config.logLevel);
  const server = await startConfiguredCodecServer(config, (message) => logger.warn(message));
  logger.info(
    {
      url: server.url,
      listen: config.codec.address,
      keyId: server.keyId,
      origins: config.codec.origins,
      token: server.tokenFile ? `generated in ${server.tokenFile}` : 'JIANGUAN_CODEC_TOKEN',
    },
    'codec server listening',
  );
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  await server.close();
  logger.info('codec server stopped');
}
