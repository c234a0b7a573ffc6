import { ConfigError } from '../../src/config/config-error';
import { parseDuration } from '../../src/config/duration';
import { loadConfig } from '../../src/config/load-config';
import { BadUserInputError } from '@graphql-auth-service/subgraph/errors';
import { assertAcceptablePassword } from '../../src/users/password-policy';
import { normalizeUsername } from '../../src/users/username';
import { acceptableUsername } from '../../src/users/username-policy';
import { hmacKeyId } from '@graphql-auth-service/subgraph/tokens/key-ring';
import { activeKeyEntry, pemKeyPair } from '../support/key-fixtures';
import { keyRingOf } from '../../src/tokens/signing-key-set';

type Env = Record<string, string | undefined>;

const SECRET = 'a-test-secret-of-at-least-thirty-two-bytes';
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A valid production-like environment, so each test changes only what it is about. */
const SERVER_SECRET = 'another-secret-of-at-least-thirty-two-bytes';
const base: Env = { NODE_ENV: 'test', JWT_SECRET: SECRET, SERVER_SECRET };

/** The ConfigError that loading this environment throws; fails the test when it loads. */
function configErrorOf(env: Env): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  describe('defaults', () => {
    const config = loadConfig(base);

    it('listens on port 4000', () => {
      expect(config.http.port).toBe(4000);
    });

    it('caps a user at 5 sessions and evicts the oldest', () => {
      expect(config.sessions.maxPerUser).toBe(5);
      expect(config.sessions.limitPolicy).toBe('evict-oldest');
    });

    it('enforces the session check', () => {
      expect(config.sessions.check).toBe('enforce');
    });

    it('hashes passwords with bcrypt cost 12', () => {
      expect(config.bcryptCost).toBe(12);
    });

    it('issues access tokens for 15 minutes and keeps sessions for 7 days', () => {
      expect(config.jwt.accessTokenTtlMs).toBe(15 * MINUTE);
      expect(config.sessions.maxTtlMs).toBe(7 * DAY);
      expect(config.sessions.idleTtlMs).toBe(7 * DAY);
    });

    it('runs on the in-memory store when no Redis is configured', () => {
      expect(config.redis).toEqual({ kind: 'memory' });
    });

    it('is development when NODE_ENV is not set', () => {
      expect(loadConfig({}).environment).toBe('development');
    });
  });

  it('reads valid values', () => {
    const config = loadConfig({
      ...base,
      PORT: '8080',
      MAX_SESSIONS_PER_USER: '0',
      SESSION_LIMIT_POLICY: 'reject',
      SESSION_CHECK: 'record',
      BCRYPT_COST: '4',
      ACCESS_TOKEN_TTL: '5m',
      SESSION_TTL: '1h30m',
      REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7001,[::1]:7002',
    });
    expect(config.http.port).toBe(8080);
    expect(config.sessions).toMatchObject({ maxPerUser: 0, limitPolicy: 'reject', check: 'record', maxTtlMs: 90 * MINUTE, idleTtlMs: 90 * MINUTE });
    expect(config.bcryptCost).toBe(4);
    expect(config.jwt.accessTokenTtlMs).toBe(5 * MINUTE);
    expect(config.redis).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '::1', port: 7002 },
      ],
    });
    expect(loadConfig({ ...base, REDIS_URL: 'redis://cache:6379/0' }).redis).toEqual({
      kind: 'single',
      url: 'redis://cache:6379/0',
    });
  });

  describe('a bad value is a ConfigError naming the variable and what it allows', () => {
    const cases: { env: Env; names: readonly string[]; allowed: RegExp }[] = [
      { env: { PORT: 'abc' }, names: ['PORT'], allowed: /integer from 0 to 65535/ },
      { env: { PORT: '70000' }, names: ['PORT'], allowed: /integer from 0 to 65535/ },
      { env: { MAX_SESSIONS_PER_USER: '-1' }, names: ['MAX_SESSIONS_PER_USER'], allowed: /integer from 0 to/ },
      { env: { SESSION_LIMIT_POLICY: 'drop' }, names: ['SESSION_LIMIT_POLICY'], allowed: /evict-oldest, reject/ },
      { env: { SESSION_CHECK: 'maybe' }, names: ['SESSION_CHECK'], allowed: /enforce, record, off/ },
      { env: { BCRYPT_COST: '3' }, names: ['BCRYPT_COST'], allowed: /integer from 4 to 31/ },
      { env: { ACCESS_TOKEN_TTL: 'soon' }, names: ['ACCESS_TOKEN_TTL'], allowed: /duration such as .*15m/ },
      { env: { SESSION_TTL: '0' }, names: ['SESSION_TTL'], allowed: /at least 1s/ },
      { env: { JWT_SECRET: 'x'.repeat(31) }, names: ['JWT_SECRET'], allowed: /at least 32 bytes/ },
      { env: { REDIS_CLUSTER_NODES: 'nonsense' }, names: ['REDIS_CLUSTER_NODES'], allowed: /host:port/ },
      { env: { REDIS_CLUSTER_NODES: 'a:1,b:0' }, names: ['REDIS_CLUSTER_NODES'], allowed: /host:port/ },
      { env: { REDIS_URL: 'http://cache:6379' }, names: ['REDIS_URL'], allowed: /redis:\/\/ or rediss:\/\// },
      {
        env: { REDIS_URL: 'redis://cache:6379', REDIS_CLUSTER_NODES: 'cache:7000' },
        names: ['REDIS_URL', 'REDIS_CLUSTER_NODES'],
        allowed: /choose the cluster or the single node/,
      },
      {
        env: { BOOTSTRAP_ADMIN_USERNAME: 'root' },
        names: ['BOOTSTRAP_ADMIN_USERNAME', 'BOOTSTRAP_ADMIN_PASSWORD'],
        allowed: /set together/,
      },
      {
        env: { BOOTSTRAP_ADMIN_PASSWORD: 'a long enough password' },
        names: ['BOOTSTRAP_ADMIN_USERNAME', 'BOOTSTRAP_ADMIN_PASSWORD'],
        allowed: /set together/,
      },
      {
        env: { ACCESS_TOKEN_TTL: '2h', SESSION_TTL: '1h' },
        names: ['ACCESS_TOKEN_TTL', 'SESSION_TTL'],
        allowed: /must not be longer/,
      },
      { env: { NODE_ENV: 'prod' }, names: ['NODE_ENV'], allowed: /development, production, test/ },
      { env: { AUTH_PROVIDER: 'ldap' }, names: ['AUTH_PROVIDER'], allowed: /local, remote/ },
      { env: { AUTH_PROVIDER: 'remote' }, names: ['REMOTE_AUTH_URL'], allowed: /http:\/\/ or https:\/\// },
      { env: { REMOTE_AUTH_URL: 'https://idp.example.com/verify' }, names: ['REMOTE_AUTH_URL', 'AUTH_PROVIDER'], allowed: /not remote/ },
      {
        env: { AUTH_PROVIDER: 'remote', REMOTE_AUTH_URL: 'https://idp.example.com/verify', BOOTSTRAP_ADMIN_USERNAME: 'root', BOOTSTRAP_ADMIN_PASSWORD: 'a long enough password' },
        names: ['BOOTSTRAP_ADMIN_USERNAME', 'AUTH_PROVIDER=remote'],
        allowed: /remote system/,
      },
      { env: { REFRESH_TOKEN_COOKIE: 'yes' }, names: ['REFRESH_TOKEN_COOKIE'], allowed: /true or false/ },
      { env: { CORS_ORIGINS: 'https://app.example.com/path' }, names: ['CORS_ORIGINS'], allowed: /origins like/ },
      { env: { CORS_ORIGINS: '*' }, names: ['CORS_ORIGINS'], allowed: /no wildcard/ },
      { env: { SESSION_IDLE_TTL: '2d', SESSION_MAX_TTL: '1d' }, names: ['SESSION_IDLE_TTL', 'SESSION_MAX_TTL'], allowed: /must not be longer/ },
      { env: { ACCESS_TOKEN_TTL: '2h', SESSION_IDLE_TTL: '1h' }, names: ['ACCESS_TOKEN_TTL', 'SESSION_IDLE_TTL'], allowed: /must not be longer/ },
      { env: { SESSION_TTL: '1d', SESSION_MAX_TTL: '2d' }, names: ['SESSION_TTL', 'SESSION_MAX_TTL'], allowed: /old name/ },
      // Not also "longer than SESSION_TTL": the 15m fallback is nothing the operator set.
      { env: { ACCESS_TOKEN_TTL: 'soon', SESSION_TTL: '10m' }, names: ['ACCESS_TOKEN_TTL'], allowed: /duration such as/ },
    ];

    it.each(cases)('$env', ({ env, names, allowed }) => {
      const error = configErrorOf({ ...base, ...env });
      expect(error.problems).toHaveLength(1);
      const [problem] = error.problems;
      for (const name of names) expect(problem).toContain(name);
      expect(problem).toMatch(allowed);
      expect(error.message).toContain(problem);
    });
  });

  it('reads the remote provider with its timeout, and local by default', () => {
    expect(loadConfig(base).authProvider).toEqual({ kind: 'local' });
    expect(
      loadConfig({ ...base, AUTH_PROVIDER: 'remote', REMOTE_AUTH_URL: 'https://idp.example.com/verify', REMOTE_AUTH_TIMEOUT: '1500ms' }).authProvider,
    ).toEqual({ kind: 'remote', url: 'https://idp.example.com/verify', timeoutMs: 1_500 });
  });

  it('reads the SPA settings and the session lifetimes', () => {
    const config = loadConfig({
      ...base,
      REFRESH_TOKEN_COOKIE: 'true',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
      SESSION_IDLE_TTL: '1h',
      SESSION_MAX_TTL: '30d',
    });
    expect(config.http).toMatchObject({ refreshTokenCookie: true, corsOrigins: ['https://app.example.com', 'http://localhost:5173'] });
    expect(config.sessions).toMatchObject({ idleTtlMs: 3_600_000, maxTtlMs: 30 * 86_400_000 });
  });

  it('reports several bad values at once', () => {
    const error = configErrorOf({
      ...base,
      PORT: 'abc',
      BCRYPT_COST: '3',
      SESSION_CHECK: 'maybe',
      ACCESS_TOKEN_TTL: 'soon',
      BOOTSTRAP_ADMIN_USERNAME: 'root',
    });
    const variables = ['PORT', 'BCRYPT_COST', 'SESSION_CHECK', 'ACCESS_TOKEN_TTL', 'BOOTSTRAP_ADMIN_USERNAME'];
    expect(error.problems).toHaveLength(variables.length);
    for (const variable of variables) {
      expect(error.problems.filter((problem) => problem.includes(variable))).toHaveLength(1);
      expect(error.message).toContain(variable);
    }
  });

  it('counts JWT_SECRET length in UTF-8 bytes', () => {
    // 16 characters of 2 bytes each: 32 bytes.
    expect(loadConfig({ ...base, JWT_SECRET: 'é'.repeat(16) }).jwt.signingKeys.active.kid).toBe(hmacKeyId(Buffer.from('é'.repeat(16))));
    expect(configErrorOf({ ...base, JWT_SECRET: `${'é'.repeat(15)}a` }).problems[0]).toContain('JWT_SECRET');
  });

  it('uses the given JWT_SECRET as the one HS256 signing key', () => {
    const { jwt } = loadConfig(base);
    expect(jwt.signingKeys.active).toMatchObject({ algorithm: 'HS256', kid: hmacKeyId(Buffer.from(SECRET)) });
    expect(keyRingOf(jwt.signingKeys).keys()).toHaveLength(1);
    expect(jwt.secretGenerated).toBe(false);
  });

  it('builds the key ring from JWT_KEYS, and refuses JWT_KEYS together with JWT_SECRET', () => {
    const keys = JSON.stringify([
      activeKeyEntry('new-ed', 'EdDSA', pemKeyPair('ed25519')),
      { kid: 'old-hs', alg: 'HS256', secret: SECRET },
    ]);
    const { JWT_SECRET: _secret, ...withoutSecret } = base;
    const ring = keyRingOf(loadConfig({ ...withoutSecret, JWT_KEYS: keys }).jwt.signingKeys);
    expect(ring.active).toMatchObject({ kid: 'new-ed', algorithm: 'EdDSA' });
    expect(ring.find('old-hs')?.algorithm).toBe('HS256');
    expect(configErrorOf({ ...base, JWT_KEYS: keys }).problems).toEqual([expect.stringMatching(/JWT_SECRET is set together with JWT_KEYS/)]);
    const production = { NODE_ENV: 'production', STORE: 'memory', JWT_KEYS: keys, SERVER_SECRET };
    expect(loadConfig(production).jwt.signingKeys.active.kid).toBe('new-ed');
  });

  it('refuses to start in production without JWT_SECRET', () => {
    const error = configErrorOf({ NODE_ENV: 'production', STORE: 'memory', SERVER_SECRET });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/JWT_SECRET.*or JWT_KEYS.*required in production/);
  });

  it('generates a random secret of at least 32 bytes in development without JWT_SECRET', () => {
    const first = loadConfig({ NODE_ENV: 'development' });
    const second = loadConfig({ NODE_ENV: 'development' });
    expect(first.jwt.secretGenerated).toBe(true);
    expect(first.jwt.signingKeys.active.algorithm).toBe('HS256');
    expect(first.jwt.signingKeys.active.kid).not.toBe(second.jwt.signingKeys.active.kid);
  });

  describe('the bootstrap admin', () => {
    it('is generated in development on the in-memory store, with a random password', () => {
      const first = loadConfig({ NODE_ENV: 'development' }).bootstrapAdmin;
      const second = loadConfig({ NODE_ENV: 'development' }).bootstrapAdmin;
      expect(first?.generated).toBe(true);
      expect(first?.username).toBe('admin');
      expect(first?.password.length).toBeGreaterThanOrEqual(12);
      expect(first?.password).not.toBe(second?.password);
    });

    it.each<[string, Env]>([
      ['development on the cluster', { NODE_ENV: 'development', REDIS_CLUSTER_NODES: '127.0.0.1:7000' }],
      ['development on a single node', { NODE_ENV: 'development', REDIS_URL: 'redis://127.0.0.1:6379' }],
      ['test on the in-memory store', { NODE_ENV: 'test' }],
      ['production on the in-memory store', { NODE_ENV: 'production', STORE: 'memory', JWT_SECRET: SECRET, SERVER_SECRET }],
      ['production on the cluster', { NODE_ENV: 'production', JWT_SECRET: SECRET, SERVER_SECRET, REDIS_CLUSTER_NODES: 'h:7000' }],
    ])('is not generated in %s', (_, env) => {
      expect(loadConfig(env).bootstrapAdmin).toBeUndefined();
    });

    it('is taken from the two variables when both are set, in any environment', () => {
      const env = { ...base, NODE_ENV: 'production', STORE: 'memory', BOOTSTRAP_ADMIN_USERNAME: 'root', BOOTSTRAP_ADMIN_PASSWORD: 'pw pw pw pw' };
      expect(loadConfig(env).bootstrapAdmin).toEqual({ username: 'root', password: 'pw pw pw pw', generated: false });
    });
  });

  describe('the store', () => {
    const DATABASE_URL = 'postgres://auth:s3cret-pw@db.internal:5432/auth';
    const production = { NODE_ENV: 'production', JWT_SECRET: SECRET, SERVER_SECRET };

    it.each<[string, Env, string]>([
      ['nothing configured', {}, 'memory'],
      ['REDIS_CLUSTER_NODES', { REDIS_CLUSTER_NODES: 'h:7000' }, 'redis'],
      ['REDIS_URL', { REDIS_URL: 'redis://h:6379' }, 'redis'],
      ['DATABASE_URL', { DATABASE_URL }, 'postgres'],
      ['a postgresql:// DATABASE_URL with libpq parameters', { DATABASE_URL: 'postgresql://u:p@h/db?sslmode=verify-full' }, 'postgres'],
      ['STORE=postgres with DATABASE_URL', { STORE: 'postgres', DATABASE_URL }, 'postgres'],
      ['STORE=redis with REDIS_URL', { STORE: 'redis', REDIS_URL: 'redis://h:6379' }, 'redis'],
      ['STORE=memory alone', { STORE: 'memory' }, 'memory'],
    ])('is chosen by %s', (_, env, kind) => {
      expect(loadConfig({ ...base, ...env }).store).toBe(kind);
    });

    it('takes the pool size from DATABASE_POOL_SIZE, 10 by default', () => {
      expect(loadConfig({ ...base, DATABASE_URL }).database).toEqual({ url: DATABASE_URL, poolSize: 10 });
      expect(loadConfig({ ...base, DATABASE_URL, DATABASE_POOL_SIZE: '40' }).database?.poolSize).toBe(40);
    });

    it.each<[string, Env, RegExp]>([
      ['Redis and a database together', { REDIS_CLUSTER_NODES: 'h:7000', DATABASE_URL }, /REDIS_CLUSTER_NODES or REDIS_URL\) and DATABASE_URL are both set.*one store/],
      ['STORE=memory beside a database', { STORE: 'memory', DATABASE_URL }, /STORE=memory, but DATABASE_URL is set too/],
      ['STORE=memory beside Redis', { STORE: 'memory', REDIS_URL: 'redis://h:6379' }, /STORE=memory, but REDIS_CLUSTER_NODES or REDIS_URL is set too/],
      ['STORE=postgres without DATABASE_URL', { STORE: 'postgres' }, /STORE=postgres needs DATABASE_URL=postgres:\/\//],
      ['STORE=redis without Redis', { STORE: 'redis' }, /STORE=redis needs REDIS_CLUSTER_NODES/],
      ['STORE=postgres beside Redis', { STORE: 'postgres', REDIS_URL: 'redis://h:6379' }, /STORE=postgres needs DATABASE_URL/],
      ['an unknown STORE', { STORE: 'mysql' }, /STORE.*memory, redis, postgres/],
      ['a DATABASE_URL of another scheme', { DATABASE_URL: 'mysql://u:s3cret-pw@h/db' }, /DATABASE_URL: expected a postgres:\/\/ or postgresql:\/\/ URL/],
      ['DATABASE_POOL_SIZE without a database', { DATABASE_POOL_SIZE: '5' }, /DATABASE_POOL_SIZE is set but DATABASE_URL is not/],
    ])('refuses %s, saying what to change', (_, env, problem) => {
      const { problems } = configErrorOf({ ...base, ...env });
      expect(problems).toEqual([expect.stringMatching(problem)]);
      // A URL holds a password: no message repeats it.
      expect(problems.join('\n')).not.toContain('s3cret-pw');
    });

    it('refuses production without a store, naming the settings to use, and starts on memory only when STORE=memory says so', () => {
      const { problems } = configErrorOf(production);
      expect(problems).toEqual([
        expect.stringMatching(/NODE_ENV=production and no store is configured: .*lost on restart.*set REDIS_CLUSTER_NODES \(or REDIS_URL\).*or DATABASE_URL=postgres:\/\/.*Set STORE=memory/),
      ]);
      expect(loadConfig({ ...production, STORE: 'memory' }).store).toBe('memory');
      expect(loadConfig({ ...production, DATABASE_URL }).store).toBe('postgres');
      expect(loadConfig({ ...production, REDIS_CLUSTER_NODES: 'h:7000' }).store).toBe('redis');
    });

    it('generates no development administrator on a database: its data is not throwaway', () => {
      expect(loadConfig({ NODE_ENV: 'development', DATABASE_URL }).bootstrapAdmin).toBeUndefined();
    });
  });

  it('returns a frozen configuration, nested objects included', () => {
    const config = loadConfig({ ...base, REDIS_CLUSTER_NODES: '127.0.0.1:7000' });
    expect(Object.isFrozen(config)).toBe(true);
    for (const part of [config.http, config.redis, config.jwt, config.sessions]) expect(Object.isFrozen(part)).toBe(true);
    if (config.redis.kind !== 'cluster') throw new Error('expected the cluster configuration');
    expect(Object.isFrozen(config.redis.nodes)).toBe(true);
    expect(Object.isFrozen(config.redis.nodes[0])).toBe(true);

    expect(() => {
      (config.sessions as { maxPerUser: number }).maxPerUser = 1_000;
    }).toThrow(TypeError);
    expect(config.sessions.maxPerUser).toBe(5);
  });
});

describe('parseDuration', () => {
  it.each<[string, number]>([
    ['500ms', 500],
    ['30s', 30 * SECOND],
    ['15m', 15 * MINUTE],
    ['12h', 12 * HOUR],
    ['7d', 7 * DAY],
    ['1h30m', 90 * MINUTE],
    ['1d12h', 36 * HOUR],
    ['2m500ms', 2 * MINUTE + 500],
    ['90', 90 * SECOND],
    ['0', 0],
    ['  15m  ', 15 * MINUTE],
  ])('reads %p as %p ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '   ', 'soon', '15 m', 'm15', '15M', '-5m', '1.5h', '2w', '15m later', '15mm', 'h', '1h 30m', '0x10'])(
    'refuses %p',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );
});

describe('normalizeUsername', () => {
  it.each<[string, string]>([
    ['alice', 'alice'],
    ['Alice', 'alice'],
    ['ALICE', 'alice'],
    ['Ａｌｉｃｅ', 'alice'],
    ['  alice  ', 'alice'],
    ['\u3000alice\u3000', 'alice'],
    ['e\u0301lodie', 'élodie'],
    ['ÉLODIE', 'élodie'],
    ['ﬁona', 'fiona'],
    ['Bob.Smith@Example.COM', 'bob.smith@example.com'],
  ])('normalizes %p to %p', (input, expected) => {
    expect(normalizeUsername(input)).toBe(expected);
  });

  it('gives every spelling of one name the same result', () => {
    const spellings = ['Zoë', 'ZOË', 'zoe\u0308', 'ＺＯＥ\u0308'];
    expect(new Set(spellings.map(normalizeUsername)).size).toBe(1);
  });
});

describe('acceptableUsername', () => {
  it.each<[string, string]>([
    ['alice', 'alice'],
    ['  Alice ', 'alice'],
    ['bob.smith@example.com', 'bob.smith@example.com'],
    ['o_brien-2', 'o_brien-2'],
    ['7of9', '7of9'],
    ['Ｊüｒｇｅｎ', 'jürgen'],
    ['李小龙', '李小龙'],
    ['a'.repeat(64), 'a'.repeat(64)],
    ['é'.repeat(64), 'é'.repeat(64)],
  ])('accepts %p as %p', (input, expected) => {
    expect(acceptableUsername(input)).toBe(expected);
  });

  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['65 characters', 'a'.repeat(65)],
    ['a space inside', 'alice smith'],
    ['a leading dot', '.alice'],
    ['a leading dash', '-alice'],
    ['braces (a Redis hash tag)', 'a{b}'],
    ['a colon', 'a:b'],
    ['a control character', 'ali\u0000ce'],
    ['a newline', 'alice\nadmin'],
    ['a slash', 'a/b'],
  ])('refuses %s with BAD_USER_INPUT on the username field', (_, input) => {
    let thrown: unknown;
    try {
      acceptableUsername(input);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BadUserInputError);
    expect((thrown as BadUserInputError).details).toEqual({ field: 'username' });
  });
});

describe('assertAcceptablePassword', () => {
  it.each([
    ['8 ASCII characters', 'abcdefgh'],
    ['72 ASCII bytes', 'a'.repeat(72)],
    ['36 two-byte characters (72 bytes)', 'é'.repeat(36)],
    ['24 three-byte characters (72 bytes)', '€'.repeat(24)],
    ['18 four-byte characters (72 bytes)', '😀'.repeat(18)],
    ['8 emoji, counted as 8 characters', '😀'.repeat(8)],
    ['a passphrase with spaces', 'correct horse battery staple'],
  ])('accepts %s', (_, password) => {
    expect(() => assertAcceptablePassword(password, 'alice')).not.toThrow();
  });

  it.each([
    ['7 characters', 'abcdefg', /at least 8 characters/],
    ['73 ASCII bytes', 'a'.repeat(73), /at most 72 bytes/],
    ['37 two-byte characters (74 bytes)', 'é'.repeat(37), /at most 72 bytes/],
    ['71 ASCII bytes and one two-byte character', `${'a'.repeat(71)}é`, /at most 72 bytes/],
    ['19 four-byte characters (76 bytes)', '😀'.repeat(19), /at most 72 bytes/],
    ['the username', 'alice123', /must not equal the username/],
    ['the username in another case', 'ALICE123', /must not equal the username/],
    ['the username in full-width letters', 'ＡＬＩＣＥ１２３', /must not equal the username/],
  ])('refuses %s', (_, password, message) => {
    let thrown: unknown;
    try {
      assertAcceptablePassword(password, 'alice123');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BadUserInputError);
    expect((thrown as BadUserInputError).message).toMatch(message);
    expect((thrown as BadUserInputError).details).toEqual({ field: 'password' });
  });
});

describe('secrets, federation and metrics configuration', () => {
  it('refuses to start in production without SERVER_SECRET, naming how to make one', () => {
    const problems = configErrorOf({ NODE_ENV: 'production', STORE: 'memory', JWT_SECRET: SECRET }).problems;
    expect(problems).toEqual([expect.stringMatching(/SERVER_SECRET is required in production: at least 32 bytes.*openssl rand/)]);
  });

  it('uses one fixed SERVER_SECRET outside production, so development instances and the CLI count alike', () => {
    const { SERVER_SECRET: _set, ...withoutServerSecret } = base;
    const first = loadConfig(withoutServerSecret).serverSecret;
    expect(Buffer.byteLength(first)).toBeGreaterThanOrEqual(32);
    expect(loadConfig(withoutServerSecret).serverSecret).toBe(first);
    expect(loadConfig(base).serverSecret).toBe(SERVER_SECRET);
  });

  it.each([
    ['SERVER_SECRET', 'short'],
    ['GATEWAY_SECRET', 'also short'],
  ])('refuses a %s under 32 bytes', (name, value) => {
    expect(configErrorOf({ ...base, [name]: value }).problems).toEqual([expect.stringMatching(new RegExp(`^${name} must be at least 32 bytes`))]);
  });

  it('takes GATEWAY_SECRET, and has none by default', () => {
    expect(loadConfig(base).federation.gatewaySecret).toBeUndefined();
    expect(loadConfig({ ...base, GATEWAY_SECRET: SECRET }).federation.gatewaySecret).toBe(SECRET);
  });

  it('serves metrics on the API port only when METRICS_PORT is unset, and never on the API port itself', () => {
    expect(loadConfig(base).http.metricsPort).toBeUndefined();
    expect(loadConfig({ ...base, METRICS_PORT: '9464' }).http.metricsPort).toBe(9464);
    expect(configErrorOf({ ...base, PORT: '9464', METRICS_PORT: '9464' }).problems).toEqual([expect.stringMatching(/METRICS_PORT must differ from PORT/)]);
  });

  it('bounds entity representations per request at 100 unless MAX_REPRESENTATIONS says otherwise', () => {
    expect(loadConfig(base).graphql.maxRepresentations).toBe(100);
    expect(loadConfig({ ...base, MAX_REPRESENTATIONS: '20' }).graphql.maxRepresentations).toBe(20);
    expect(configErrorOf({ ...base, MAX_REPRESENTATIONS: '0' }).problems).toEqual([expect.stringMatching(/^MAX_REPRESENTATIONS=/)]);
  });
});

describe('security configuration', () => {
  it('protects logins by default: 5 failures per username at one address, 20 per address, 1m doubling to 15m, forgotten after 12h', () => {
    expect(loadConfig(base).bruteForce).toMatchObject({
      enabled: true,
      pair: { failureFactor: 5, waitIncrementMs: MINUTE, maxWaitMs: 15 * MINUTE, failureResetMs: 12 * HOUR },
      clientAddress: { failureFactor: 20, waitIncrementMs: MINUTE, maxWaitMs: 15 * MINUTE, failureResetMs: 12 * HOUR },
    });
  });

  it('refuses a maximum wait shorter than the increment', () => {
    expect(configErrorOf({ ...base, BRUTE_FORCE_WAIT_INCREMENT: '10m', BRUTE_FORCE_MAX_WAIT: '5m' }).problems).toEqual([
      'BRUTE_FORCE_MAX_WAIT must not be shorter than BRUTE_FORCE_WAIT_INCREMENT',
    ]);
  });

  it.each([
    [undefined, false],
    ['false', false],
    ['2', 2],
    ['loopback, 10.0.0.0/8', ['loopback', '10.0.0.0/8']],
    ['2001:db8::/32', ['2001:db8::/32']],
  ])('reads TRUST_PROXY=%j', (text, expected) => {
    expect(loadConfig({ ...base, TRUST_PROXY: text }).http.trustProxy).toEqual(expected);
  });

  it.each([
    ['true', /forge its address/],
    ['11', /hop count must be from 1 to 10/],
    ['10.0.0.0/99, proxy.example.com', /"10.0.0.0\/99", "proxy.example.com" is not/],
  ])('refuses TRUST_PROXY=%j', (text, message) => {
    const [problem] = configErrorOf({ ...base, TRUST_PROXY: text }).problems;
    expect(problem).toMatch(message);
  });

  it('turns introspection off in production unless GRAPHQL_INTROSPECTION says otherwise', () => {
    expect(loadConfig(base).graphql.introspection).toBe(true);
    expect(loadConfig({ ...base, NODE_ENV: 'production', STORE: 'memory' }).graphql.introspection).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'production', STORE: 'memory', GRAPHQL_INTROSPECTION: 'true' }).graphql.introspection).toBe(true);
  });

  it('bounds GraphQL documents by default', () => {
    expect(loadConfig(base).graphql).toMatchObject({ maxDepth: 15, maxCost: 1_000, maxAliases: 15, maxBatch: 1, maxTokens: 2_000 });
  });

  it('names every bad limit at once', () => {
    const problems = configErrorOf({ ...base, GRAPHQL_MAX_DEPTH: '0', GRAPHQL_MAX_BATCH: 'many' }).problems;
    expect(problems).toEqual([
      'GRAPHQL_MAX_DEPTH="0": expected an integer from 2 to 100',
      'GRAPHQL_MAX_BATCH="many": expected an integer from 1 to 100',
    ]);
  });
});

describe('brute-force configuration: locks per username at one address and per address, spacing per username', () => {
  it('spaces a username after 10 failures from all addresses, 1 s apart doubling to 30 s, forgotten after 12h', () => {
    expect(loadConfig(base).bruteForce).toEqual({
      enabled: true,
      pair: { failureFactor: 5, waitIncrementMs: MINUTE, maxWaitMs: 15 * MINUTE, failureResetMs: 12 * HOUR },
      clientAddress: { failureFactor: 20, waitIncrementMs: MINUTE, maxWaitMs: 15 * MINUTE, failureResetMs: 12 * HOUR },
      usernameSlowdown: { failureFactor: 10, incrementMs: SECOND, maxDelayMs: 30 * SECOND, failureResetMs: 12 * HOUR },
    });
  });

  it('reads every BRUTE_FORCE_ variable', () => {
    const config = loadConfig({
      ...base,
      BRUTE_FORCE_FAILURE_FACTOR: '3',
      BRUTE_FORCE_IP_FAILURE_FACTOR: '50',
      BRUTE_FORCE_WAIT_INCREMENT: '30s',
      BRUTE_FORCE_MAX_WAIT: '1h',
      BRUTE_FORCE_FAILURE_RESET: '1d',
      BRUTE_FORCE_USERNAME_SLOWDOWN_FACTOR: '25',
      BRUTE_FORCE_SLOWDOWN_INCREMENT: '500ms',
      BRUTE_FORCE_MAX_SLOWDOWN: '2m',
    }).bruteForce;
    expect(config).toEqual({
      enabled: true,
      pair: { failureFactor: 3, waitIncrementMs: 30 * SECOND, maxWaitMs: HOUR, failureResetMs: DAY },
      clientAddress: { failureFactor: 50, waitIncrementMs: 30 * SECOND, maxWaitMs: HOUR, failureResetMs: DAY },
      usernameSlowdown: { failureFactor: 25, incrementMs: 500, maxDelayMs: 2 * MINUTE, failureResetMs: DAY },
    });
  });

  it('starts the spacing at twice the failure factor unless BRUTE_FORCE_USERNAME_SLOWDOWN_FACTOR says otherwise', () => {
    expect(loadConfig({ ...base, BRUTE_FORCE_FAILURE_FACTOR: '8' }).bruteForce.usernameSlowdown.failureFactor).toBe(16);
    const equal = { ...base, BRUTE_FORCE_FAILURE_FACTOR: '8', BRUTE_FORCE_USERNAME_SLOWDOWN_FACTOR: '8' };
    expect(loadConfig(equal).bruteForce.usernameSlowdown.failureFactor).toBe(8);
  });

  it('refuses spacing that would start before one address is locked, or a maximum slowdown below its increment', () => {
    const problems = configErrorOf({
      ...base,
      BRUTE_FORCE_FAILURE_FACTOR: '5',
      BRUTE_FORCE_USERNAME_SLOWDOWN_FACTOR: '4',
      BRUTE_FORCE_SLOWDOWN_INCREMENT: '10s',
      BRUTE_FORCE_MAX_SLOWDOWN: '5s',
    }).problems;
    expect(problems).toEqual([
      'BRUTE_FORCE_USERNAME_SLOWDOWN_FACTOR=4 must not be lower than BRUTE_FORCE_FAILURE_FACTOR=5: one address would slow a username down for everyone before its own lock',
      'BRUTE_FORCE_MAX_SLOWDOWN must not be shorter than BRUTE_FORCE_SLOWDOWN_INCREMENT',
    ]);
  });

  it.each([
    ['BRUTE_FORCE_USERNAME_SLOWDOWN_FACTOR', '0', 'BRUTE_FORCE_USERNAME_SLOWDOWN_FACTOR="0": expected an integer from 1 to 100000'],
    ['BRUTE_FORCE_USERNAME_SLOWDOWN_FACTOR', 'ten', 'BRUTE_FORCE_USERNAME_SLOWDOWN_FACTOR="ten": expected an integer from 1 to 100000'],
    ['BRUTE_FORCE_SLOWDOWN_INCREMENT', 'soon', 'BRUTE_FORCE_SLOWDOWN_INCREMENT="soon": expected a duration such as 30s, 15m, 12h or 7d (at least 0.1s)'],
    ['BRUTE_FORCE_SLOWDOWN_INCREMENT', '50ms', 'BRUTE_FORCE_SLOWDOWN_INCREMENT="50ms": expected a duration such as 30s, 15m, 12h or 7d (at least 0.1s)'],
    ['BRUTE_FORCE_MAX_SLOWDOWN', '-1', 'BRUTE_FORCE_MAX_SLOWDOWN="-1": expected a duration such as 30s, 15m, 12h or 7d (at least 0.1s)'],
  ])('names %s in the problem with %j', (name, value, problem) => {
    expect(configErrorOf({ ...base, [name]: value }).problems).toEqual([problem]);
  });
});
