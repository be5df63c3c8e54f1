// The codec server as the runtime settings describe it (JIANGUAN_CODEC_*): used by `jianguan codec-server` (the
// docker-compose service) and by `npm start`, beside the dev server whose Web UI it serves.
import { randomBytes } from 'node:crypto';
import { ConfigError, type RuntimeConfig } from '../config';
import { createPayloadCodec } from './data-converter';
import { readOrCreatePrivateFile } from './secret-file';
import { startCodecServer, type CodecServer } from './server';

/** JIANGUAN_CODEC_TOKEN, or the token generated once in the data folder (a laptop). */
export function loadCodecToken(config: Pick<RuntimeConfig, 'codec'>): string {
  const token = config.codec.token;
  if (token.source === 'env') return token.token;
  const variable = 'JIANGUAN_CODEC_TOKEN (unset: the generated token file)';
  const text = readOrCreatePrivateFile(token.file, variable, () => randomBytes(32).toString('base64url')).trim();
  // An emptied or shortened file must not open the server to a guessable token.
  if (!/^[\x21-\x7e]{32,}$/.test(text))
    throw new ConfigError([
      { variable, message: `${token.file}: expected at least 32 printable characters; delete the file to generate a new token` },
    ]);
  return text;
}

export interface ConfiguredCodecServer extends CodecServer {
  keyId: string;
  /** Where the token is kept, when it was generated (for the banner: never print the token itself in logs). */
  tokenFile?: string;
}

export async function startConfiguredCodecServer(
  config: Pick<RuntimeConfig, 'codec'>,
  onError: (message: string) => void,
): Promise<ConfiguredCodecServer> {
  const codec = createPayloadCodec(config);
  const token = loadCodecToken(config);
  const { address, origins } = config.codec;
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const server = await startCodecServer({ codec, token, origins, host, port: Number(address.slice(colon + 1)), onError }).catch(
    (error: NodeJS.ErrnoException) => {
      throw new Error(`the codec server cannot listen on ${address} (JIANGUAN_CODEC_ADDRESS): ${error.code ?? error.message}`);
    },
  );
  return { ...server, keyId: codec.keyId, ...(config.codec.token.source === 'generated' && { tokenFile: config.codec.token.file }) };
}
