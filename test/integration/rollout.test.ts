import { decodeSessionRecord } from '../../src/sessions/session-record-codec';
import { createRedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { clusterClient, clusterEnv, type Env } from '../support/test-env';
import { login } from '../support/graphql-caller';
import { startTestServer, type TestServer } from '../support/test-server';
import { tokenWithUnknownSession } from '../support/unknown-session-token';

const PASSWORD = 'correct horse battery';
const ME = `{ me { username } }`;

describe('rollout mode SESSION_CHECK=record, then enforce', () => {
  const redis = clusterClient();
  let env: Env;
  let recording: TestServer;
  let userId: string;

  beforeAll(async () => {
    env = clusterEnv({ SESSION_CHECK: 'record' });
    recording = await startTestServer(env);
    userId = (await recording.deps.accounts.create({ username: 'kim', password: PASSWORD })).id;
  });
  afterAll(async () => {
    await recording.close();
    await redis.quit();
  });

  it('accepts a signed token with an unknown session, records it, and enforce keeps accepting it', async () => {
    const { token, sessionId } = tokenWithUnknownSession(recording, userId);
    const keys = createRedisKeys(recording.config.redisKeyPrefix);
    expect(await redis.exists(keys.session(userId, sessionId))).toBe(0);

    const first = await recording.call(ME, { token, headers: { 'user-agent': 'legacy-app' } });
    expect(first.data).toEqual({ me: { username: 'kim' } });
    expect(await redis.exists(keys.session(userId, sessionId))).toBe(1);
    expect(await redis.zrange(keys.sessionSet(userId), '0', '-1')).toContain(sessionId);
    expect(await redis.pttl(keys.sessionSet(userId))).toBeGreaterThan(0);
    expect(decodeSessionRecord(userId, sessionId, (await redis.get(keys.session(userId, sessionId))) ?? '').userAgent).toBe('legacy-app');
    expect(recording.deps.sessionCheckCounter.snapshot()).toEqual({ known: 0, unknown: 1 });

    await recording.call(ME, { token });
    expect(recording.deps.sessionCheckCounter.snapshot()).toEqual({ known: 1, unknown: 1 });

    const enforcing = await startTestServer({ ...env, SESSION_CHECK: 'enforce' });
    try {
      expect((await enforcing.call(ME, { token })).data).toEqual({ me: { username: 'kim' } });
      const neverSeen = tokenWithUnknownSession(enforcing, userId);
      expect((await enforcing.call(ME, { token: neverSeen.token })).status).toBe(401);
    } finally {
      await enforcing.close();
    }
  });

  it('refuses a token whose session was logged out: rollout mode forgives unknown sessions, not revoked ones', async () => {
    const payload = await login(recording.call, 'kim', PASSWORD);
    await recording.call(`mutation { logout }`, { token: payload.accessToken });
    const response = await recording.call(ME, { token: payload.accessToken });
    expect(response.status).toBe(401);
    expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses, after a forceLogout, a token whose session it had never seen', async () => {
    const admin = await recording.deps.accounts.create({ username: 'kim-admin', password: PASSWORD, authorities: ['ROLE_ADMIN'] });
    const adminLogin = await login(recording.call, admin.username, PASSWORD);
    const user = await recording.deps.accounts.create({ username: 'kim-user', password: PASSWORD });
    const unseen = tokenWithUnknownSession(recording, user.id);

    const forced = await recording.call(`mutation($id: ID!) { forceLogout(userId: $id) }`, {
      token: adminLogin.accessToken,
      variables: { id: user.id },
    });
    expect(forced.data).toEqual({ forceLogout: 0 });
    expect((await recording.call(ME, { token: unseen.token })).status).toBe(401);
  });

  it('still refuses forged tokens in record mode', async () => {
    const { token } = tokenWithUnknownSession(recording, userId);
    const [header, payload] = token.split('.');
    const response = await recording.call(ME, { token: `${header}.${payload}.${'A'.repeat(43)}` });
    expect(response.status).toBe(401);
  });
});

describe('SESSION_CHECK=off', () => {
  it('checks only the signature: a logged-out token keeps working until it expires', async () => {
    const server = await startTestServer(clusterEnv({ SESSION_CHECK: 'off' }));
    try {
      await server.deps.accounts.create({ username: 'lee', password: PASSWORD });
      const payload = await login(server.call, 'lee', PASSWORD);
      await server.call(`mutation { logout }`, { token: payload.accessToken });
      expect((await server.call(ME, { token: payload.accessToken })).data).toEqual({ me: { username: 'lee' } });
    } finally {
      await server.close();
    }
  });
});
