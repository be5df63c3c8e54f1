// The notification activity: delivers a notice at most once per idempotency key.
// Flow: claim the key in the ledger → if it was already sent, return without delivering; otherwise deliver, write the
// delivery to the journal, and record it as sent. A failed delivery throws, and Temporal retries the activity. When the
// ledger fails after the delivery (an outage between delivering and marking), the retry finds the delivery in the
// journal and only marks it: the journal is the worker's memory (any retry on this worker, local activities
// included) and the activity's heartbeat (a retry elsewhere). The one window left for a duplicate is "delivered, then
// the process died before the journal said so"; the Message-ID is derived from the key, so even that duplicate is
// recognisable at the receiving end (and the outbox keeps one file).
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import { z } from 'zod';
import type { NotificationLedger } from '../records/types';
import { MailRefusedError, messageIdFor, type Mailer } from './mailer';

export const notificationSchema = z.object({
  key: z.string().trim().min(1, 'key must not be empty').max(500, 'key must be at most 500 characters'),
  to: z
    .array(
      z.object({
        name: z.string(),
        email: z.email({ error: 'must be a valid email address' }),
      }),
    )
    .min(1, 'at least one recipient is required'),
  subject: z.string().trim().min(1, 'subject must not be empty'),
  text: z.string().min(1, 'text must not be empty'),
  kind: z.string().trim().min(1, 'kind must not be empty'),
  /** What the ledger records as the recipient instead of the addresses: a reporter's notice records the masked name. */
  recordedAs: z.string().trim().min(1).max(200).optional(),
  /** Files to attach; only from an activity in the same process (a workflow's arguments travel as JSON). */
  attachments: z
    .array(
      z.object({
        filename: z.string().trim().min(1, 'filename must not be empty'),
        content: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'content must be bytes'),
        contentType: z.string().min(1),
      }),
    )
    .optional(),
});

export type Notification = z.infer<typeof notificationSchema>;

export type SendNotificationResult =
  | { status: 'sent' | 'already-sent'; messageId: string }
  /** The mail server refused it for good: recorded, leadership told; the workflow goes on (a notice is not a step). */
  | { status: 'undeliverable'; refusal: string };

/** What the mail server refused: the whole notice (`refusal`), or some of its recipients (`refused`). */
export type Refusal = { refusal: string; refused?: undefined } | { refusal?: undefined; refused: string[] };

/** The pino-style logging the activity needs (a pino Logger fits). Only keys and kinds are logged, never personal data. */
export interface NotificationLog {
  info(obj: object, msg?: string): void;
}

export interface NotificationDeps {
  notifications: NotificationLedger;
  mailer: Mailer;
  log?: NotificationLog;
  /** Tells someone that the server refused a notice or some of its recipients (./undeliverable.ts). */
  onRefused?: (n: Notification, refusal: Refusal) => Promise<void>;
}

/** The ledger's channel column for mail notifications. */
export const EMAIL_CHANNEL = 'email';

function parseNotification(input: unknown): Notification {
  const parsed = notificationSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  // Names the fields, never echoes their values (addresses are personal data). Retrying bad input cannot help.
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(notification)'}: ${i.message}`);
  throw ApplicationFailure.nonRetryable(`invalid notification: ${problems.join('; ')}`, 'InvalidNotification');
}

/** The activity's cancellation signal when running inside a Temporal activity, otherwise undefined. */
function activitySignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
}

/** A delivery: the message id, and the recipients the server refused while taking the rest. */
interface Delivery {
  messageId: string;
  refused: string[];
}

/** What an attempt of the activity itself heartbeats once its message is delivered. */
interface Delivered {
  delivered: Delivery & { key: string };
}

/** The current activity, when it is this one (a notice sent from inside another activity must not heartbeat for it). */
function ownActivity(): Context | undefined {
  try {
    const ctx = Context.current();
    return ctx.info.activityType === 'sendNotification' ? ctx : undefined;
  } catch {
    return undefined;
  }
}

/** Deliveries not yet marked sent in the ledger, by key: this worker's, and the one an earlier attempt heartbeated. */
function deliveryJournal() {
  const delivered = new Map<string, Delivery>();
  return {
    find(key: string): Delivery | undefined {
      const beat = ownActivity()?.info.heartbeatDetails as Delivered | undefined;
      if (delivered.has(key)) return delivered.get(key);
      // A heartbeat of an earlier version carries no refused list.
      return beat?.delivered.key === key ? { messageId: beat.delivered.messageId, refused: beat.delivered.refused ?? [] } : undefined;
    },
    write(key: string, delivery: Delivery): void {
      delivered.set(key, delivery);
      ownActivity()?.heartbeat({ delivered: { key, ...delivery } } satisfies Delivered);
    },
    settle(key: string): void {
      delivered.delete(key);
    },
  };
}

export function createNotificationActivities({ notifications, mailer, log, onRefused }: NotificationDeps) {
  const journal = deliveryJournal();
  async function deliver(n: Notification): Promise<Delivery> {
    const signal = activitySignal();
    const { messageId, refused = [] } = await mailer.deliver(
      { key: n.key, to: n.to, subject: n.subject, text: n.text, kind: n.kind, ...(n.attachments && { attachments: n.attachments }) },
      signal ? { signal } : undefined,
    );
    journal.write(n.key, { messageId, refused });
    return { messageId, refused };
  }
  /** Refused for good: recorded as undeliverable (never retried), and someone told. */
  async function undeliverable(n: Notification, refusal: string): Promise<SendNotificationResult> {
    await notifications.markNotificationUndeliverable(n.key, refusal);
    log?.info({ key: n.key, kind: n.kind, refusal }, 'notification refused by the mail server for good');
    await onRefused?.(n, { refusal });
    return { status: 'undeliverable', refusal };
  }
  return {
    async sendNotification(input: Notification): Promise<SendNotificationResult> {
      const n = parseNotification(input);
      const claim = await notifications.claimNotification({
        key: n.key,
        channel: EMAIL_CHANNEL,
        recipient: n.recordedAs ?? n.to.map((r) => (r.name ? `${r.name} <${r.email}>` : r.email)).join(', '),
        subject: n.subject,
      });
      // Settled before: the alert again (idempotent by its key), in case the attempt that settled it died before it.
      if (claim === 'undeliverable') {
        const refusal = (await notifications.getNotification(n.key))?.refusal ?? '';
        await onRefused?.(n, { refusal });
        return { status: 'undeliverable', refusal };
      }
      if (claim === 'sent') {
        journal.settle(n.key);
        const row = await notifications.getNotification(n.key);
        if (row?.refused.length) await onRefused?.(n, { refused: row.refused });
        log?.info({ key: n.key, kind: n.kind }, 'notification already sent, not delivering again');
        return { status: 'already-sent', messageId: row?.messageId ?? messageIdFor(n.key) };
      }
      const journaled = journal.find(n.key);
      let delivery: Delivery;
      try {
        delivery = journaled ?? (await deliver(n));
      } catch (error) {
        if (error instanceof MailRefusedError) return undeliverable(n, error.refusal);
        throw error;
      }
      const { messageId, refused } = delivery;
      await notifications.markNotificationSent(n.key, messageId, refused);
      journal.settle(n.key);
      log?.info(
        { key: n.key, kind: n.kind, channel: mailer.channel, messageId, refused: refused.length, ...(journaled && { fromJournal: true }) },
        'notification sent',
      );
      if (refused.length > 0) await onRefused?.(n, { refused });
      return { status: 'sent', messageId };
    },
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
