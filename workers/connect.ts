// Connections to the Temporal server from the runtime settings (address, namespace, TLS / mTLS).
import { readFileSync } from 'node:fs';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { RuntimeConfig } from '../config';

function tlsOptions(config: RuntimeConfig): ConnectionOptions['tls'] {
  const tls = config.temporal.tls;
  if (!tls) return undefined;
  return {
    serverRootCACertificate: tls.caFile ? readFileSync(tls.caFile) : undefined,
    clientCertPair: tls.clientCertPair
      ? { crt: readFileSync(tls.clientCertPair.certFile), key: readFileSync(tls.clientCertPair.keyFile) }
      : undefined,
  };
}

/** A client connection (for starting workflows, queries, updates, operator calls). */
export function connectClient(config: RuntimeConfig): Promise<Connection> {
  return Connection.connect({ address: config.temporal.address, tls: tlsOptions(config) });
}

/** A worker connection. */
export function connectWorker(config: RuntimeConfig): Promise<NativeConnection> {
  return NativeConnection.connect({ address: config.temporal.address, tls: tlsOptions(config) });
}
