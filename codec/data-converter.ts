// The one data converter of every Temporal client and worker of jianguan (workers/worker.ts, cli/context.ts,
// workers/ledger-identity.ts, the tests' dev stack): the default JSON payloads, encrypted by the payload codec under
// the keys the runtime settings name. Workers' activity clients (Context.current().client) inherit it from the worker.
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import type { RuntimeConfig } from '../config';
import { EncryptionCodec } from './encryption-codec';
import { keyringOf, loadKeyring } from './keyring';
import type { CodecKey } from '../config';

export type CodecDataConverter = DataConverter & { payloadCodecs: [EncryptionCodec]; failureConverterPath: string };

/** The failure converter module (./failure-converter.ts); a workflow bundle built apart from a worker names it too. */
export const FAILURE_CONVERTER_PATH = path.resolve(__dirname, 'failure-converter.ts');

function converterOf(codec: EncryptionCodec): CodecDataConverter {
  return { payloadCodecs: [codec], failureConverterPath: FAILURE_CONVERTER_PATH };
}

/** The payload codec of the configured keys (throws ConfigError naming the variable when they are unusable). */
export function createPayloadCodec(config: Pick<RuntimeConfig, 'codec'>): EncryptionCodec {
  return new EncryptionCodec(loadKeyring(config.codec.keys));
}

export function createDataConverter(config: Pick<RuntimeConfig, 'codec'>): CodecDataConverter {
  return converterOf(createPayloadCodec(config));
}

/** The same over given keys (tests, the replay check), the first one encrypting. */
export function dataConverterOfKeys(keys: CodecKey[]): CodecDataConverter {
  return converterOf(new EncryptionCodec(keyringOf(keys)));
}
