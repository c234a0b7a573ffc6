import { createRedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { clusterClient, clusterEnv } from '../support/test-env';
import { login, refreshTokenOf, type GraphQLCaller } from '../support/graphql-caller';
import { startTestServer, type TestServer } from '../support/test-server';
import { SERVICE_STORES } from '../support/service-stores';

const PASSWORD = 'correct horse battery';
const ME = `{ me { username } }`;
const REFRESH = `mutation($token: String) {
  refresh(refreshToken: $token) { accessToken refreshToken expiresIn tokenType session { id expiresAt } }
}`;

interface RefreshData {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
  readonly tokenType: string;
  readonly session: { readonly id: string; readonly expiresAt: string };
}

function refresh(call: GraphQLCaller, token: string | null) {
  return call<{ refresh: RefreshData }>(REFRESH, { variables: { token } });
}

describe.each(SERVICE_STORES)('rotating refresh tokens on $name', (store) => {
  let server: TestServer;
  let secondInstance: TestServer;

  beforeAll(async () => {
    const env = await store.env();
    server = await startTestServer(env);
    secondInstance = await startTestServer(env);
    await server.deps.accounts.create({ username: 'nina', password: PASSWORD, authorities: ['orders:read'] });
  });
  afterAll(async () => {
    await server.close();
    await secondInstance.close();
  });

  it('trades a refresh token for a new pair on the same session; the old refresh token stops working', async () => {
    const first = await login(server.call, 'nina', PASSWORD);
    const rotated = await refresh(secondInstance.call, first.refreshToken);
    expect(rotated.errors).toBeUndefined();
    const pair = rotated.data?.refresh as RefreshData;
    expect(pair).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, session: { id: first.session.id } });
    expect(pair.refreshToken).not.toBe(first.refreshToken);
    expect(pair.accessToken).not.toBe(first.accessToken);
    expect((await server.call(ME, { token: pair.accessToken })).data).toEqual({ me: { username: 'nina' } });

    const again = await refresh(server.call, pair.refreshToken);
    expect(again.data?.refresh.session.id).toBe(first.session.id);
  });

  it('treats a reused refresh token as theft: the whole session ends, for the thief and the holder alike', async () => {
    const stolen = await login(server.call, 'nina', PASSWORD);
    const legitimate = (await refresh(server.call, stolen.refreshToken)).data?.refresh as RefreshData;

    const replay = await refresh(secondInstance.call, stolen.refreshToken);
    expect(replay.data).toBeNull();
    expect(replay.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    expect((await server.call(ME, { token: legitimate.accessToken })).status).toBe(401);
    const holder = await refresh(server.call, legitimate.refreshToken);
    expect(holder.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const listed = await server.deps.sessions.list(stolen.user.id);
    expect(listed.map((session) => session.id)).not.toContain(stolen.session.id);
  });

  it('lets exactly one of ten concurrent refreshes with one token win', async () => {
    const { refreshToken } = await login(server.call, 'nina', PASSWORD);
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) => refresh((i % 2 === 0 ? server : secondInstance).call, refreshToken)),
    );
    const winners = attempts.filter((attempt) => attempt.data?.refresh);
    expect(winners).toHaveLength(1);
    for (const loser of attempts.filter((attempt) => !attempt.data?.refresh)) {
      expect(loser.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses forged, malformed and missing refresh tokens without touching the session', async () => {
    const payload = await login(server.call, 'nina', PASSWORD);
    const [prefix, userId, sessionId] = refreshTokenOf(payload).split('.');
    const forged = `${prefix}.${userId}.${sessionId}.${'A'.repeat(43)}`;
    for (const token of [forged, 'garbage', `${payload.refreshToken}x`, payload.accessToken]) {
      const response = await refresh(server.call, token);
      expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(response.status).toBeLessThan(500);
    }
    const missing = await refresh(server.call, null);
    expect(missing.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    expect((await refresh(server.call, payload.refreshToken)).data?.refresh.session.id).toBe(payload.session.id);
  });

  it('ends refreshing for a logged-out session and for a disabled account', async () => {
    const loggedOut = await login(server.call, 'nina', PASSWORD);
    await server.call(`mutation { logout }`, { token: loggedOut.accessToken });
    expect((await refresh(server.call, loggedOut.refreshToken)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    const user = await server.deps.accounts.create({ username: 'otto', password: PASSWORD });
    const beforeDisable = await login(server.call, 'otto', PASSWORD);
    await server.deps.accounts.setDisabled(user.id, true);
    expect((await refresh(server.call, beforeDisable.refreshToken)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('session lifetime: an idle timeout that refresh extends, an absolute maximum it never does', () => {
  const redis = clusterClient();
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(
      clusterEnv({ ACCESS_TOKEN_TTL: '1s', SESSION_IDLE_TTL: '4s', SESSION_MAX_TTL: '1h' }),
    );
    await server.deps.accounts.create({ username: 'pia', password: PASSWORD });
  });
  afterAll(async () => {
    await server.close();
    await redis.quit();
  });

  it('extends the idle expiry on each refresh, keeps the set expiry on it, and ends the session once it lapses', async () => {
    const payload = await login(server.call, 'pia', PASSWORD);
    const keys = createRedisKeys(server.config.redisKeyPrefix);
    const sessionKey = keys.session(payload.user.id, payload.session.id);
    expect(await redis.pttl(sessionKey)).toBeLessThanOrEqual(4_000);

    const refreshedAfter = Date.now();
    const rotated = (await refresh(server.call, payload.refreshToken)).data?.refresh as RefreshData;
    // The server's "now" is no earlier than ours before the call: the new expiry is a full idle timeout on.
    expect(Date.parse(rotated.session.expiresAt)).toBeGreaterThanOrEqual(refreshedAfter + 4_000);
    const [sessionTtl, setTtl] = [await redis.pttl(sessionKey), await redis.pttl(keys.sessionSet(payload.user.id))];
    expect(Math.abs(setTtl - sessionTtl)).toBeLessThanOrEqual(1_000);

    // Wait, without guessing, for Redis to expire the idle session.
    const deadline = Date.now() + 15_000;
    while ((await redis.exists(sessionKey)) === 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await redis.exists(sessionKey)).toBe(0);
    expect((await refresh(server.call, rotated.refreshToken)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  }, 30_000);
});

describe('the absolute maximum', () => {
  const IDLE_MS = 3_000;
  const MAX_MS = 4_000;
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv({ ACCESS_TOKEN_TTL: '1s', SESSION_IDLE_TTL: '3s', SESSION_MAX_TTL: '4s' }));
    await server.deps.accounts.create({ username: 'quin', password: PASSWORD });
  });
  afterAll(() => server.close());

  it('never moves the session expiry past login + SESSION_MAX_TTL, however often it is refreshed', async () => {
    const payload = await login(server.call, 'quin', PASSWORD);
    const loggedInBy = Date.now();
    let token = payload.refreshToken;
    let clamped = false;
    let refused = false;
    const deadline = loggedInBy + 20_000;
    while (Date.now() < deadline) {
      const askedAt = Date.now();
      const response = await refresh(server.call, token);
      if (!response.data?.refresh) {
        expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
        refused = true;
        break;
      }
      token = response.data.refresh.refreshToken;
      const expiry = Date.parse(response.data.refresh.session.expiresAt);
      expect(expiry).toBeLessThanOrEqual(loggedInBy + MAX_MS);
      // Shorter than a full idle timeout: the absolute maximum held it back.
      if (expiry < askedAt + IDLE_MS) clamped = true;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(clamped).toBe(true);
    expect(refused).toBe(true);
  }, 30_000);
});
