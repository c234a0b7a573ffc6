import { createRedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { clusterClient, clusterEnv } from '../support/test-env';
import { login } from '../support/graphql-caller';
import { startTestServer, type TestServer } from '../support/test-server';

const PASSWORD = 'correct horse battery';
const ME = `{ me { username } }`;

describe('a cap of 3 sessions with evict-oldest', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv({ MAX_SESSIONS_PER_USER: '3', SESSION_LIMIT_POLICY: 'evict-oldest' }));
    await server.deps.accounts.create({ username: 'bob', password: PASSWORD });
  });
  afterAll(() => server.close());

  it('evicts the oldest session on the 4th login; the other three keep working', async () => {
    const logins = [];
    for (const agent of ['agent-1', 'agent-2', 'agent-3']) {
      const payload = await login(server.call, 'bob', PASSWORD, agent);
      expect(payload.evictedSessions).toBe(0);
      logins.push(payload);
    }
    const fourth = await login(server.call, 'bob', PASSWORD, 'agent-4');
    expect(fourth.evictedSessions).toBe(1);

    const oldest = await server.call(ME, { token: logins[0].accessToken });
    expect(oldest.status).toBe(401);
    expect(oldest.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    for (const survivor of [logins[1], logins[2], fourth]) {
      const response = await server.call(ME, { token: survivor.accessToken });
      expect(response.data).toEqual({ me: { username: 'bob' } });
    }

    const listed = await server.call(`{ sessions { id current userAgent } }`, { token: logins[2].accessToken });
    expect(listed.data?.sessions).toEqual([
      { id: fourth.session.id, current: false, userAgent: 'agent-4' },
      { id: logins[2].session.id, current: true, userAgent: 'agent-3' },
      { id: logins[1].session.id, current: false, userAgent: 'agent-2' },
    ]);
  });
});

describe('a cap of 3 sessions with reject', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv({ MAX_SESSIONS_PER_USER: '3', SESSION_LIMIT_POLICY: 'reject' }));
    await server.deps.accounts.create({ username: 'carol', password: PASSWORD });
  });
  afterAll(() => server.close());

  it('refuses the 4th login with a clear error, keeps the first three, and admits one after a logout', async () => {
    const logins = [];
    for (let i = 0; i < 3; i += 1) logins.push(await login(server.call, 'carol', PASSWORD));

    const refused = await server.call(`mutation { login(input: { username: "carol", password: "${PASSWORD}" }) { accessToken } }`);
    expect(refused.data).toBeNull();
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'SESSION_LIMIT_REACHED', maxSessions: 3 });
    expect(refused.errors?.[0].message).toMatch(/session limit/i);

    for (const kept of logins) {
      expect((await server.call(ME, { token: kept.accessToken })).data).toEqual({ me: { username: 'carol' } });
    }

    expect((await server.call(`mutation { logout }`, { token: logins[0].accessToken })).data).toEqual({ logout: true });
    await expect(login(server.call, 'carol', PASSWORD)).resolves.toMatchObject({ evictedSessions: 0 });
  });
});

describe('atomicity of the cap on the cluster', () => {
  let server: TestServer;
  let secondInstance: TestServer;
  const redis = clusterClient();

  beforeAll(async () => {
    // Room for all 50 logins in flight at once: the race under test is the cap's, not the brute-force throttle's.
    const env = clusterEnv({ MAX_SESSIONS_PER_USER: '5', BRUTE_FORCE_FAILURE_FACTOR: '100', BRUTE_FORCE_IP_FAILURE_FACTOR: '100' });
    server = await startTestServer(env);
    secondInstance = await startTestServer(env);
    await server.deps.accounts.create({ username: 'dave', password: PASSWORD });
  });
  afterAll(async () => {
    await server.close();
    await secondInstance.close();
    await redis.quit();
  });

  it('leaves exactly 5 live sessions after 50 concurrent logins through two instances', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => login((i % 2 === 0 ? server : secondInstance).call, 'dave', PASSWORD, `agent-${i}`)),
    );
    expect(results.reduce((sum, result) => sum + result.evictedSessions, 0)).toBe(45);

    const live = [];
    for (const result of results) {
      if ((await server.call(ME, { token: result.accessToken })).status === 200) live.push(result.session.id);
    }
    expect(live).toHaveLength(5);

    const userId = results[0].user.id;
    const keys = createRedisKeys(server.config.redisKeyPrefix);
    const members = await redis.zrange(keys.sessionSet(userId), '0', '-1');
    expect([...members].sort()).toEqual([...live].sort());
    for (const sessionId of members) {
      expect(await redis.exists(keys.session(userId, sessionId))).toBe(1);
    }
  });
});
