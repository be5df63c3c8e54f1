// A sealer for tests: one random key per test process, as a worker holds the codec's keys.
import { randomBytes } from 'node:crypto';
import { keyringOf } from '../../codec/keyring';
import { createSealer } from '../../codec/sealer';

export const TEST_SEALING_KEY = { id: 'test-key', key: randomBytes(32) };
export const testSealer = createSealer(keyringOf([TEST_SEALING_KEY]));
