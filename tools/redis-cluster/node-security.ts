/**
 * TLS and a password for a launch's nodes: the certificates it makes, the redis-server and
 * redis-cli arguments that use them, and what a client needs to get in.
 */
import path from 'node:path';
import { createCertificateAuthority, issueCertificate, type CertificateFiles } from './certificates';
import type { LocalRedisAccess, StandaloneRedisOptions } from './options';

/** The whole of a launch's security: what clients get, plus the nodes' own certificate. */
export interface NodeSecurity {
  access: LocalRedisAccess;
  /** The nodes' certificate; absent for plain TCP. */
  server?: CertificateFiles;
  requireClientCertificates: boolean;
}

export const PLAIN: NodeSecurity = { access: {}, requireClientCertificates: false };

/** Makes the certificates `options` ask for, in `dir`/tls. */
export async function prepareNodeSecurity(dir: string, options: Pick<StandaloneRedisOptions, 'tls' | 'password'>): Promise<NodeSecurity> {
  const password = options.password;
  if (!options.tls) return { access: password === undefined ? {} : { password }, requireClientCertificates: false };
  const requireClientCertificates = typeof options.tls === 'object' && options.tls.clientCertificates;
  const ca = await createCertificateAuthority(path.join(dir, 'tls'), 'local-redis-ca');
  // Nodes present this certificate to each other on the cluster bus and for replication, too.
  const server = await issueCertificate(ca, {
    name: 'redis-server',
    altNames: ['IP:127.0.0.1', 'DNS:localhost'],
    usage: ['serverAuth', 'clientAuth'],
  });
  const client = requireClientCertificates
    ? await issueCertificate(ca, { name: 'redis-client', usage: ['clientAuth'] })
    : undefined;
  return {
    access: {
      ...(password === undefined ? {} : { password }),
      tls: {
        ca: ca.cert,
        caFile: ca.certFile,
        ...(client && { cert: client.cert, certFile: client.certFile, key: client.key, keyFile: client.keyFile }),
      },
    },
    server,
    requireClientCertificates,
  };
}

/** Where a node listens: `port` in plain text, or (with TLS) only on `port` over TLS. */
export function listenArgs(port: number, security: NodeSecurity): string[] {
  if (!security.server) return ['--port', String(port)];
  const ca = security.access.tls?.caFile ?? '';
  return [
    '--port', '0',
    '--tls-port', String(port),
    '--tls-cert-file', security.server.certFile,
    '--tls-key-file', security.server.keyFile,
    '--tls-ca-cert-file', ca,
    '--tls-auth-clients', security.requireClientCertificates ? 'yes' : 'no',
  ];
}

/** The password every node asks for and gives its master. */
export function passwordArgs(security: NodeSecurity): string[] {
  const { password } = security.access;
  return password === undefined ? [] : ['--requirepass', password, '--masterauth', password];
}

/** A cluster node talks TLS to the other nodes as well: on the cluster bus and for replication. */
export function clusterTlsArgs(security: NodeSecurity): string[] {
  return security.server ? ['--tls-cluster', 'yes', '--tls-replication', 'yes'] : [];
}

/** redis-cli's arguments and environment for the launch's nodes; the password travels in the environment, not in `ps`. */
export function redisCliAccess(access: LocalRedisAccess): { args: string[]; env: Record<string, string> } {
  const { tls, password } = access;
  const args = tls
    ? ['--tls', '--cacert', tls.caFile, ...(tls.certFile && tls.keyFile ? ['--cert', tls.certFile, '--key', tls.keyFile] : [])]
    : [];
  return { args, env: password === undefined ? {} : { REDISCLI_AUTH: password } };
}
