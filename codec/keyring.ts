// The keys of this process's payload codec, from the runtime settings: JIANGUAN_CODEC_KEYS, the file
// JIANGUAN_CODEC_KEYS_FILE, or (a laptop, `npm start`) a key generated once in the data folder and reused after.
import { randomBytes } from 'node:crypto';
import { CODEC_KEY_BYTES, ConfigError, parseCodecKeys, type CodecKey, type CodecKeySource } from '../config';
import { readOrCreatePrivateFile, readPrivateFile } from './secret-file';

export interface Keyring {
  /** Encrypts new payloads. */
  current: CodecKey;
  /** Every key that decrypts, by id (the current one included). */
  byId: ReadonlyMap<string, Buffer>;
  /** Where the keys came from, for logs and the `npm start` banner. */
  source: CodecKeySource['source'];
  /** The key file, unless the keys came from JIANGUAN_CODEC_KEYS. */
  file?: string;
}

export function keyringOf(keys: CodecKey[], source: CodecKeySource['source'] = 'env', file?: string): Keyring {
  if (keys.length === 0) throw new Error('a keyring needs at least one key');
  return { current: keys[0], byId: new Map(keys.map((k) => [k.id, k.key])), source, ...(file && { file }) };
}

/** A new key file's text: one key, its id the day it was made (a later key gets another id, and goes first). */
function generatedKeyFile(): string {
  const id = `local-${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`;
  return (
    '# jianguan payload keys (generated for this data folder): id:base64, the key for new payloads first.\n' +
    '# Keep every key while Temporal still holds payloads encrypted under it; losing it loses those payloads.\n' +
    `${id}:${randomBytes(CODEC_KEY_BYTES).toString('base64')}\n`
  );
}

function fromFile(text: string, variable: string, file: string, source: CodecKeySource['source']): Keyring {
  const { keys, problems } = parseCodecKeys(text);
  if (problems.length > 0) throw new ConfigError(problems.map((message) => ({ variable, message: `${file}: ${message}` })));
  return keyringOf(keys, source, file);
}

export function loadKeyring(keys: CodecKeySource): Keyring {
  switch (keys.source) {
    case 'env':
      return keyringOf(keys.keys);
    case 'file':
      return fromFile(readPrivateFile(keys.file, 'JIANGUAN_CODEC_KEYS_FILE'), 'JIANGUAN_CODEC_KEYS_FILE', keys.file, 'file');
    case 'generated': {
      // Named after the variable that would replace it, so a message tells the operator what to set.
      const variable = 'JIANGUAN_CODEC_KEYS (unset: the generated key file)';
      return fromFile(readOrCreatePrivateFile(keys.file, variable, generatedKeyFile), variable, keys.file, 'generated');
    }
  }
}
