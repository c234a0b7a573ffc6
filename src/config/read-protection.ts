import proxyAddr from 'proxy-addr';
import type { BruteForceConfig } from '../brute-force/policy';
import type { GraphQLLimits, HttpConfig, RuntimeEnvironment } from './config';
import type { EnvReader } from './env-reader';

/**
 * Failed logins: escalating locks per username at one address and per address, and
 * spacing (never a lock) per username from all addresses, shared through Redis.
 */
export function readBruteForce(read: EnvReader): BruteForceConfig {
  const shared = {
    waitIncrementMs: read.duration('BRUTE_FORCE_WAIT_INCREMENT', '1m', 1_000),
    maxWaitMs: read.duration('BRUTE_FORCE_MAX_WAIT', '15m', 1_000),
    failureResetMs: read.duration('BRUTE_FORCE_FAILURE_RESET', '12h', 1_000),
  };
  if (shared.maxWaitMs < shared.waitIncrementMs) {
    read.fail('BRUTE_FORCE_MAX_WAIT must not be shorter than BRUTE_FORCE_WAIT_INCREMENT');
  }
  const pairFactor = read.integer('BRUTE_FORCE_FAILURE_FACTOR', 5, 1, 1_000);
  // Twice the per-address factor: the failures one address makes before its first lock
  // (an owner's own typos) never slow the username down for anyone else.
  const slowdownFactor = read.integer('BRUTE_FORCE_USERNAME_SLOWDOWN_FACTOR', 2 * pairFactor, 1, 100_000);
  if (slowdownFactor < pairFactor) {
    read.fail(
      `BRUTE_FORCE_USERNAME_SLOWDOWN_FACTOR=${slowdownFactor} must not be lower than BRUTE_FORCE_FAILURE_FACTOR=${pairFactor}: ` +
        'one address would slow a username down for everyone before its own lock',
    );
  }
  const incrementMs = read.duration('BRUTE_FORCE_SLOWDOWN_INCREMENT', '1s', 100);
  const maxDelayMs = read.duration('BRUTE_FORCE_MAX_SLOWDOWN', '30s', 100);
  if (maxDelayMs < incrementMs) {
    read.fail('BRUTE_FORCE_MAX_SLOWDOWN must not be shorter than BRUTE_FORCE_SLOWDOWN_INCREMENT');
  }
  return {
    enabled: read.boolean('BRUTE_FORCE_PROTECTION', true),
    pair: { ...shared, failureFactor: pairFactor },
    clientAddress: { ...shared, failureFactor: read.integer('BRUTE_FORCE_IP_FAILURE_FACTOR', 20, 1, 100_000) },
    usernameSlowdown: { failureFactor: slowdownFactor, incrementMs, maxDelayMs, failureResetMs: shared.failureResetMs },
  };
}

const NAMED_PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY=false (default: the socket's peer is the client), a number of proxy
 * hops, or the proxies' addresses/CIDRs. `true` is refused: believing any
 * X-Forwarded-For lets every client pick the address its failures count against.
 */
export function readTrustProxy(read: EnvReader): HttpConfig['trustProxy'] {
  const text = read.raw('TRUST_PROXY');
  if (text === undefined || text === 'false') return false;
  if (text === 'true') {
    read.fail('TRUST_PROXY=true would let any client forge its address with X-Forwarded-For: give the number of proxies in front (1) or their addresses (10.0.0.0/8,loopback)');
    return false;
  }
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops >= 1 && hops <= 10) return hops;
    read.fail(`TRUST_PROXY=${JSON.stringify(text)}: a hop count must be from 1 to 10`);
    return false;
  }
  const entries = text.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  const bad = entries.filter((entry) => !NAMED_PROXY_RANGES.has(entry) && !isAddressOrCidr(entry));
  if (bad.length > 0 || entries.length === 0) {
    read.fail(`TRUST_PROXY: ${bad.map((entry) => JSON.stringify(entry)).join(', ') || 'empty list'} is not false, a hop count, or IP addresses/CIDRs (or loopback, linklocal, uniquelocal)`);
    return false;
  }
  return entries;
}

function isAddressOrCidr(entry: string): boolean {
  try {
    proxyAddr.compile(entry);
    return true;
  } catch {
    return false;
  }
}

export function readGraphQLLimits(read: EnvReader, environment: RuntimeEnvironment): GraphQLLimits {
  return {
    maxDepth: read.integer('GRAPHQL_MAX_DEPTH', 15, 2, 100),
    maxCost: read.integer('GRAPHQL_MAX_COST', 1_000, 10, 1_000_000),
    maxAliases: read.integer('GRAPHQL_MAX_ALIASES', 15, 0, 1_000),
    maxBatch: read.integer('GRAPHQL_MAX_BATCH', 1, 1, 100),
    maxTokens: read.integer('GRAPHQL_MAX_TOKENS', 2_000, 200, 100_000),
    introspection: read.boolean('GRAPHQL_INTROSPECTION', environment !== 'production'),
    maxRepresentations: read.integer('MAX_REPRESENTATIONS', 100, 1, 10_000),
  };
}
