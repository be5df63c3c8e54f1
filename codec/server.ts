// The codec server: the Temporal Web UI (and `temporal … --codec-endpoint`) sends it the encrypted payloads it
// shows, and gets them back decrypted (POST /decode), or has values it is about to send encrypted (POST /encode), per
// Temporal's codec-server protocol. Only a caller with the token reads anything:
//  - `Authorization: Bearer <token>`: the Temporal CLI (`--codec-auth`), scripts, a proxy in front of the server;
//  - the cookie set by `GET /session?token=<token>` in a browser, for a Web UI that cannot send a header of ours
//    (the dev server's UI has no login, so it has no access token to pass): its "Include cross-origin credentials"
//    setting makes it send the cookie.
// Browsers may call it only from the configured origins (the Web UI's), and the bodies it reads are bounded.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PayloadCodec } from '@temporalio/common';
import { payloadsBody, payloadsFromJson, payloadsToJson } from './payload-json';

/** Far above what the Web UI sends at once (the payloads of one event or one list page), far below a memory problem. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
const COOKIE = 'jianguan_codec';
/** A browser session lasts a working day; then the /session link is opened again. */
const COOKIE_MAX_AGE_SECONDS = 12 * 3600;

export interface CodecServerOptions {
  codec: PayloadCodec;
  token: string;
  /** Browser origins allowed to call (exact match, e.g. `http://localhost:8233`). */
  origins: readonly string[];
  host: string;
  /** 0: any free port. */
  port: number;
  maxBodyBytes?: number;
  /** Where failures are reported (their messages name key ids, never data). */
  onError?: (message: string) => void;
}

export interface CodecServer {
  /** `http://host:port`, the endpoint to give the Web UI. */
  url: string;
  close(): Promise<void>;
}

type Route = 'encode' | 'decode';
const ROUTE = /^\/+(?:[^/]+\/+)?(encode|decode)\/?$/; // also under a namespace segment, as the CLI's templating sends

function reply(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  // Errors are plain text: the Web UI parses any JSON answer as payloads, and shows the payloads undecoded otherwise.
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers }).end(body);
}

function corsHeaders(req: IncomingMessage, origins: readonly string[]): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin || !origins.includes(origin)) return { Vary: 'Origin' };
  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': 'true', Vary: 'Origin' };
}

function preflight(req: IncomingMessage, res: ServerResponse, cors: Record<string, string>): void {
  if (!cors['Access-Control-Allow-Origin']) return reply(res, 403, `origin ${JSON.stringify(req.headers.origin ?? '')} is not allowed\n`);
  res
    .writeHead(204, {
      ...cors,
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, X-Namespace',
      'Access-Control-Max-Age': '600',
    })
    .end();
}

const digest = (text: string) => createHash('sha256').update(text).digest();

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key !== name) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The token from the Authorization header or the session cookie, compared in constant time. */
function authorized(req: IncomingMessage, expected: Buffer): boolean {
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  return [bearer, cookie(req, COOKIE)].some((given) => given !== undefined && timingSafeEqual(digest(given), expected));
}

/** The body, or `undefined` once it passes `limit` (then the request is answered 413 and its connection closed). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function convert(route: Route, body: Buffer, codec: PayloadCodec): Promise<{ status: number; body: string }> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return { status: 400, body: 'the body is not JSON\n' };
  }
  const parsed = payloadsBody.safeParse(json);
  if (!parsed.success)
    return { status: 400, body: `expected {"payloads":[{"metadata":{…},"data":"base64"}]}: ${parsed.error.issues[0]?.message}\n` };
  const payloads = payloadsFromJson(parsed.data);
  const converted = route === 'encode' ? await codec.encode(payloads) : await codec.decode(payloads);
  return { status: 200, body: JSON.stringify(payloadsToJson(converted)) };
}

function session(req: IncomingMessage, res: ServerResponse, url: URL, expected: Buffer): void {
  const token = url.searchParams.get('token') ?? '';
  const self = `http://${req.headers.host ?? 'localhost'}`; // the server as this browser reaches it
  if (!timingSafeEqual(digest(token), expected)) return reply(res, 401, 'wrong or missing token\n');
  reply(
    res,
    200,
    'This browser may now read decrypted payloads (for 12 hours). In the Temporal Web UI, open the Codec Server settings, ' +
      `use this browser's setting with the endpoint ${self} and turn on "Include cross-origin credentials".\n`,
    { 'Set-Cookie': `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${COOKIE_MAX_AGE_SECONDS}` },
  );
}

async function handle(req: IncomingMessage, res: ServerResponse, options: CodecServerOptions, expected: Buffer): Promise<void> {
  const cors = corsHeaders(req, options.origins);
  const url = new URL(req.url ?? '/', 'http://codec.invalid');
  if (req.method === 'OPTIONS') return preflight(req, res, cors);
  if (url.pathname === '/session' && req.method === 'GET') return session(req, res, url, expected);
  const route = ROUTE.exec(url.pathname)?.[1] as Route | undefined;
  if (!route) return reply(res, 404, 'not found: POST /encode or /decode\n', cors);
  if (req.method !== 'POST') return reply(res, 405, 'method not allowed: POST\n', { ...cors, Allow: 'POST, OPTIONS' });
  if (!authorized(req, expected))
    return reply(res, 401, 'unauthorized: a codec token is required\n', { ...cors, 'WWW-Authenticate': 'Bearer' });
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const body = await readBody(req, limit);
  if (!body) return reply(res, 413, `payload too large: at most ${limit} bytes per request\n`, { ...cors, Connection: 'close' });
  try {
    const result = await convert(route, body, options.codec);
    if (result.status !== 200) return reply(res, result.status, result.body, cors);
    res.writeHead(200, { ...cors, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(result.body);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    options.onError?.(`${route}: ${message}`);
    reply(res, 422, `cannot ${route}: ${message}\n`, cors);
  }
}

export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const expected = digest(options.token);
  const server = createServer((req, res) => {
    handle(req, res, options, expected).catch((error: unknown) => {
      options.onError?.(error instanceof Error ? error.message : String(error));
      if (!res.headersSent) reply(res, 500, 'internal error\n');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host === '0.0.0.0' || host === '[::]' ? 'localhost' : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
