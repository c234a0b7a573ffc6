import { describeRedisError, innermostRedisError } from '../../src/redis/connection-failure';
import type { RedisConnectionConfig } from '@graphql-auth-service/subgraph/redis/redis-config';

const cluster: RedisConnectionConfig = { kind: 'cluster', nodes: [{ host: 'redis-1', port: 6379 }], username: 'svc', password: 'hunter2-secret', tls: {} };
const plainSingle: RedisConnectionConfig = { kind: 'single', url: 'redis://cache:6379' };

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('describeRedisError: why Redis refuses the service, naming the setting to check', () => {
  it.each<[string, Error, RedisConnectionConfig, string]>([
    ['a refused password', new Error('WRONGPASS invalid username-password pair or user is disabled.'), cluster, 'Redis refused the password (WRONGPASS) for user "svc" at redis-1:6379: check REDIS_USERNAME and REDIS_PASSWORD'],
    ['no password given', new Error('NOAUTH Authentication required.'), plainSingle, 'Redis at redis-1:6379 requires a password (NOAUTH): set REDIS_PASSWORD (and REDIS_USERNAME for an ACL user)'],
    ['a certificate no trusted CA signed', withCode('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN'), cluster, 'Redis TLS certificate not trusted at redis-1:6379: SELF_SIGNED_CERT_IN_CHAIN — check REDIS_TLS_CA_FILE'],
    ['an expired certificate', withCode('certificate has expired', 'CERT_HAS_EXPIRED'), cluster, 'Redis TLS certificate at redis-1:6379 is not valid now: CERT_HAS_EXPIRED'],
    ['a certificate for another name', withCode("Hostname/IP does not match certificate's altnames", 'ERR_TLS_CERT_ALTNAME_INVALID'), cluster, 'Redis TLS certificate at redis-1:6379 does not name the host connected to (ERR_TLS_CERT_ALTNAME_INVALID): connect by a name or address the certificate lists'],
    ['TLS towards a plain-text port', withCode('wrong version number', 'ERR_SSL_WRONG_VERSION_NUMBER'), cluster, 'Redis at redis-1:6379 does not answer TLS (ERR_SSL_WRONG_VERSION_NUMBER): it serves plain text; check REDIS_TLS and the port'],
    ['plain text towards a TLS-only port', withCode('read ECONNRESET', 'ECONNRESET'), plainSingle, 'Redis is unavailable: redis-1:6379 closed the connection (ECONNRESET); if it serves TLS only, set REDIS_TLS=true'],
    ['a node that is down', withCode('connect ECONNREFUSED 10.0.0.1:6379', 'ECONNREFUSED'), cluster, 'Redis is unavailable: redis-1:6379 refused the connection (ECONNREFUSED)'],
  ])('%s', (_what, error, config, expected) => {
    const described = describeRedisError(error, config, 'redis-1:6379');
    expect(described).toBe(expected);
    expect(described).not.toContain('hunter2-secret');
  });

  it('looks behind "Failed to refresh slots cache" at the node error', () => {
    const wrapped = Object.assign(new Error('Failed to refresh slots cache.'), { lastNodeError: new Error('WRONGPASS invalid') });
    expect(describeRedisError(innermostRedisError(wrapped), cluster)).toBe('Redis refused the password (WRONGPASS) for user "svc": check REDIS_USERNAME and REDIS_PASSWORD');
  });
});
