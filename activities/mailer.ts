// Mail delivery for notifications, over nodemailer.
// Default: an outbox folder (var/outbox/) with one readable .eml file per message, named after the
// notification's idempotency key. Production: SMTP from config.
// The Message-ID is derived from the idempotency key, so a message that does reach the SMTP server twice
// (delivered, then the process died before the ledger recorded it) is recognisable as the same message.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { SMTPTransportOptions, Transporter } from 'nodemailer';

export type SmtpSettings = { host: string; port: number; secure: boolean; user?: string; pass?: string } | { url: string };

export interface MailerSettings {
  /** Folder of .eml files, used when `smtp` is not set. Created on first delivery. */
  outboxDir: string;
  /** Sender, e.g. `"某市医疗保障局" <jianguan@example.gov.cn>`. */
  from: string;
  smtp?: SmtpSettings;
}

export interface MailRecipient {
  name: string;
  email: string;
}

export interface MailMessage {
  /** Idempotency key of the notification; names the outbox file and determines the Message-ID. */
  key: string;
  to: MailRecipient[];
  subject: string;
  text: string;
  /** What the notice is (assignment, findings-reminder, …); sent as the X-Jianguan-Kind header for mail rules. */
  kind?: string;
  /** Files sent with the text (the weekly tables); the outbox's .eml carries them as MIME parts. */
  attachments?: MailAttachment[];
}

export interface MailAttachment {
  filename: string;
  content: Uint8Array;
  contentType: string;
}

export interface DeliverOptions {
  /** Aborts an SMTP delivery in flight (e.g. the activity's cancellation signal). */
  signal?: AbortSignal;
}

export interface Mailer {
  /** `outbox` or `smtp`, for logs and the notification ledger's channel column. */
  readonly channel: 'outbox' | 'smtp';
  /** Resolves once the message is handed over; `refused` lists recipients the server refused while taking the rest. */
  deliver(msg: MailMessage, options?: DeliverOptions): Promise<{ messageId: string; refused?: string[] }>;
  close(): void;
}

/** SMTP timeouts, kept well below a typical activity start-to-close timeout so an attempt never hangs on. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as const;

const keyHash = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** The Message-ID (with angle brackets) of the message for an idempotency key. */
export function messageIdFor(key: string): string {
  return `<${keyHash(key)}@jianguan>`;
}

/**
 * The outbox file name for an idempotency key: the key reduced to safe ASCII (at most 100 characters),
 * plus a short hash of the full key so that keys differing only in unsafe characters never share a file.
 */
export function outboxFileName(key: string): string {
  const safe = key
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 100);
  return `${safe || 'notification'}_${keyHash(key).slice(0, 12)}.eml`;
}

function smtpOptions(smtp: SmtpSettings): SMTPTransportOptions {
  // Settings in the URL (smtps://user:pass@host:port?connectionTimeout=…) win over the defaults here.
  if ('url' in smtp) return { url: smtp.url, ...SMTP_TIMEOUTS };
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user !== undefined ? { auth: { user: smtp.user, pass: smtp.pass ?? '' } } : {}),
    ...SMTP_TIMEOUTS,
  };
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

/** Writes `data` to `file` so that the file either does not exist or is complete: temp file, fsync, rename. */
async function writeAtomically(file: string, data: Buffer): Promise<void> {
  const dir = path.dirname(file);
  // Dot-prefixed and .tmp-suffixed, so nobody globbing *.eml ever sees a half-written message.
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(tmp, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** The mail server refused the message for good (a 5xx reply to the envelope or the data): no retry delivers it. */
export class MailRefusedError extends Error {
  constructor(readonly refusal: string) {
    super(`the mail server refused the message for good: ${refusal}`);
    this.name = 'MailRefusedError';
  }
}

/**
 * The mail server's refusal without its text: a refusal quotes the recipients' addresses ("550 5.1.1 <…>: Recipient
 * address rejected"), and the error goes on to the worker's log and the workflow's history. The SMTP command, the reply
 * code and the enhanced status code say what went wrong. A 5xx reply is permanent (MailRefusedError); a 4xx one (the
 * server busy, a mailbox over quota for now) is worth another attempt.
 */
function withoutAddresses(error: unknown): unknown {
  const { responseCode, command, response } = (error ?? {}) as { responseCode?: unknown; command?: unknown; response?: unknown };
  if (typeof responseCode !== 'number') return error;
  const status = typeof response === 'string' ? / ([245]\.\d{1,3}\.\d{1,3}) /.exec(` ${response} `)?.[1] : undefined;
  const refusal = `${typeof command === 'string' ? command : 'the message'}: ${responseCode}${status ? ` ${status}` : ''}`;
  if (responseCode >= 500 && responseCode < 600) return new MailRefusedError(refusal);
  return Object.assign(new Error(`the mail server refused ${refusal}`), { responseCode });
}

export function createMailer(settings: MailerSettings): Mailer {
  const toMail = (msg: MailMessage) => ({
    from: settings.from,
    to: msg.to.map((r) => ({ name: r.name, address: r.email })),
    subject: msg.subject,
    text: msg.text,
    messageId: messageIdFor(msg.key),
    headers: msg.kind ? { 'X-Jianguan-Kind': msg.kind } : {},
    ...(msg.attachments?.length && {
      attachments: msg.attachments.map((a) => ({ filename: a.filename, content: Buffer.from(a.content), contentType: a.contentType })),
    }),
  });

  if (settings.smtp) {
    const transport: Transporter = nodemailer.createTransport(smtpOptions(settings.smtp));
    return {
      channel: 'smtp',
      async deliver(msg, options) {
        const messageId = messageIdFor(msg.key);
        const info = (await transport
          .sendMail({ ...toMail(msg), ...(options?.signal ? { signal: options.signal } : {}) })
          .catch((error: unknown) => {
            throw withoutAddresses(error);
          })) as { rejected?: Array<string | { address: string }> };
        const refused = (info.rejected ?? []).map((r) => (typeof r === 'string' ? r : r.address));
        return { messageId, refused };
      },
      close: () => transport.close(),
    };
  }

  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    channel: 'outbox',
    async deliver(msg) {
      const messageId = messageIdFor(msg.key);
      const file = path.join(settings.outboxDir, outboxFileName(msg.key));
      // The file name is the key: a message already in the outbox was delivered, keep the first one.
      if (await exists(file)) return { messageId };
      await fs.mkdir(settings.outboxDir, { recursive: true });
      const info = await transport.sendMail(toMail(msg));
      const raw = Buffer.isBuffer(info.message) ? info.message : Buffer.from(String(info.message));
      await writeAtomically(file, raw);
      return { messageId };
    },
    close: () => transport.close(),
  };
}
