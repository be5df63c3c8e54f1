// A sealer for tests: one random key per test process, as a worker holds the codec's keys.
import { randomBytes } from 'node:crypto';
import { keyringOf } from '../../codec/keyring';
import { createSealer } from '../../codec/sealer';

export const TEST_SEALING_KEY = { id: 'test-key', key: randomBytes(32) };
export const testSealer = createSealer(keyringOf([TEST_SEALING_KEY]));
/** The same key as the CLI reads it (JIANGUAN_CODEC_KEYS), for CLI tests whose harness worker runs the codec. */
export const TEST_CODEC_KEYS = `${TEST_SEALING_KEY.id}:${TEST_SEALING_KEY.key.toString('base64')}`;
