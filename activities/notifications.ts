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
import { messageIdFor, type Mailer } from './mailer';

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

export interface SendNotificationResult {
  status: 'sent' | 'already-sent';
  messageId: string;
}

/** The pino-style logging the activity needs (a pino Logger fits). Only keys and kinds are logged, never personal data. */
export interface NotificationLog {
  info(obj: object, msg?: string): void;
}

export interface NotificationDeps {
  notifications: NotificationLedger;
  mailer: Mailer;
  log?: NotificationLog;
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

/** What an attempt of the activity itself heartbeats once its message is delivered. */
interface Delivered {
  delivered: { key: string; messageId: string };
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
  const delivered = new Map<string, string>();
  return {
    find(key: string): string | undefined {
      const beat = ownActivity()?.info.heartbeatDetails as Delivered | undefined;
      return delivered.get(key) ?? (beat?.delivered.key === key ? beat.delivered.messageId : undefined);
    },
    write(key: string, messageId: string): void {
      delivered.set(key, messageId);
      ownActivity()?.heartbeat({ delivered: { key, messageId } } satisfies Delivered);
    },
    settle(key: string): void {
      delivered.delete(key);
    },
  };
}

export function createNotificationActivities({ notifications, mailer, log }: NotificationDeps) {
  const journal = deliveryJournal();
  async function deliver(n: Notification): Promise<string> {
    const signal = activitySignal();
    const { messageId } = await mailer.deliver(
      { key: n.key, to: n.to, subject: n.subject, text: n.text, kind: n.kind, ...(n.attachments && { attachments: n.attachments }) },
      signal ? { signal } : undefined,
    );
    journal.write(n.key, messageId);
    return messageId;
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
      if (claim === 'sent') {
        journal.settle(n.key);
        const row = await notifications.getNotification(n.key);
        log?.info({ key: n.key, kind: n.kind }, 'notification already sent, not delivering again');
        return { status: 'already-sent', messageId: row?.messageId ?? messageIdFor(n.key) };
      }
      const journaled = journal.find(n.key);
      const messageId = journaled ?? (await deliver(n));
      await notifications.markNotificationSent(n.key, messageId);
      journal.settle(n.key);
      log?.info(
        { key: n.key, kind: n.kind, channel: mailer.channel, messageId, ...(journaled && { fromJournal: true }) },
        'notification sent',
      );
      return { status: 'sent', messageId };
    },
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
