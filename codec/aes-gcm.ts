// AES-256-GCM as jianguan uses it everywhere (Temporal payloads, the ledger's sealed personal data):
// sealed = iv (12 bytes) ‖ ciphertext ‖ GCM tag (16 bytes), a fresh random iv each time.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function seal(key: Buffer, plaintext: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv);
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** The plaintext, or why not: 'short' (not sealed data at all) or 'unauthentic' (altered, or another key). */
export function open(key: Buffer, sealed: Buffer): Buffer | 'short' | 'unauthentic' {
  if (sealed.length < IV_BYTES + TAG_BYTES) return 'short';
  const decipher = createDecipheriv(CIPHER, key, sealed.subarray(0, IV_BYTES));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return 'unauthentic';
  }
}
