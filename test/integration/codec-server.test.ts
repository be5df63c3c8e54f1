// The codec server over real HTTP (codec/server.ts): the Web UI's CORS preflight, the token, /decode and /encode per
// Temporal's codec-server protocol, the browser session cookie, and the bounded body.
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncryptionCodec } from '../../codec/encryption-codec';
import { keyringOf } from '../../codec/keyring';
import { payloadsFromJson, payloadsToJson, type PayloadsJson } from '../../codec/payload-json';
import { startCodecServer, type CodecServer } from '../../codec/server';

const UI = 'http://localhost:8233';
const TOKEN = randomBytes(32).toString('base64url');
const SECRET = { name: '张秘密', note: '约谈 张秘密（院长）' };
const codec = new EncryptionCodec(keyringOf([{ id: 'k2026', key: randomBytes(32) }]));
let server: CodecServer;

beforeAll(async () => {
  server = await startCodecServer({
    codec,
    token: TOKEN,
    origins: [UI, 'http://127.0.0.1:8233'],
    host: '127.0.0.1',
    port: 0,
    maxBodyBytes: 64 * 1024,
  });
});
afterAll(async () => {
  await server?.close();
});

const encrypted = async (value: unknown): Promise<Payload[]> => codec.encode([defaultPayloadConverter.toPayload(value)]);

/** A request as the Web UI sends it (its origin, the namespace header), with `headers` added. */
function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(server.url + path, {
    method: 'POST',
    headers: { Origin: UI, 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
const bearer = { Authorization: `Bearer ${TOKEN}` };

describe('codec server', () => {
  it("answers the Web UI's preflight with its origin, credentials and the headers it sends", async () => {
    const res = await fetch(`${server.url}/decode`, {
      method: 'OPTIONS',
      headers: {
        Origin: UI,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-namespace,authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = res.headers.get('access-control-allow-headers')!.toLowerCase();
    for (const header of ['content-type', 'x-namespace', 'authorization']) expect(allowed).toContain(header);
    expect(res.headers.get('vary')).toContain('Origin');
  });

  it('gives no CORS grant to another origin', async () => {
    const preflight = await fetch(`${server.url}/decode`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const res = await post(
      '/decode',
      { payloads: payloadsToJson(await encrypted(SECRET)).payloads },
      { ...bearer, Origin: 'http://evil.example' },
    );
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 401 without the token, or with a wrong one, and decrypts nothing', async () => {
    const body = payloadsToJson(await encrypted(SECRET));
    const attempts: Array<Record<string, string>> = [
      {},
      { Authorization: `Bearer ${TOKEN}x` },
      { Authorization: TOKEN },
      { Cookie: `jianguan_codec=${TOKEN.slice(1)}` },
    ];
    for (const headers of attempts) {
      const res = await post('/decode', body, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.headers.get('access-control-allow-origin')).toBe(UI); // so the UI sees the 401, not a CORS error
      expect(await res.text()).not.toContain(SECRET.name);
    }
  });

  it('decodes encrypted payloads for the token holder, and passes plain ones through', async () => {
    const plain = defaultPayloadConverter.toPayload('no personal data');
    const res = await post('/decode', payloadsToJson([...(await encrypted(SECRET)), plain]), bearer);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('access-control-allow-origin')).toBe(UI);
    const decoded = payloadsFromJson((await res.json()) as PayloadsJson);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([SECRET, 'no personal data']);
  });

  it('encodes for the UI (a workflow started or signalled from it) what it then decodes, also under a namespace path', async () => {
    const res = await post('/default/encode', payloadsToJson([defaultPayloadConverter.toPayload(SECRET)]), bearer);
    expect(res.status).toBe(200);
    const encoded = (await res.json()) as PayloadsJson;
    expect(JSON.stringify(encoded)).not.toContain(Buffer.from(JSON.stringify(SECRET)).toString('base64').slice(0, 12));
    expect(defaultPayloadConverter.fromPayload((await codec.decode(payloadsFromJson(encoded)))[0])).toEqual(SECRET);
  });

  it('lets a browser in through the /session link (a cookie the UI sends with "Include cross-origin credentials")', async () => {
    expect((await fetch(`${server.url}/session?token=wrong`)).status).toBe(401);
    const res = await fetch(`${server.url}/session?token=${encodeURIComponent(TOKEN)}`);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^jianguan_codec=[^;]+; HttpOnly; SameSite=Strict; Path=\/; Max-Age=\d+$/);
    const decoded = await post('/decode', payloadsToJson(await encrypted(SECRET)), { Cookie: cookie.split(';')[0] });
    expect(decoded.status).toBe(200);
  });

  it('keeps a token with cookie-special characters whole in the session cookie', async () => {
    const token = `a;b=c,d%e"${TOKEN}`;
    const other = await startCodecServer({ codec, token, origins: [UI], host: '127.0.0.1', port: 0 });
    try {
      const cookie = (await fetch(`${other.url}/session?token=${encodeURIComponent(token)}`)).headers.get('set-cookie')!.split(';')[0];
      const res = await fetch(`${other.url}/decode`, {
        method: 'POST',
        headers: { Cookie: cookie },
        body: JSON.stringify(payloadsToJson(await encrypted(SECRET))),
      });
      expect(res.status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('refuses a body over the limit with 413, before decrypting anything', async () => {
    const big = { payloads: [{ metadata: {}, data: Buffer.alloc(80 * 1024).toString('base64') }] };
    const res = await post('/decode', big, bearer);
    expect(res.status).toBe(413);
    expect(await res.text()).toMatch(/payload too large: at most 65536 bytes/);
    // The same without a Content-Length (chunked): it stops reading at the limit.
    const chunk = new TextEncoder().encode(JSON.stringify(big));
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const chunked = await fetch(`${server.url}/decode`, { method: 'POST', headers: bearer, body: stream, duplex: 'half' } as RequestInit);
    expect(chunked.status).toBe(413);
    // The server goes on serving.
    expect((await post('/decode', payloadsToJson(await encrypted(SECRET)), bearer)).status).toBe(200);
  });

  it('answers what it cannot read with a plain-text error naming the key id, never the data', async () => {
    const other = new EncryptionCodec(keyringOf([{ id: 'k-other', key: randomBytes(32) }]));
    const res = await post('/decode', payloadsToJson(await other.encode([defaultPayloadConverter.toPayload(SECRET)])), bearer);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('"k-other"');
    expect(text).not.toContain(SECRET.name);
    expect((await post('/decode', '{"payloads": [', bearer)).status).toBe(400);
    expect((await post('/decode', { payloads: [{ data: '***' }] }, bearer)).status).toBe(400);
    expect((await post('/nothing', {}, bearer)).status).toBe(404);
    expect((await fetch(`${server.url}/decode`, { headers: bearer })).status).toBe(405);
  });
});
