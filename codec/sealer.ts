// Sealing text for the ledger (a reporter's identity): AES-256-GCM under the payload codec's keys, so one key list
// protects Temporal's payloads and the ledger's personal data alike, and rotates the same way (new key first; the old
// ones still open what they sealed). The sealed form is base64 of nonce ‖ ciphertext ‖ tag, stored with the key id.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface SealingKey {
  id: string;
  key: Buffer;
}

export interface Sealer {
  seal(plain: string): { keyId: string; sealed: string };
  open(keyId: string, sealed: string): string;
}

/** A sealer over `keys`: the first seals, every one opens what it sealed. */
export function createSealer(keys: readonly SealingKey[]): Sealer {
  if (keys.length === 0) throw new Error('sealing needs at least one key');
  const [current] = keys;
  return {
    seal(plain) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv(ALGORITHM, current!.key, nonce);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return { keyId: current!.id, sealed: Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64') };
    },
    open(keyId, sealed) {
      const key = keys.find((k) => k.id === keyId);
      if (!key) throw new Error(`sealed under key "${keyId}", which this process does not have (keys: ${keys.map((k) => k.id).join(', ')})`);
      const bytes = Buffer.from(sealed, 'base64');
      if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new Error(`sealed text under key "${keyId}" is too short to be sealed`);
      const decipher = createDecipheriv(ALGORITHM, key.key, bytes.subarray(0, NONCE_BYTES));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new Error(`sealed text under key "${keyId}" does not open: altered, or sealed under another key of that id`);
      }
    },
  };
}
