// The codec server of `npm start`: beside the dev server, on JIANGUAN_CODEC_ADDRESS, with the token generated in the
// data folder (or JIANGUAN_CODEC_TOKEN). The dev server's Web UI has no login, so it has no access token to pass:
// a browser is let in by opening the /session link once (a cookie), and the UI's "Include cross-origin credentials"
// setting makes it send that cookie. The banner says how.
import path from 'node:path';
import type { Logger } from 'pino';
import { loadCodecToken, startConfiguredCodecServer, type ConfiguredCodecServer } from '../codec/configured-server';
import type { RuntimeConfig } from '../config';

export interface DevCodecServer extends ConfiguredCodecServer {
  /** The endpoint as a browser reaches it (`localhost`, the name the banner gives the Web UI under). */
  endpoint: string;
  bannerLines(uiUrl: string): string[];
}

/** The cookie of /session is sent only between pages of one site: the UI and the endpoint must both be `localhost`. */
const forBrowser = (url: string) => url.replace('//127.0.0.1:', '//localhost:');

export async function startDevCodecServer(config: RuntimeConfig, logger: Logger): Promise<DevCodecServer> {
  const server = await startConfiguredCodecServer(config, (message) => logger.warn({ component: 'codec-server' }, message));
  const endpoint = forBrowser(server.url);
  logger.info({ url: server.url, keyId: server.keyId, origins: config.codec.origins }, 'codec server listening');
  const tokenShown = server.tokenFile ? loadCodecToken(config) : '<JIANGUAN_CODEC_TOKEN>';
  const tokenForShell = server.tokenFile ? `$(cat ${path.resolve(server.tokenFile)})` : '$JIANGUAN_CODEC_TOKEN';
  return {
    ...server,
    endpoint,
    bannerLines: (uiUrl) => [
      `  Codec server    ${endpoint}: payloads are encrypted in Temporal (key ${server.keyId}); the Web UI decrypts them through it`,
      `    in a browser  open ${endpoint}/session?token=${encodeURIComponent(tokenShown)} once, then in the Web UI (${uiUrl}, not 127.0.0.1)`,
      `                  "Configure Codec Server": use this browser's setting, endpoint ${endpoint}, "Include cross-origin credentials" on`,
      `    Temporal CLI  temporal workflow show -w <id> --codec-endpoint ${endpoint} --codec-auth "Bearer ${tokenForShell}"`,
    ],
  };
}
