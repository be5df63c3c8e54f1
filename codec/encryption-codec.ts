// The payload codec: every payload a client or worker sends to Temporal is encrypted whole (its metadata too, so
// not even the encoding of a value shows) with AES-256-GCM under the keyring's current key. Temporal stores only
// `binary/encrypted` payloads naming their key id; whoever holds the key reads them (workers, clients, the codec server).
//
// data = iv (12 bytes) ‖ ciphertext ‖ GCM tag (16 bytes), the plaintext being the original Payload in protobuf.
// A payload without the encrypted encoding (a history recorded before the codec) decodes as it is.
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { open, seal } from './aes-gcm';
import type { Keyring } from './keyring';

export const ENCODING_ENCRYPTED = 'binary/encrypted';
export const METADATA_KEY_ID = 'encryption-key-id';

const ProtoPayload = temporal.api.common.v1.Payload;

/** A payload this process cannot decrypt. The message names the key id, never the payload's data. */
export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keyring: Keyring) {}

  /** The id new payloads are encrypted under. */
  get keyId(): string {
    return this.keyring.current.id;
  }

  /** Where the keys came from (JIANGUAN_CODEC_KEYS, its file, or the key file generated in the data folder). */
  get keySource(): { source: Keyring['source']; file?: string } {
    return { source: this.keyring.source, ...(this.keyring.file && { file: this.keyring.file }) };
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) =>
      text(payload.metadata?.[METADATA_ENCODING_KEY]) === ENCODING_ENCRYPTED ? this.decrypt(payload) : payload,
    );
  }

  private encrypt(payload: Payload): Payload {
    const { id, key } = this.keyring.current;
    const data = seal(key, ProtoPayload.encode(payload).finish());
    return {
      metadata: { [METADATA_ENCODING_KEY]: Buffer.from(ENCODING_ENCRYPTED), [METADATA_KEY_ID]: Buffer.from(id) },
      data,
    };
  }

  private decrypt(payload: Payload): Payload {
    const id = text(payload.metadata?.[METADATA_KEY_ID]);
    if (id === undefined) throw new PayloadDecryptionError(`an encrypted payload carries no ${METADATA_KEY_ID}`);
    const key = this.keyring.byId.get(id);
    if (!key)
      throw new PayloadDecryptionError(
        `a payload is encrypted under key id "${id}", which this process does not have (it has ${[...this.keyring.byId.keys()].join(', ')}): ` +
          'add that key to JIANGUAN_CODEC_KEYS (or the key file) after the current one',
      );
    const plaintext = open(key, Buffer.from(payload.data ?? []));
    if (plaintext === 'short') throw new PayloadDecryptionError(`a payload under key id "${id}" is too short to be encrypted data`);
    if (plaintext === 'unauthentic')
      throw new PayloadDecryptionError(
        `a payload under key id "${id}" fails authentication: it was altered, or the key with this id is not the one it was encrypted with`,
      );
    return ProtoPayload.decode(plaintext);
  }
}
