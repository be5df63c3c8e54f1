// Sealing text for the ledger (a reporter's identity) under the payload codec's keys, so one key list protects
// Temporal's payloads and the ledger's personal data alike, and rotates the same way (new key first; the old ones still
// open what they sealed). Stored as the key id beside base64 of the sealed bytes (./aes-gcm.ts).
import { open, seal } from './aes-gcm';
import type { Keyring } from './keyring';

export interface Sealer {
  seal(plain: string): { keyId: string; sealed: string };
  open(keyId: string, sealed: string): string;
}

export function createSealer(keyring: Pick<Keyring, 'current' | 'byId'>): Sealer {
  return {
    seal(plain) {
      const { id, key } = keyring.current;
      return { keyId: id, sealed: seal(key, Buffer.from(plain, 'utf8')).toString('base64') };
    },
    open(keyId, sealed) {
      const key = keyring.byId.get(keyId);
      if (!key)
        throw new Error(`sealed under key "${keyId}", which this process does not have (keys: ${[...keyring.byId.keys()].join(', ')})`);
      const plain = open(key, Buffer.from(sealed, 'base64'));
      if (typeof plain === 'string')
        throw new Error(`sealed text under key "${keyId}" does not open (${plain}): altered, or sealed under another key of that id`);
      return plain.toString('utf8');
    },
  };
}
