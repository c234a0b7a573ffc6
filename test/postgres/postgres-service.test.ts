import { createSubgraphAuthenticator, UnauthenticatedError } from '@graphql-auth-service/subgraph';
import { login, refreshTokenOf, type LoginData } from '../support/graphql-caller';
import { AuthenticatorApp } from '../support/authenticator-app';
import { CONFIRM_TOTP, ENROLL_TOTP, signIn } from '../support/second-factor-calls';
import { dumpSchema } from '../support/postgres';
import { postgresEnv } from '../support/service-stores';
import { type Env, TEST_JWT_SECRET } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';
import { tokenWithUnknownSession } from '../support/unknown-session-token';
import { createPostgresPool } from '../../src/postgres/pool';
import { startLocalPostgres } from '../../tools/postgres/launcher';

const PASSWORD = 'correct horse battery';
const ME = `{ me { username } }`;
const LOGIN = `mutation($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { accessToken } }`;
const REFRESH = `mutation($token: String) { refresh(refreshToken: $token) { accessToken refreshToken } }`;

const codeOf = (response: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => response.errors?.[0]?.extensions?.code;

describe('the service on PostgreSQL, as two instances on one database', () => {
  let env: Env;
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    env = await postgresEnv({
      MAX_SESSIONS_PER_USER: '5',
      TRUST_PROXY: 'loopback',
      BRUTE_FORCE_FAILURE_FACTOR: '5',
      BRUTE_FORCE_IP_FAILURE_FACTOR: '100',
      BRUTE_FORCE_WAIT_INCREMENT: '1m',
    });
    first = await startTestServer(env);
    second = await startTestServer(env);
    await first.deps.accounts.create({ username: 'root', password: PASSWORD, authorities: ['ROLE_ADMIN'] });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  const statusOf = async (server: TestServer, token: string) => (await server.call(ME, { token })).status;

  it('says in /readyz that the store is PostgreSQL', async () => {
    const ready = await fetch(new URL('/readyz', first.url));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', ready: true, store: 'postgres' });
  });

  it('refuses on one instance, at once, a logout, a log out everywhere and a forced logout made through the other', async () => {
    const user = await first.deps.accounts.create({ username: 'erin', password: PASSWORD });
    const [loggedOut, ...others] = await loginTimes(first, 'erin', 3);
    expect((await second.call(`mutation { logout }`, { token: loggedOut.accessToken })).data).toEqual({ logout: true });
    expect(await statusOf(first, loggedOut.accessToken)).toBe(401);
    expect(await statusOf(first, others[0].accessToken)).toBe(200);

    expect((await first.call(`mutation { logoutAll(keepCurrent: true) }`, { token: others[0].accessToken })).data).toEqual({ logoutAll: 1 });
    expect(await statusOf(second, others[1].accessToken)).toBe(401);
    expect(await statusOf(second, others[0].accessToken)).toBe(200);

    const admin = await login(second.call, 'root', PASSWORD);
    const forced = await second.call(`mutation($id: ID!) { forceLogout(userId: $id) }`, { token: admin.accessToken, variables: { id: user.id } });
    expect(forced.data).toEqual({ forceLogout: 1 });
    expect(await statusOf(first, others[0].accessToken)).toBe(401);
  });

  it('shares lockouts: five failures spread over both instances lock that address on both, even for the right password', async () => {
    await first.deps.accounts.create({ username: 'victim', password: PASSWORD });
    const from = { 'x-forwarded-for': '198.51.100.7' };
    for (let i = 0; i < 5; i++) {
      const wrong = await (i % 2 === 0 ? first : second).call(LOGIN, { variables: { u: 'victim', p: 'wrong password' }, headers: from });
      expect(codeOf(wrong)).toBe('UNAUTHENTICATED');
    }
    for (const server of [first, second]) {
      const locked = await server.call(LOGIN, { variables: { u: 'victim', p: PASSWORD }, headers: from });
      expect(locked.status).toBe(429);
      expect(locked.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 60 });
    }
    // The lock is the guesser's address's, not the account's.
    const owner = await second.call(LOGIN, { variables: { u: 'victim', p: PASSWORD }, headers: { 'x-forwarded-for': '198.51.100.8' } });
    expect(owner.errors).toBeUndefined();
  });

  it('keeps sessions across a restart of every instance: old access and refresh tokens still work', async () => {
    await first.deps.accounts.create({ username: 'frank', password: PASSWORD });
    const before = await login(first.call, 'frank', PASSWORD);
    await first.close();
    await second.close();
    first = await startTestServer(env);
    second = await startTestServer(env);

    expect((await second.call(ME, { token: before.accessToken })).data).toEqual({ me: { username: 'frank' } });
    const refreshed = await first.call(REFRESH, { variables: { token: refreshTokenOf(before) } });
    expect(refreshed.errors).toBeUndefined();
    expect(await statusOf(second, refreshed.data.refresh.accessToken)).toBe(200);
  });

  it('lets another subgraph check sessions against the same database with the kit', async () => {
    await first.deps.accounts.create({ username: 'grace', password: PASSWORD });
    const pool = createPostgresPool({ url: env.DATABASE_URL, poolSize: 2 });
    try {
      const authenticate = createSubgraphAuthenticator({
        issuer: first.config.jwt.issuer,
        audience: first.config.jwt.audience,
        keys: { secret: TEST_JWT_SECRET },
        sessions: { postgres: pool },
      });
      const session = await login(first.call, 'grace', PASSWORD);
      expect(await authenticate(`Bearer ${session.accessToken}`, {})).toMatchObject({
        userId: session.user.id,
        sessionId: session.session.id,
        account: { username: 'grace', disabled: false },
      });
      await second.call(`mutation { logout }`, { token: session.accessToken });
      await expect(authenticate(`Bearer ${session.accessToken}`, {})).rejects.toBeInstanceOf(UnauthenticatedError);
    } finally {
      await pool.end();
    }
  });

  it('holds no token, password, authenticator secret or recovery code in a dump of the database', async () => {
    await first.deps.accounts.create({ username: 'heidi', password: PASSWORD });
    const plain = await login(first.call, 'heidi', PASSWORD);
    const enrolled = await first.call(ENROLL_TOTP, { token: plain.accessToken });
    const app = new AuthenticatorApp(enrolled.data.enrollTotp.otpauthUrl);
    const confirmed = await first.call(CONFIRM_TOTP, { token: plain.accessToken, variables: { code: app.codeAt(Date.now()) } });
    const recoveryCodes = confirmed.data.confirmTotp as string[];
    const withCode = await signIn(first.call, 'heidi', PASSWORD, recoveryCodes[0]);
    const rotated = (await first.call(REFRESH, { variables: { token: withCode.refreshToken } })).data.refresh;

    const dump = await dumpSchema(env.DATABASE_URL);
    // The dump does hold the accounts and sessions: the absences below are not those of an empty dump.
    expect(dump).toContain('heidi');
    expect(dump).toContain(plain.session.id);
    const secrets = [
      PASSWORD,
      ...[plain.accessToken, withCode.accessToken, rotated.accessToken].flatMap((token) => [token, token.split('.')[2]]),
      ...[refreshTokenOf(plain), withCode.refreshToken, rotated.refreshToken].flatMap((token) => [token, token.split('.').at(-1) as string]),
      enrolled.data.enrollTotp.secret,
      ...recoveryCodes,
    ];
    for (const secret of secrets) expect(dump).not.toContain(secret);
  });
});

describe('the session cap on PostgreSQL under concurrent logins', () => {
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    // Room for 50 logins in flight from one address: the race under test is the cap's, not the throttle's.
    const env = await postgresEnv({ MAX_SESSIONS_PER_USER: '5', BRUTE_FORCE_FAILURE_FACTOR: '100', BRUTE_FORCE_IP_FAILURE_FACTOR: '100' });
    first = await startTestServer(env);
    second = await startTestServer(env);
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('leaves exactly 5 live sessions after 50 concurrent logins through two instances, and the table holds just those', async () => {
    await first.deps.accounts.create({ username: 'dave', password: PASSWORD });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => login((i % 2 === 0 ? first : second).call, 'dave', PASSWORD, `agent-${i}`)),
    );
    expect(results.reduce((sum, result) => sum + result.evictedSessions, 0)).toBe(45);

    const live: string[] = [];
    for (const result of results) {
      if ((await second.call(ME, { token: result.accessToken })).status === 200) live.push(result.session.id);
    }
    expect(live).toHaveLength(5);
    const { rows } = await (first.deps.postgres ?? fail('no pool')).query<{ id: string }>('SELECT id FROM sessions WHERE user_id = $1', [
      results[0].user.id,
    ]);
    expect(rows.map((row) => row.id).sort()).toEqual([...live].sort());
  });

});

describe('rollout mode on PostgreSQL', () => {
  let env: Env;
  let recording: TestServer;

  beforeAll(async () => {
    env = await postgresEnv({ SESSION_CHECK: 'record' });
    recording = await startTestServer(env);
  });
  afterAll(() => recording.close());

  it('records an unknown session of a valid token, which enforce mode then accepts; a logged-out one stays refused', async () => {
    const { id: userId } = await recording.deps.accounts.create({ username: 'kim', password: PASSWORD });
    const { token, sessionId } = tokenWithUnknownSession(recording, userId);
    expect((await recording.call(ME, { token, headers: { 'user-agent': 'legacy-app' } })).data).toEqual({ me: { username: 'kim' } });
    const { rows } = await (recording.deps.postgres ?? fail('no pool')).query('SELECT user_agent, refresh_token_hash FROM sessions WHERE id = $1', [sessionId]);
    expect(rows).toEqual([{ user_agent: 'legacy-app', refresh_token_hash: null }]);

    const loggedOut = await login(recording.call, 'kim', PASSWORD);
    await recording.call(`mutation { logout }`, { token: loggedOut.accessToken });
    expect((await recording.call(ME, { token: loggedOut.accessToken })).status).toBe(401);

    const enforcing = await startTestServer({ ...env, SESSION_CHECK: 'enforce' });
    try {
      expect((await enforcing.call(ME, { token })).data).toEqual({ me: { username: 'kim' } });
      expect((await enforcing.call(ME, { token: tokenWithUnknownSession(enforcing, userId).token })).status).toBe(401);
    } finally {
      await enforcing.close();
    }
  });
});

describe('PostgreSQL unreachable', () => {
  it('refuses to start, saying where and why, never with the password', async () => {
    const server = await startLocalPostgres();
    const url = new URL(server.url);
    await server.stop();
    const refused = startTestServer(await postgresEnv({ DATABASE_URL: url.toString() }));
    await expect(refused).rejects.toThrow(`Nothing accepts connections at 127.0.0.1:${url.port} (DATABASE_URL): is PostgreSQL running there?`);
    await expect(refused).rejects.not.toThrow(decodeURIComponent(url.password));
  });

  it('refuses to start on a wrong password, naming DATABASE_URL', async () => {
    const env = await postgresEnv();
    const wrong = new URL(env.DATABASE_URL);
    wrong.password = 'not-the-password';
    await expect(startTestServer({ ...env, DATABASE_URL: wrong.toString() })).rejects.toThrow(/refused the user name or password in DATABASE_URL$/);
  });

  it('answers 503 SERVICE_UNAVAILABLE, not 500, once the database goes away, and /readyz says so', async () => {
    const database = await startLocalPostgres();
    const server = await startTestServer(await postgresEnv({ DATABASE_URL: database.url }));
    try {
      await server.deps.accounts.create({ username: 'ivan', password: PASSWORD });
      const session = await login(server.call, 'ivan', PASSWORD);
      await database.stop();

      const me = await server.call(ME, { token: session.accessToken });
      expect(me.status).toBe(503);
      expect(codeOf(me)).toBe('SERVICE_UNAVAILABLE');
      const loginNow = await server.call(LOGIN, { variables: { u: 'ivan', p: PASSWORD } });
      expect(loginNow.status).toBe(503);
      const ready = await fetch(new URL('/readyz', server.url));
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ ready: false, store: 'postgres' });
    } finally {
      await server.close();
    }
  });
});

async function loginTimes(server: TestServer, username: string, times: number): Promise<LoginData[]> {
  const logins: LoginData[] = [];
  for (let i = 0; i < times; i++) logins.push(await login(server.call, username, PASSWORD, `device-${i}`));
  return logins;
}

function fail(message: string): never {
  throw new Error(message);
}
