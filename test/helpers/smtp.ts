// An in-process SMTP server for tests: accepts everything (no auth, no STARTTLS) and keeps the raw messages. It can
// also go down (an outage: connections refused, the open ones cut) and come back on the same port.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SmtpCatcher {
  port: number;
  /** Raw RFC 5322 messages in arrival order. */
  messages: Buffer[];
  /** Stops listening and cuts every open connection (a message not yet accepted is not kept); resolves once all are gone. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

export interface SmtpCatcherOptions {
  /**
   * Awaited before the n-th message (1-based) is accepted, while its sender waits for the reply; `closed` settles when
   * that connection closes. A message whose connection closed in the meantime is not kept: its sender never heard
   * that it was accepted.
   */
  hold?: (n: number, closed: Promise<void>) => Promise<void> | undefined;
  /** Recipients the server refuses at RCPT TO with 550 5.1.1, quoting the address as real servers do. */
  refuse?: (address: string) => boolean;
}

export async function startSmtpCatcher(port = 0, options: SmtpCatcherOptions = {}): Promise<SmtpCatcher> {
  const messages: Buffer[] = [];
  const closed = new Set<string>();
  const closing = new Map<string, () => void>();
  let received = 0;
  // For down(): the open sessions and sockets, and who waits for the last session to close.
  const open = new Set<string>();
  const sockets = new Set<Socket>();
  const drainedWaiters: Array<() => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onConnect(session, callback) {
      open.add(session.id);
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (!options.refuse?.(address.address)) return callback();
      callback(Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected`), { responseCode: 550 }));
    },
    onClose(session) {
      closed.add(session.id);
      open.delete(session.id);
      closing.get(session.id)?.();
      if (open.size === 0) for (const drained of drainedWaiters.splice(0)) drained();
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
  // A client that dies inside a transaction (a killed worker) resets its connection; smtp-server re-emits that on the
  // server, where an unheard 'error' would crash the test process. The session simply ends, as onClose records.
  server.on('error', () => undefined);
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.server.off('error', reject);
        resolve();
      });
    });
  await listen();
  port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    down: async () => {
      const stopped = new Promise<void>((resolve) => server.server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await stopped;
      // The sessions learn of their closed sockets a moment later (smtp-server calls onClose on the next turn).
      if (open.size > 0) await new Promise<void>((resolve) => drainedWaiters.push(resolve));
    },
    up: listen,
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
