// The delivery journal of notifications (通知): a key is claimed before delivery and marked sent after it, so a notice is
// delivered at most once per key however often its activity is retried (activities/notifications.ts).
import type { Db } from '../db';
import { iso, isoOrNull, type Timestamp } from './sql';

export type NotificationStatus = 'pending' | 'sent' | 'undeliverable';

export interface NotificationRecord {
  /** Idempotency key: the same key is delivered at most once. */
  key: string;
  channel: string;
  recipient: string;
  subject: string;
  status: NotificationStatus;
  messageId: string | null;
  createdAt: string;
  sentAt: string | null;
  /** Why the mail server refused it for good (status undeliverable): SMTP command and codes, no addresses. */
  refusal: string | null;
  /** Recipients the server refused while it took the message for the others. */
  refused: string[];
}

export interface NotificationLedger {
  /**
   * Claims a notification key before delivery. Returns 'sent' if the key was already delivered (do nothing),
   * returns 'undeliverable' if the mail server refused it for good; otherwise records it as pending and returns 'claimed'.
   */
  claimNotification(
    row: Omit<NotificationRecord, 'status' | 'messageId' | 'createdAt' | 'sentAt' | 'refusal' | 'refused'>,
  ): Promise<'claimed' | 'sent' | 'undeliverable'>;
  /** Marks a pending notice sent (a retry keeps the first id); `refused` lists recipients the server refused. */
  markNotificationSent(key: string, messageId: string, refused?: string[]): Promise<void>;
  /** Marks a pending notice undeliverable with the server's refusal (a retry keeps the first). */
  markNotificationUndeliverable(key: string, refusal: string): Promise<void>;
  getNotification(key: string): Promise<NotificationRecord | undefined>;
  listNotifications(filter?: { keyPrefix?: string }): Promise<NotificationRecord[]>;
}

interface NotificationRow {
  key: string;
  channel: string;
  recipient: string;
  subject: string;
  status: NotificationRecord['status'];
  message_id: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  refusal: string | null;
  refused: string[];
}
const toNotification = (r: NotificationRow): NotificationRecord => ({
  key: r.key,
  channel: r.channel,
  recipient: r.recipient,
  subject: r.subject,
  status: r.status,
  messageId: r.message_id,
  createdAt: iso(r.created_at),
  sentAt: isoOrNull(r.sent_at),
  refusal: r.refusal,
  refused: r.refused,
});

/** Moves a pending row (`set` over $2…); a retried call after the first keeps what the first wrote. */
async function settlePending(db: Db, key: string, set: string, params: unknown[]): Promise<void> {
  await db.transaction(async (tx) => {
    const updated = await tx.query(`UPDATE notifications SET ${set} WHERE key = $1 AND status = 'pending' RETURNING key`, [key, ...params]);
    if (updated.length > 0) return;
    const [exists] = await tx.query('SELECT 1 FROM notifications WHERE key = $1', [key]);
    if (!exists) throw new Error(`notification ${key} was never claimed`);
  });
}

export function createNotificationLedger(db: Db): NotificationLedger {
  return {
    async claimNotification(n) {
      return db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO notifications (key, channel, recipient, subject) VALUES ($1, $2, $3, $4)
           ON CONFLICT (key) DO NOTHING`,
          [n.key, n.channel, n.recipient, n.subject],
        );
        const [row] = await tx.query<{ status: NotificationRecord['status'] }>('SELECT status FROM notifications WHERE key = $1', [n.key]);
        return row.status === 'pending' ? 'claimed' : row.status;
      });
    },

    async markNotificationSent(key, messageId, refused = []) {
      await settlePending(db, key, `status = 'sent', message_id = $2, sent_at = now(), refused = $3`, [messageId, refused]);
    },

    async markNotificationUndeliverable(key, refusal) {
      await settlePending(db, key, `status = 'undeliverable', refusal = $2`, [refusal]);
    },

    async getNotification(key) {
      const [row] = await db.query<NotificationRow>('SELECT * FROM notifications WHERE key = $1', [key]);
      return row && toNotification(row);
    },

    async listNotifications(filter) {
      const rows = await db.query<NotificationRow>(
        `SELECT * FROM notifications WHERE ($1::text IS NULL OR starts_with(key, $1::text)) ORDER BY created_at, key`,
        [filter?.keyPrefix ?? null],
      );
      return rows.map(toNotification);
    },
  };
}
