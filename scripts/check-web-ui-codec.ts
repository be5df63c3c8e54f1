// `npm run check:web-ui`: tries, in a real browser, what the banner of `npm start` tells staff to do — open the codec
// server's /session link once, point the Web UI at the codec server with credentials — and checks that a workflow's
// input then reads in clear, and that a browser without the session sees only ciphertext (the codec server answers
// 401). Run it beside a running `npm start` (same environment variables); it needs Chromium (Debian: `apt-get install
// chromium`; else CHROMIUM_PATH). Not part of `npm test`, which must pass on a machine without a browser.
import { loadCodecToken } from '../codec/configured-server';
import { loadRuntimeConfig } from '../config';

const config = loadRuntimeConfig(process.env);
const ui = `http://localhost:${config.temporal.uiPort}`;
const codec = `http://${config.codec.address.replace(/^127\.0\.0\.1:/, 'localhost:')}`;
const workflowId = process.argv[2] ?? 'inspection:349901-demo-2026:H34990100001';
/** Text that only a decrypted payload shows: personal data (the demo plan's first contact), never in search attributes. */
const expected = process.argv[3] ?? '王建华';
/** How long the Web UI gets to fetch and decode the history (it keeps polling, so there is no "idle" to wait for). */
const SETTLE_MS = 10_000;

type Browser = import('puppeteer-core', { with: { 'resolution-mode': 'import' } }).Browser;

async function inputShown(browser: Browser, withSession: boolean): Promise<{ text: string; decodeStatuses: number[] }> {
  // Each in its own browser context: no cookie, no Web UI setting carried from one to the other.
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const decodeStatuses: number[] = [];
  page.on('response', (r) => void (r.url().startsWith(`${codec}/decode`) && decodeStatuses.push(r.status())));
  if (withSession) await page.goto(`${codec}/session?token=${encodeURIComponent(loadCodecToken(config))}`);
  await page.goto(ui);
  // The Web UI's own codec settings ("Configure Codec Server"), as staff set them by hand.
  await page.evaluate(
    [
      `localStorage.setItem('endpoint', ${JSON.stringify(JSON.stringify(codec))})`,
      "localStorage.setItem('includeCredentials', 'true')",
      "localStorage.setItem('overrideRemoteCodecConfiguration', 'true')",
    ].join(';'),
  );
  await page.goto(`${ui}/namespaces/${config.temporal.namespace}/workflows/${encodeURIComponent(workflowId)}`, {
    waitUntil: 'domcontentloaded',
  });
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const text = (await page.evaluate('document.body.innerText')) as string;
  await context.close();
  return { text, decodeStatuses: [...new Set(decodeStatuses)] };
}

async function main(): Promise<void> {
  // puppeteer-core is an ES module; this script runs as CommonJS like the rest.
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  try {
    const staff = await inputShown(browser, true);
    const stranger = await inputShown(browser, false);
    const checks = [
      [`with the session: the input shows "${expected}"`, staff.text.includes(expected)],
      ['with the session: the codec server answered 200', staff.decodeStatuses.includes(200)],
      [`without it: "${expected}" is nowhere`, !stranger.text.includes(expected)],
      ['without it: the codec server answered 401', stranger.decodeStatuses.includes(401)],
    ] as const;
    for (const [what, ok] of checks) console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
    console.log(`Web UI ${ui}, codec server ${codec}, workflow ${workflowId}`);
    if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

void main();
