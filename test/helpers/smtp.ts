// An in-process SMTP server for tests: accepts everything (no auth, no STARTTLS) and keeps the raw messages.
import { createServer, type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SmtpCatcher {
  port: number;
  /** Raw RFC 5322 messages in arrival order. */
  messages: Buffer[];
  close(): Promise<void>;
}

export interface SmtpCatcherOptions {
  /**
   * Awaited before the n-th message (1-based) is accepted, while its sender waits for the reply; `closed` settles when
   * that connection closes. A message whose connection closed in the meantime is not kept: its sender never heard
   * that it was accepted.
   */
  hold?: (n: number, closed: Promise<void>) => Promise<void> | undefined;
}

export async function startSmtpCatcher(port = 0, options: SmtpCatcherOptions = {}): Promise<SmtpCatcher> {
  const messages: Buffer[] = [];
  const closed = new Set<string>();
  const closing = new Map<string, () => void>();
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onClose(session) {
      closed.add(session.id);
      closing.get(session.id)?.();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', callback);
      stream.on('end', () => {
        const n = ++received;
        const connectionClosed = new Promise<void>((resolve) => (closed.has(session.id) ? resolve() : closing.set(session.id, resolve)));
        void Promise.resolve(options.hold?.(n, connectionClosed)).then(() => {
          if (closed.has(session.id)) return callback(new Error('the connection closed before the message was accepted'));
          messages.push(Buffer.concat(chunks));
          callback();
        });
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A TCP port on 127.0.0.1 that was free a moment ago (nothing listens on it). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
