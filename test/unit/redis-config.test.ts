import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../src/config/config-error';
import { loadConfig } from '../../src/config/load-config';
import { accessOptions, singleNodeTarget } from '@graphql-auth-service/subgraph/redis/client';
import { createCertificateAuthority, issueCertificate, type CertificateAuthority, type CertificateFiles } from '../../tools/redis-cluster/launcher';

type Env = Record<string, string | undefined>;

const base: Env = { NODE_ENV: 'test', JWT_SECRET: 'a-test-secret-of-at-least-thirty-two-bytes' };
const NODES = '10.0.0.1:7000,10.0.0.2:7000';
const SECRET_PASSWORD = 'pa55/word@redis';

function problemsOf(env: Env): readonly string[] {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('Redis credentials and TLS configuration', () => {
  let dir: string;
  let ca: CertificateAuthority;
  let client: CertificateFiles;
  let otherClient: CertificateFiles;
  let notPem: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'redis-config-test-'));
    ca = await createCertificateAuthority(dir, 'config-test-ca');
    [client, otherClient] = await Promise.all([
      issueCertificate(ca, { name: 'client', usage: ['clientAuth'] }),
      issueCertificate(ca, { name: 'other-client', usage: ['clientAuth'] }),
    ]);
    notPem = path.join(dir, 'not-pem.txt');
    await writeFile(notPem, 'this is no certificate\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads a password-protected cluster over TLS with its CA and a client certificate, as PEM text', () => {
    const config = loadConfig({
      ...base,
      REDIS_CLUSTER_NODES: NODES,
      REDIS_USERNAME: 'auth-service',
      REDIS_PASSWORD: SECRET_PASSWORD,
      REDIS_TLS: 'true',
      REDIS_TLS_CA_FILE: ca.certFile,
      REDIS_TLS_CERT_FILE: client.certFile,
      REDIS_TLS_KEY_FILE: client.keyFile,
    });
    expect(config.redis).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7000 },
      ],
      username: 'auth-service',
      password: SECRET_PASSWORD,
      tls: { ca: ca.cert, cert: client.cert, key: client.key },
    });
    expect(Object.isFrozen(config.redis)).toBe(true);
  });

  it('REDIS_TLS=true without a CA file trusts the built-in roots (a managed service\'s public certificate)', () => {
    expect(loadConfig({ ...base, REDIS_CLUSTER_NODES: NODES, REDIS_TLS: 'true' }).redis).toEqual({
      kind: 'cluster',
      nodes: expect.any(Array),
      tls: {},
    });
  });

  it('a rediss:// URL implies TLS; its credentials move out of the URL, decoded', () => {
    const url = `rediss://reader:${encodeURIComponent(SECRET_PASSWORD)}@cache.example.com:6380/2`;
    expect(loadConfig({ ...base, REDIS_URL: url, REDIS_TLS_CA_FILE: ca.certFile }).redis).toEqual({
      kind: 'single',
      url: 'rediss://cache.example.com:6380/2',
      username: 'reader',
      password: SECRET_PASSWORD,
      tls: { ca: ca.cert },
    });
    expect(loadConfig({ ...base, REDIS_URL: 'rediss://cache:6380' }).redis).toEqual({ kind: 'single', url: 'rediss://cache:6380', tls: {} });
  });

  it('REDIS_TLS=true turns TLS on for a redis:// URL too, and REDIS_TLS=true with rediss:// agrees', () => {
    expect(loadConfig({ ...base, REDIS_URL: 'redis://cache:6379', REDIS_TLS: 'true' }).redis).toEqual({ kind: 'single', url: 'redis://cache:6379', tls: {} });
    expect(loadConfig({ ...base, REDIS_URL: 'rediss://cache:6379', REDIS_TLS: 'true' }).redis).toMatchObject({ tls: {} });
    expect(loadConfig({ ...base, REDIS_URL: 'redis://cache:6379' }).redis).toEqual({ kind: 'single', url: 'redis://cache:6379' });
  });

  describe('precedence: the URL and the variables fill each other in, and must agree where both speak', () => {
    it('takes the user from the URL and the password from REDIS_PASSWORD', () => {
      const config = loadConfig({ ...base, REDIS_URL: 'rediss://reader@cache:6380', REDIS_PASSWORD: SECRET_PASSWORD });
      expect(config.redis).toMatchObject({ url: 'rediss://cache:6380', username: 'reader', password: SECRET_PASSWORD });
    });

    it('accepts the same password in both places', () => {
      const url = `redis://:${encodeURIComponent(SECRET_PASSWORD)}@cache:6379`;
      expect(loadConfig({ ...base, REDIS_URL: url, REDIS_PASSWORD: SECRET_PASSWORD }).redis).toMatchObject({ password: SECRET_PASSWORD });
    });

    it('refuses a different password or user in each place, naming both and showing neither', () => {
      const problems = problemsOf({ REDIS_URL: 'redis://reader:url-secret@cache:6379', REDIS_USERNAME: 'writer', REDIS_PASSWORD: SECRET_PASSWORD });
      expect(problems).toEqual([
        'REDIS_USERNAME and the user name in REDIS_URL differ: give the user name in one place',
        'REDIS_PASSWORD and the password in REDIS_URL differ: give the password in one place',
      ]);
      expect(problems.join('\n')).not.toMatch(/url-secret|pa55/);
    });

    it('refuses REDIS_TLS=false with a rediss:// URL', () => {
      expect(problemsOf({ REDIS_URL: 'rediss://cache:6380', REDIS_TLS: 'false' })).toEqual([
        'REDIS_TLS=false contradicts the rediss:// scheme of REDIS_URL: use redis:// for plain text, or drop REDIS_TLS',
      ]);
    });
  });

  describe('a bad TLS or credential setting is a ConfigError naming it', () => {
    it.each<[string, Env, string | RegExp]>([
      ['an unreadable CA file', { REDIS_TLS_CA_FILE: '/nonexistent/ca.crt' }, 'cannot read REDIS_TLS_CA_FILE "/nonexistent/ca.crt" (ENOENT)'],
      ['a CA file that holds no certificate', { REDIS_TLS_CA_FILE: '<not-pem>' }, /^REDIS_TLS_CA_FILE ".*not-pem.txt" holds no PEM certificate/],
      ['a client certificate without its key', { REDIS_TLS_CERT_FILE: '<client.crt>' }, 'REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE must be set together: a client certificate needs its private key'],
      ['a key without its certificate', { REDIS_TLS_KEY_FILE: '<client.key>' }, 'REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE must be set together: a client certificate needs its private key'],
      ['a key that is not the certificate\'s', { REDIS_TLS_CERT_FILE: '<client.crt>', REDIS_TLS_KEY_FILE: '<other.key>' }, 'REDIS_TLS_KEY_FILE is not the private key of the certificate in REDIS_TLS_CERT_FILE'],
      ['a key file that holds no key', { REDIS_TLS_CERT_FILE: '<client.crt>', REDIS_TLS_KEY_FILE: '<not-pem>' }, /^REDIS_TLS_KEY_FILE ".*" holds no unencrypted PEM private key$/],
      ['a REDIS_TLS that is not a boolean', { REDIS_TLS: 'yes' }, 'REDIS_TLS="yes": expected true or false'],
    ])('%s', (_what, tlsEnv, problem) => {
      const files: Record<string, string> = {
        '<not-pem>': notPem,
        '<client.crt>': client.certFile,
        '<client.key>': client.keyFile,
        '<other.key>': otherClient.keyFile,
      };
      const env = Object.fromEntries(Object.entries(tlsEnv).map(([name, value]) => [name, files[value ?? ''] ?? value]));
      const problems = problemsOf({ REDIS_CLUSTER_NODES: NODES, REDIS_TLS: 'true', ...env });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(typeof problem === 'string' ? new RegExp(`^${problem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : problem);
    });

    it('a CA path that is a directory', () => {
      expect(problemsOf({ REDIS_CLUSTER_NODES: NODES, REDIS_TLS: 'true', REDIS_TLS_CA_FILE: dir })).toEqual([
        `cannot read REDIS_TLS_CA_FILE ${JSON.stringify(dir)} (EISDIR)`,
      ]);
    });

    it('TLS files while TLS is off', () => {
      expect(problemsOf({ REDIS_CLUSTER_NODES: NODES, REDIS_TLS_CA_FILE: ca.certFile })).toEqual([
        'REDIS_TLS_CA_FILE is set but TLS is off: set REDIS_TLS=true (or use a rediss:// URL)',
      ]);
      expect(problemsOf({ REDIS_URL: 'redis://cache:6379', REDIS_TLS: 'false', REDIS_TLS_CA_FILE: ca.certFile })).toEqual([
        'REDIS_TLS_CA_FILE is set but REDIS_TLS=false: set REDIS_TLS=true, or drop them',
      ]);
    });

    it('a user without a password', () => {
      expect(problemsOf({ REDIS_CLUSTER_NODES: NODES, REDIS_USERNAME: 'reader' })).toEqual([
        'REDIS_USERNAME is set without a password: set REDIS_PASSWORD (or give it in REDIS_URL)',
      ]);
    });

    it('credentials or TLS without any Redis', () => {
      expect(problemsOf({ REDIS_PASSWORD: SECRET_PASSWORD, REDIS_TLS: 'true' })).toEqual([
        'REDIS_PASSWORD, REDIS_TLS are set but no Redis is: set REDIS_CLUSTER_NODES or REDIS_URL',
      ]);
    });

    it('lists every problem at once, with the others of the configuration', () => {
      const problems = problemsOf({
        PORT: 'eighty',
        REDIS_URL: 'rediss://cache:6380',
        REDIS_USERNAME: 'reader',
        REDIS_TLS_CA_FILE: '/nonexistent/ca.crt',
        REDIS_TLS_CERT_FILE: client.certFile,
      });
      expect(problems).toEqual([
        'REDIS_USERNAME is set without a password: set REDIS_PASSWORD (or give it in REDIS_URL)',
        'REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE must be set together: a client certificate needs its private key',
        'cannot read REDIS_TLS_CA_FILE "/nonexistent/ca.crt" (ENOENT)',
        'PORT="eighty": expected an integer from 0 to 65535',
      ]);
    });
  });
});

describe("the kit's connection options (createRedisClient)", () => {
  it('a single node: username and password given in the config win over the URL\'s, field by field; rediss:// means TLS', () => {
    expect(singleNodeTarget({ kind: 'single', url: 'rediss://reader:old%40pw@cache:6380/1', password: 'new' })).toEqual({
      url: 'rediss://cache:6380/1',
      access: { username: 'reader', password: 'new', tls: {} },
    });
    expect(singleNodeTarget({ kind: 'single', url: 'redis://cache:6379', tls: { ca: 'PEM' } })).toEqual({
      url: 'redis://cache:6379',
      access: { tls: { ca: 'PEM' } },
    });
    expect(singleNodeTarget({ kind: 'single', url: 'redis://:pw@cache:6379' })).toEqual({ url: 'redis://cache:6379', access: { password: 'pw' } });
  });

  it('every node of a cluster: the same credentials and TLS, nothing undefined passed on', () => {
    expect(accessOptions({ username: 'svc', password: 'pw', tls: { ca: 'CA', cert: 'CERT', key: 'KEY' } })).toEqual({
      username: 'svc',
      password: 'pw',
      tls: { ca: 'CA', cert: 'CERT', key: 'KEY' },
    });
    expect(accessOptions({})).toEqual({});
  });
});

describe('a REDIS_URL whose credentials are not valid percent-encoding', () => {
  it('is a ConfigError that does not echo the URL', () => {
    expect(problemsOf({ REDIS_URL: 'redis://user:50%-off@cache:6379' })).toEqual([
      'REDIS_URL: its user name or password is not valid percent-encoding (%XX)',
    ]);
  });
});
