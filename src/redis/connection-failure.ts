import { probeRedisNodes, type NodeProbe } from '@graphql-auth-service/subgraph/redis/probe';
import type { RedisConnectionConfig } from '@graphql-auth-service/subgraph/redis/redis-config';

/** How long a diagnosis may take: it runs at a failed start and on a failing /readyz. */
const PROBE_TIMEOUT_MS = 1_000;

/** Node's codes for a server certificate that no trusted CA vouches for. */
const UNTRUSTED_CERTIFICATE = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
]);
const CERTIFICATE_OUT_OF_DATE = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const NOT_TLS = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_UNKNOWN_PROTOCOL']);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/**
 * Why Redis refuses this service, in an operator's words and naming the setting to check:
 * a refused password, a certificate not trusted, TLS on one side only, and so on. Never
 * the password, never a stack. `address` is the node the error came from, when known.
 */
export function describeRedisError(error: Error, config: RedisConnectionConfig, address?: string): string {
  const at = address === undefined ? '' : ` at ${address}`;
  const message = error.message;
  const code = errorCode(error);
  if (message.startsWith('WRONGPASS')) {
    return `Redis refused the password (WRONGPASS) for user "${config.username ?? 'default'}"${at}: check REDIS_USERNAME and REDIS_PASSWORD`;
  }
  if (message.startsWith('NOAUTH')) {
    return `Redis${at} requires a password (NOAUTH): set REDIS_PASSWORD (and REDIS_USERNAME for an ACL user)`;
  }
  if (message.startsWith('NOPERM')) {
    return `Redis user "${config.username ?? 'default'}" lacks a permission the service needs (${firstLine(message)})`;
  }
  if (code !== undefined && UNTRUSTED_CERTIFICATE.has(code)) {
    return `Redis TLS certificate not trusted${at}: ${code} — check REDIS_TLS_CA_FILE`;
  }
  if (code !== undefined && CERTIFICATE_OUT_OF_DATE.has(code)) {
    return `Redis TLS certificate${at} is not valid now: ${code}`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `Redis TLS certificate${at} does not name the host connected to (${code}): connect by a name or address the certificate lists`;
  }
  if (code !== undefined && /CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE/.test(code)) {
    return `Redis${at} requires a client certificate (${code}): set REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE`;
  }
  if (code !== undefined && /ALERT_(UNKNOWN_CA|BAD_CERTIFICATE|DECRYPT_ERROR)/.test(code)) {
    return `Redis${at} refused the client certificate (${code}): check REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE`;
  }
  if (code !== undefined && NOT_TLS.has(code)) {
    return `Redis${at} does not answer TLS (${code}): it serves plain text; check REDIS_TLS and the port`;
  }
  const where = address ?? 'the configured node';
  const tlsOff = !config.tls && !/^rediss:/i.test(config.kind === 'single' ? config.url : '');
  // A TLS-only node drops a plain-text client, with a reset or without a word.
  if (tlsOff && (code === 'ECONNRESET' || message === 'Connection is closed.')) {
    return `Redis is unavailable: ${where} closed the connection${code ? ` (${code})` : ''}; if it serves TLS only, set REDIS_TLS=true`;
  }
  if (code === 'ECONNREFUSED') return `Redis is unavailable: ${where} refused the connection (ECONNREFUSED)`;
  if (code !== undefined && NETWORK.has(code)) return `Redis is unavailable: ${where} cannot be reached (${code})`;
  return `Redis is unavailable${at}: ${firstLine(message)}`;
}

/**
 * Opens fresh connections to the configured nodes to find out why the client cannot get in,
 * which a cluster client hides ("Failed to refresh slots cache", "Connection is closed.").
 * Undefined when the nodes answer: then the trouble is not in reaching them.
 */
export async function diagnoseRedis(config: RedisConnectionConfig): Promise<string | undefined> {
  const probes = await probeRedisNodes(config, PROBE_TIMEOUT_MS);
  const failed = probes.filter((probe): probe is NodeProbe & { error: Error } => probe.error !== undefined);
  if (failed.length < probes.length || failed.length === 0) return undefined;
  // A setting that is wrong says more than a node that is down.
  const telling = failed.find((probe) => !NETWORK.has(errorCode(probe.error) ?? '')) ?? failed[0];
  return describeRedisError(telling.error, config, telling.address);
}

/** The most specific error a cluster client reports: a node's, behind "Failed to refresh slots cache". */
export function innermostRedisError(error: Error): Error {
  const nodeError = (error as { lastNodeError?: unknown }).lastNodeError;
  return nodeError instanceof Error ? nodeError : error;
}

function errorCode(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 200);
}
