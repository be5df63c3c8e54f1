// The payload codec (codec/): AES-256-GCM over whole payloads, key ids and rotation, pass-through of payloads recorded
// before it, and the key settings (JIANGUAN_CODEC_KEYS, its file, the generated key of a laptop).
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { afterEach, describe, expect, it } from 'vitest';
import { createPayloadCodec } from '../../codec/data-converter';
import { EncryptionCodec, PayloadDecryptionError } from '../../codec/encryption-codec';
import { keyringOf } from '../../codec/keyring';
import { ConfigError, loadRuntimeConfig, type CodecKey } from '../../config';

const PERSON = { name: '张秘密', email: 'zhang.mimi@example.org', role: '院长' };
const key = (id: string): CodecKey => ({ id, key: randomBytes(32) });
const codecOf = (...keys: CodecKey[]) => new EncryptionCodec(keyringOf(keys));
const plain = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);
const meta = (payload: Payload, name: string) => Buffer.from(payload.metadata?.[name] ?? []).toString();
const bytesOf = (payload: Payload) => Buffer.from(payload.data ?? []);
const valueOf = (payload: Payload) => defaultPayloadConverter.fromPayload(payload);

/** What the codec's errors were: never the payload's data, plain or encrypted. */
async function decodeError(codec: EncryptionCodec, payload: Payload): Promise<Error> {
  const error = await codec.decode([payload]).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(PayloadDecryptionError);
  expect(error!.message).not.toContain(PERSON.name);
  expect(error!.message).not.toContain(bytesOf(payload).toString('base64').slice(0, 16));
  return error!;
}

describe('EncryptionCodec', () => {
  it('encrypts the whole payload under the current key id and decodes it back to the original', async () => {
    const codec = codecOf(key('k1'));
    const original = plain(PERSON);
    const [encoded] = await codec.encode([original]);
    expect(meta(encoded, METADATA_ENCODING_KEY)).toBe('binary/encrypted');
    expect(meta(encoded, 'encryption-key-id')).toBe('k1');
    expect(Object.keys(encoded.metadata!).sort()).toEqual(['encoding', 'encryption-key-id']); // json/plain is hidden too
    expect(bytesOf(encoded).includes(Buffer.from(PERSON.name))).toBe(false);
    expect(bytesOf(encoded).includes(Buffer.from('json/plain'))).toBe(false);
    // iv (12) + ciphertext (the protobuf payload) + tag (16)
    expect(bytesOf(encoded).length).toBeGreaterThan(bytesOf(original).length + 28);
    const [decoded] = await codec.decode([encoded]);
    expect(valueOf(decoded)).toEqual(PERSON);
    expect(meta(decoded, METADATA_ENCODING_KEY)).toBe('json/plain');
  });

  it('uses a fresh iv for every payload', async () => {
    const codec = codecOf(key('k1'));
    const [a, b] = await codec.encode([plain(PERSON), plain(PERSON)]);
    expect(bytesOf(a).subarray(0, 12).equals(bytesOf(b).subarray(0, 12))).toBe(false);
    expect(bytesOf(a).equals(bytesOf(b))).toBe(false);
  });

  it('rotates: with a new key first, old payloads still decode and new ones use the new key', async () => {
    const k1 = key('k2025');
    const k2 = key('k2026');
    const [old] = await codecOf(k1).encode([plain(PERSON)]);
    const rotated = codecOf(k2, k1);
    expect(valueOf((await rotated.decode([old]))[0])).toEqual(PERSON);
    const [fresh] = await rotated.encode([plain(PERSON)]);
    expect(meta(fresh, 'encryption-key-id')).toBe('k2026');
    expect(valueOf((await rotated.decode([fresh]))[0])).toEqual(PERSON);
    // A process still on the old keys cannot read the new payloads, and says which key it lacks.
    expect((await decodeError(codecOf(k1), fresh)).message).toMatch(/key id "k2026", which this process does not have \(it has k2025\)/);
  });

  it('names the key id it does not have', async () => {
    const [encoded] = await codecOf(key('k-lost')).encode([plain(PERSON)]);
    const error = await decodeError(codecOf(key('k1')), encoded);
    expect(error.message).toContain('"k-lost"');
    expect(error.message).toContain('JIANGUAN_CODEC_KEYS');
  });

  it('refuses a tampered payload (ciphertext, tag or iv) and one from another key under the same id', async () => {
    const k1 = key('k1');
    const codec = codecOf(k1);
    const [encoded] = await codec.encode([plain(PERSON)]);
    const data = bytesOf(encoded);
    for (const at of [0, 12, Math.floor(data.length / 2), data.length - 1]) {
      const altered = Buffer.from(data);
      altered[at] ^= 0x01;
      expect((await decodeError(codec, { ...encoded, data: altered })).message).toMatch(/key id "k1" fails authentication/);
    }
    expect((await decodeError(codecOf(key('k1')), encoded)).message).toMatch(/fails authentication/);
    expect((await decodeError(codec, { ...encoded, data: data.subarray(0, 20) })).message).toMatch(/too short/);
  });

  it('refuses an encrypted payload without a key id', async () => {
    const codec = codecOf(key('k1'));
    const [encoded] = await codec.encode([plain(PERSON)]);
    const metadata = { ...encoded.metadata };
    delete metadata['encryption-key-id'];
    expect((await decodeError(codec, { ...encoded, metadata })).message).toMatch(/carries no encryption-key-id/);
  });

  it('passes payloads without the encrypted encoding through unchanged (histories from before the codec)', async () => {
    const codec = codecOf(key('k1'));
    const payloads = [plain(PERSON), plain(null), plain(new Uint8Array([1, 2, 3])), { metadata: {}, data: Buffer.from('x') }, {}];
    const decoded = await codec.decode(payloads);
    decoded.forEach((payload, i) => expect(payload).toBe(payloads[i]));
  });
});

describe('codec key settings', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'jianguan-codec-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const b64 = (bytes: number) => randomBytes(bytes).toString('base64');
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadRuntimeConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as ConfigError).problems;
    }
    throw new Error('expected a ConfigError');
  };

  it('reads JIANGUAN_CODEC_KEYS: the first key encrypts, the others decrypt', () => {
    const [a, b] = [b64(32), b64(32)];
    const config = loadRuntimeConfig({ JIANGUAN_CODEC_KEYS: ` k2026:${a}, k2025:${b} ` });
    expect(config.codec.keys).toEqual({
      source: 'env',
      keys: [
        { id: 'k2026', key: Buffer.from(a, 'base64') },
        { id: 'k2025', key: Buffer.from(b, 'base64') },
      ],
    });
    expect(createPayloadCodec(config).keyId).toBe('k2026');
  });

  it('names the variable and the key id of a bad key, never the key', () => {
    const short = b64(16);
    const problems = problemsOf({ JIANGUAN_CODEC_KEYS: `good:${b64(32)},short:${short},nokey,bad id:${b64(32)},good:${b64(32)},b64:!!!` });
    expect(problems.map((p) => p.variable)).toEqual(Array(5).fill('JIANGUAN_CODEC_KEYS'));
    const text = problems.map((p) => p.message).join('\n');
    expect(text).toContain('key "short": expected 32 bytes in base64');
    expect(text).toContain('got 16 bytes');
    expect(text).toContain('key #3: expected "id:base64key"');
    expect(text).toContain('key #4: key id "bad id" is not');
    expect(text).toContain('key #5: key id "good" is given twice');
    expect(text).toContain('key "b64": expected 32 bytes in base64 (e.g. `openssl rand -base64 32`), got no valid base64');
    expect(text).not.toContain(short);
  });

  it('takes keys from the environment or a file, not both; checks the token and the origins', () => {
    const problems = problemsOf({
      JIANGUAN_CODEC_KEYS: `k1:${b64(32)}`,
      JIANGUAN_CODEC_KEYS_FILE: '/etc/jianguan/keys',
      JIANGUAN_CODEC_TOKEN: 'too-short-secret',
      JIANGUAN_CODEC_ORIGINS: 'http://localhost:8080, localhost:8080/ui',
      JIANGUAN_CODEC_ADDRESS: '8234',
    });
    expect(problems.map((p) => p.variable).sort()).toEqual([
      'JIANGUAN_CODEC_ADDRESS',
      'JIANGUAN_CODEC_KEYS_FILE',
      'JIANGUAN_CODEC_ORIGINS',
      'JIANGUAN_CODEC_TOKEN',
    ]);
    expect(JSON.stringify(problems)).not.toContain('too-short-secret');
    const config = loadRuntimeConfig({
      JIANGUAN_CODEC_TOKEN: 'a'.repeat(40),
      JIANGUAN_CODEC_ORIGINS: 'https://temporal-ui.example.org/,http://localhost:8080',
    });
    expect(config.codec.token).toEqual({ source: 'env', token: 'a'.repeat(40) });
    expect(config.codec.origins).toEqual(['https://temporal-ui.example.org', 'http://localhost:8080']);
  });

  it('reads a key file (one key a line, comments allowed) and refuses one open to group or others', () => {
    const file = path.join(tempDir(), 'keys');
    writeFileSync(file, `# rotated 2026-01-01, k2025 kept for older histories\nk2026:${b64(32)}\n\nk2025:${b64(32)}\n`, { mode: 0o600 });
    const config = loadRuntimeConfig({ JIANGUAN_CODEC_KEYS_FILE: file });
    expect(config.codec.keys).toEqual({ source: 'file', file });
    expect(createPayloadCodec(config).keyId).toBe('k2026');
    chmodSync(file, 0o640);
    expect(() => createPayloadCodec(config)).toThrow(/JIANGUAN_CODEC_KEYS_FILE: .*open to group or others \(mode 640\).*chmod 600/);
  });

  it('names the key file variable and the key id of a bad key in the file', () => {
    const file = path.join(tempDir(), 'keys');
    writeFileSync(file, `k2026:${b64(31)}\n`, { mode: 0o600 });
    expect(() => createPayloadCodec(loadRuntimeConfig({ JIANGUAN_CODEC_KEYS_FILE: file }))).toThrow(
      /JIANGUAN_CODEC_KEYS_FILE: .*keys: key "k2026": expected 32 bytes in base64.*got 31 bytes/,
    );
    expect(() => createPayloadCodec(loadRuntimeConfig({ JIANGUAN_CODEC_KEYS_FILE: path.join(file, 'missing') }))).toThrow(
      /JIANGUAN_CODEC_KEYS_FILE: cannot read .*ENOTDIR/,
    );
  });

  it('generates a key file once in the data folder (mode 0600) and reuses it', async () => {
    const dataDir = path.join(tempDir(), 'var');
    const config = loadRuntimeConfig({ JIANGUAN_DATA_DIR: dataDir });
    const first = createPayloadCodec(config);
    const file = path.join(dataDir, 'codec-keys');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.keySource).toEqual({ source: 'generated', file });
    const text = readFileSync(file, 'utf8');
    const [encoded] = await first.encode([plain(PERSON)]);
    // Another process on the same data folder: the same key.
    const second = createPayloadCodec(loadRuntimeConfig({ JIANGUAN_DATA_DIR: dataDir }));
    expect(second.keyId).toBe(first.keyId);
    expect(valueOf((await second.decode([encoded]))[0])).toEqual(PERSON);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});
