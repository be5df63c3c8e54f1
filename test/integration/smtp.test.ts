// Notification delivery end to end: the outbox, a real SMTP server (in-process), and Temporal retries while
// the SMTP server is down. The ledger is the real store (embedded PGlite, in memory).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { simpleParser, type AddressObject } from 'mailparser';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, MailRefusedError, messageIdFor, type Mailer } from '../../activities/mailer';
import { createNotificationActivities, type Notification, type Refusal } from '../../activities/notifications';
import { refusalAlert } from '../../activities/undeliverable';
import { DEFAULT_PLAN_FILE, loadPlan } from '../../config';
import { openStore } from '../../records/store';
import type { Store } from '../../records/types';
import { notifyWorkflow } from '../fixtures/notify-workflow';
import { freePort, startSmtpCatcher, type SmtpCatcher } from '../helpers/smtp';

const FROM = '"某市医疗保障局" <jianguan@ybj.example.gov.cn>';

const notice = (key: string): Notification => ({
  key,
  kind: 'inspection-assigned',
  to: [{ name: '张三', email: 'zhangsan@hospital.example.cn' }],
  subject: '【医保基金监管】现场检查通知：市第一人民医院',
  text: '张三同志：\n\n您已被抽取参加对市第一人民医院的现场检查，请于2026年12月1日前完成检查并录入检查结果。\n\n某市医疗保障局',
});

const addresses = (a: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(a) ? a : a ? [a] : []).flatMap((o) => o.value.map((v) => ({ name: v.name, address: v.address })));

let store: Store;
let mailer: Mailer | undefined;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  store = await openStore({}); // embedded PGlite, in memory
});
afterAll(async () => {
  await store.close();
});
afterEach(async () => {
  mailer?.close();
  mailer = undefined;
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'jianguan-outbox-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('outbox', () => {
  it('writes one readable .eml per key, in Chinese, and never sends a key twice', async () => {
    const outboxDir = await tempDir();
    const logLines: string[] = [];
    const log = pino({ base: undefined }, { write: (line: string) => void logLines.push(line) });
    mailer = createMailer({ outboxDir, from: FROM });
    const { sendNotification } = createNotificationActivities({ notifications: store, mailer, log });
    const n = notice('notify:inspection:2026-q4:H001:assigned');

    const first = await sendNotification(n);
    expect(first).toEqual({ status: 'sent', messageId: messageIdFor(n.key) });

    const files = (await readdir(outboxDir)).filter((f) => !f.startsWith('.'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^notify_inspection_2026-q4_H001_assigned_[0-9a-f]{12}\.eml$/);
    expect(await readdir(outboxDir)).toHaveLength(1); // no temp file left behind

    const mail = await simpleParser(await readFile(path.join(outboxDir, files[0]!)));
    expect(mail.subject).toBe(n.subject);
    expect(mail.text?.trim()).toBe(n.text);
    expect(addresses(mail.to)).toEqual([{ name: '张三', address: 'zhangsan@hospital.example.cn' }]);
    expect(mail.from?.value[0]).toMatchObject({ name: '某市医疗保障局', address: 'jianguan@ybj.example.gov.cn' });
    expect(mail.messageId).toBe(messageIdFor(n.key));

    const again = await sendNotification(n);
    expect(again).toEqual({ status: 'already-sent', messageId: messageIdFor(n.key) });
    expect(await readdir(outboxDir)).toHaveLength(1);

    const row = await store.getNotification(n.key);
    expect(row).toMatchObject({ key: n.key, channel: 'email', status: 'sent', messageId: messageIdFor(n.key) });
    expect(row?.sentAt).toBeTruthy();

    // The logs name the key and kind, never an address or the body.
    const logged = logLines.join('\n');
    expect(logged).toContain(n.key);
    expect(logged).toContain('inspection-assigned');
    expect(logged).not.toContain('zhangsan');
    expect(logged).not.toContain('张三');
    expect(logged).not.toContain('现场检查');
  });

  it('refuses invalid input with a non-retryable failure naming the field, before claiming the key', async () => {
    mailer = createMailer({ outboxDir: await tempDir(), from: FROM });
    const { sendNotification } = createNotificationActivities({ notifications: store, mailer });
    const bad = { ...notice('notify:invalid'), to: [{ name: '李四', email: 'lisi-at-example' }] };
    const err: unknown = await sendNotification(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect((err as ApplicationFailure).nonRetryable).toBe(true);
    expect((err as ApplicationFailure).message).toContain('to.0.email');
    expect((err as ApplicationFailure).message).not.toContain('lisi-at-example');
    await expect(sendNotification({ ...notice('notify:no-recipients'), to: [] })).rejects.toThrow(/to: at least one recipient/);
    await expect(sendNotification({ ...notice(''), key: '  ' })).rejects.toThrow(/key: key must not be empty/);
    expect(await store.getNotification('notify:invalid')).toBeUndefined();
  });
  it('keeps one file when a delivery succeeded but the ledger never heard of it (crash in between)', async () => {
    const outboxDir = await tempDir();
    mailer = createMailer({ outboxDir, from: FROM });
    const { sendNotification } = createNotificationActivities({ notifications: store, mailer });
    const n = notice('notify:inspection:2026-q4:H009:assigned');
    // The first attempt delivered, then the worker died before markNotificationSent: the row is still pending.
    await store.claimNotification({ key: n.key, channel: 'email', recipient: 'x', subject: n.subject });
    await mailer.deliver(n);
    expect(await sendNotification(n)).toEqual({ status: 'sent', messageId: messageIdFor(n.key) });
    expect(await readdir(outboxDir)).toHaveLength(1);
    expect(await store.getNotification(n.key)).toMatchObject({ status: 'sent' });
  });
});

describe('SMTP', () => {
  it('delivers through a real SMTP server once per key', async () => {
    const smtp = await startSmtpCatcher();
    cleanup.push(() => smtp.close());
    mailer = createMailer({ outboxDir: await tempDir(), from: FROM, smtp: { url: `smtp://127.0.0.1:${smtp.port}` } });
    const { sendNotification } = createNotificationActivities({ notifications: store, mailer });
    const n: Notification = {
      ...notice('notify:inspection:2026-q4:H002:overdue'),
      kind: 'inspection-overdue',
      to: [
        { name: '王五', email: 'wangwu@hospital.example.cn' },
        { name: '', email: 'office@ybj.example.gov.cn' },
      ],
      subject: '【医保基金监管】检查逾期提醒',
    };

    expect(await sendNotification(n)).toEqual({ status: 'sent', messageId: messageIdFor(n.key) });
    expect(smtp.messages).toHaveLength(1);
    const mail = await simpleParser(smtp.messages[0]!);
    expect(mail.subject).toBe('【医保基金监管】检查逾期提醒');
    expect(mail.text?.trim()).toBe(n.text);
    expect(addresses(mail.to)).toEqual([
      { name: '王五', address: 'wangwu@hospital.example.cn' },
      { name: '', address: 'office@ybj.example.gov.cn' },
    ]);
    expect(mail.messageId).toBe(messageIdFor(n.key));

    expect(await sendNotification(n)).toEqual({ status: 'already-sent', messageId: messageIdFor(n.key) });
    expect(smtp.messages).toHaveLength(1);
    expect(await store.getNotification(n.key)).toMatchObject({ status: 'sent', messageId: messageIdFor(n.key) });
  });
});

describe('SMTP refusal', () => {
  const refusedAddress = 'nobody-here@hospital.example.cn';
  async function refusingServer() {
    const smtp = await startSmtpCatcher(0, { refuse: (address) => address === refusedAddress });
    cleanup.push(() => smtp.close());
    mailer = createMailer({ outboxDir: await tempDir(), from: FROM, smtp: { url: `smtp://127.0.0.1:${smtp.port}` } });
    const told: Array<{ key: string; refusal: Refusal }> = [];
    const activities = createNotificationActivities({
      notifications: store,
      mailer,
      onRefused: async (n, refusal) => void told.push({ key: n.key, refusal }),
    });
    return { smtp, told, ...activities };
  }

  it('a permanent refusal ends the notice as undeliverable, never retried, someone told, no address in the error', async () => {
    const { smtp, told, sendNotification } = await refusingServer();
    const n: Notification = { ...notice('notify:inspection:2026-q4:H010:assigned'), to: [{ name: '赵六', email: refusedAddress }] };

    expect(await sendNotification(n)).toEqual({ status: 'undeliverable', refusal: 'RCPT TO: 550 5.1.1' });
    expect(await store.getNotification(n.key)).toMatchObject({ status: 'undeliverable', refusal: 'RCPT TO: 550 5.1.1', sentAt: null });
    expect(told).toEqual([{ key: n.key, refusal: { refusal: 'RCPT TO: 550 5.1.1' } }]);
    // Again (a retried activity): nothing delivered, the same answer, the alert asked again (its own key keeps it once).
    expect(await sendNotification(n)).toEqual({ status: 'undeliverable', refusal: 'RCPT TO: 550 5.1.1' });
    expect(told).toHaveLength(2);
    expect(smtp.messages).toHaveLength(0);
  });

  it('a refused recipient among others: delivered to the rest, the refused one recorded and reported', async () => {
    const { smtp, told, sendNotification } = await refusingServer();
    const n: Notification = {
      ...notice('notify:inspection:2026-q4:H011:assigned'),
      to: [
        { name: '赵六', email: refusedAddress },
        { name: '王五', email: 'wangwu@hospital.example.cn' },
      ],
    };
    expect(await sendNotification(n)).toEqual({ status: 'sent', messageId: messageIdFor(n.key) });
    expect(smtp.messages).toHaveLength(1);
    expect(await store.getNotification(n.key)).toMatchObject({ status: 'sent', refused: [refusedAddress], refusal: null });
    expect(told).toEqual([{ key: n.key, refusal: { refused: [refusedAddress] } }]);
  });

  it('the error of a refusal does not quote the address (it goes on to the log and the history)', async () => {
    mailer = createMailer({
      outboxDir: await tempDir(),
      from: FROM,
      smtp: { url: `smtp://127.0.0.1:${(await refusingServer()).smtp.port}` },
    });
    const message = { key: 'refused-direct', to: [{ name: '赵六', email: refusedAddress }], subject: 's', text: 't' };
    const error = (await mailer.deliver(message).catch((e: unknown) => e)) as MailRefusedError;
    expect(error).toBeInstanceOf(MailRefusedError);
    expect(error.message).toBe('the mail server refused the message for good: RCPT TO: 550 5.1.1');
    expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain('nobody-here');
  });

  it("tells the leadership group's mailbox, naming a reporter masked only", async () => {
    const sent: Notification[] = [];
    const alert = refusalAlert({ planFile: DEFAULT_PLAN_FILE, send: async (n) => void sent.push(n) });
    const plan = await loadPlan(DEFAULT_PLAN_FILE);
    const reporterNotice: Notification = {
      key: 'clue:349901:JB-1:reporter:accepted',
      kind: 'clue-reporter-accepted',
      to: [{ name: '欧阳某某', email: 'ouyang@example.net' }],
      recordedAs: '举报人 欧***',
      subject: '举报受理告知（JB-1）',
      text: '欧阳某某：……',
    };
    await alert(reporterNotice, { refusal: 'RCPT TO: 550 5.1.1' });
    await alert(reporterNotice, { refused: ['ouyang@example.net'] });
    expect(sent.map((m) => [m.key, m.kind, m.to[0]!.email])).toEqual([
      ['clue:349901:JB-1:reporter:accepted:refused', 'notice-refused', plan.notifications.leadershipEmail],
      ['clue:349901:JB-1:reporter:accepted:refused', 'notice-refused', plan.notifications.leadershipEmail],
    ]);
    expect(sent[0]!.text).toContain('举报受理告知（JB-1）');
    expect(sent[0]!.text).toContain('RCPT TO: 550 5.1.1');
    for (const m of sent) expect(`${m.subject}${m.text}`).not.toMatch(/欧阳某某|ouyang@/);
    // An alert refused in turn is only recorded: nothing else to tell.
    await alert(sent[0]!, { refusal: 'RCPT TO: 550 5.1.1' });
    expect(sent).toHaveLength(2);
  });
});

describe('SMTP down, Temporal retries', () => {
  let env: TestWorkflowEnvironment;
  let workflowBundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    const options = {
      server: { executable: { type: 'existing-path' as const, path: process.env.TEMPORAL_TEST_SERVER_PATH! } },
    };
    // The SDK gives the ephemeral server 5 s to start; on a loaded machine that can be too little once.
    env = await TestWorkflowEnvironment.createTimeSkipping(options).catch(() => TestWorkflowEnvironment.createTimeSkipping(options));
    workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../fixtures/notify-workflow.ts') });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('retries until the SMTP server is up, then delivers exactly once', async () => {
    const port = await freePort();
    let smtp: SmtpCatcher | undefined;
    cleanup.push(async () => smtp?.close());
    mailer = createMailer({ outboxDir: await tempDir(), from: FROM, smtp: { host: '127.0.0.1', port, secure: false } });
    const real = createNotificationActivities({ notifications: store, mailer });

    let attempts = 0;
    const activities: typeof real = {
      async sendNotification(n) {
        attempts += 1;
        try {
          return await real.sendNotification(n);
        } catch (err) {
          if (attempts === 3) smtp = await startSmtpCatcher(port);
          throw err;
        }
      },
    };

    const taskQueue = 'smtp-retry';
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities });
    const n = notice('notify:inspection:2026-q4:H003:assigned');
    const result = await worker.runUntil(
      env.client.workflow.execute(notifyWorkflow, { args: [n], workflowId: 'notify-smtp-retry', taskQueue }),
    );

    expect(result).toEqual({ status: 'sent', messageId: messageIdFor(n.key) });
    expect(attempts).toBeGreaterThanOrEqual(4);
    expect(smtp?.messages).toHaveLength(1);
    const mail = await simpleParser(smtp!.messages[0]!);
    expect(mail.subject).toBe(n.subject);
    expect(mail.messageId).toBe(messageIdFor(n.key));
    expect(await store.getNotification(n.key)).toMatchObject({ status: 'sent', messageId: messageIdFor(n.key) });
  });
});

describe('the ledger down between delivering and marking sent', () => {
  let env: TestWorkflowEnvironment;
  let workflowBundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    const options = { server: { executable: { type: 'existing-path' as const, path: process.env.TEMPORAL_TEST_SERVER_PATH! } } };
    env = await TestWorkflowEnvironment.createTimeSkipping(options).catch(() => TestWorkflowEnvironment.createTimeSkipping(options));
    workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../fixtures/notify-workflow.ts') });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  /** The real store, whose first `markNotificationSent` fails as it does while PostgreSQL is down. */
  function markFailsOnce(): Store {
    let failed = false;
    return new Proxy(store, {
      get(target, key, receiver) {
        if (key !== 'markNotificationSent' || failed) return Reflect.get(target, key, receiver) as unknown;
        return async () => {
          failed = true;
          throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        };
      },
    });
  }

  /** Sends `n` through Temporal; the retry runs on `retry(first)`: the same activities, or those of another worker. */
  async function sendAcrossRetry(id: string, retry: 'same-worker' | 'another-worker') {
    const smtp = await startSmtpCatcher();
    cleanup.push(() => smtp.close());
    mailer = createMailer({ outboxDir: await tempDir(), from: FROM, smtp: { url: `smtp://127.0.0.1:${smtp.port}` } });
    const first = createNotificationActivities({ notifications: markFailsOnce(), mailer });
    // Another worker: its own activities, with a journal of its own (it knows only what the heartbeat tells).
    const second = retry === 'same-worker' ? first : createNotificationActivities({ notifications: store, mailer });
    let attempts = 0;
    const activities: typeof first = { sendNotification: (n) => (++attempts === 1 ? first : second).sendNotification(n) };
    const taskQueue = `ledger-down-${id}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities });
    const n = notice(`notify:inspection:2026-q4:${id}:assigned`);
    const result = await worker.runUntil(env.client.workflow.execute(notifyWorkflow, { args: [n], workflowId: `notify-${id}`, taskQueue }));
    return { smtp, n, result, attempts };
  }

  it.each(['same-worker', 'another-worker'] as const)('delivers once when the retry runs on %s', async (retry) => {
    const { smtp, n, result, attempts } = await sendAcrossRetry(`H00${retry === 'same-worker' ? 4 : 5}`, retry);
    expect(attempts).toBe(2);
    expect(result).toEqual({ status: 'sent', messageId: messageIdFor(n.key) });
    expect(smtp.messages).toHaveLength(1);
    expect(await store.getNotification(n.key)).toMatchObject({ status: 'sent', messageId: messageIdFor(n.key) });
  });
});
