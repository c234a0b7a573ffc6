import { SERVICE_STORES } from '../support/service-stores';
import { login } from '../support/graphql-caller';
import { startTestServer, type TestServer } from '../support/test-server';

describe.each(SERVICE_STORES)('login → me → sessions → logout on $name, seen by two instances', (store) => {
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    const env = await store.env();
    first = await startTestServer(env);
    second = await startTestServer(env);
    await first.deps.accounts.create({ username: 'alice', password: 'correct horse battery', authorities: ['orders:read'] });
  });

  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('logs in, answers me and sessions, and a logout on one instance is refused by the other', async () => {
    const payload = await login(first.call, 'alice', 'correct horse battery', 'Firefox/130');
    expect(payload.user).toMatchObject({ username: 'alice', authorities: ['orders:read'] });
    expect(payload.session.userAgent).toBe('Firefox/130');

    const me = await second.call(`{ me { id username } sessions { id current userAgent } }`, { token: payload.accessToken });
    expect(me.errors).toBeUndefined();
    expect(me.data?.me).toEqual({ id: payload.user.id, username: 'alice' });
    expect(me.data?.sessions).toEqual([{ id: payload.session.id, current: true, userAgent: 'Firefox/130' }]);

    const logout = await first.call(`mutation { logout }`, { token: payload.accessToken });
    expect(logout.data).toEqual({ logout: true });

    const after = await second.call(`{ me { username } }`, { token: payload.accessToken });
    expect(after.status).toBe(401);
    expect(after.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(after.headers.get('www-authenticate')).toContain('Bearer');
  });

  it('returns the token type, a lifetime and an opaque refresh token', async () => {
    const response = await first.call(`mutation { login(input: { username: "alice", password: "correct horse battery" }) { tokenType expiresIn refreshToken } }`);
    expect(response.data?.login).toEqual({ tokenType: 'Bearer', expiresIn: 900, refreshToken: expect.stringMatching(/^rt1\./) });
  });

  it('answers me with null for an anonymous caller', async () => {
    const response = await first.call(`{ me { username } }`);
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ me: null });
  });

  it('finds the same user whatever the case or Unicode form of the username', async () => {
    const payload = await login(second.call, 'ＡＬＩＣＥ', 'correct horse battery');
    expect(payload.user.username).toBe('alice');
  });

  it('gives the same code and message for an unknown user and a wrong password', async () => {
    const attempt = (username: string, password: string) =>
      first.call(`mutation($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { accessToken } }`, {
        variables: { u: username, p: password },
      });
    const unknownUser = await attempt('nobody-here', 'correct horse battery');
    const wrongPassword = await attempt('alice', 'wrong horse battery');
    expect(unknownUser.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(wrongPassword.errors?.[0]).toEqual(unknownUser.errors?.[0]);
    expect(unknownUser.data).toBeNull();
  });
});
