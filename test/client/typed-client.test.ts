import {
  createAuthClient,
  createSpaSession,
  CreateUserDocument,
  GraphQLRequestError,
  ForceLogoutDocument,
  LoginDocument,
  LogoutAllDocument,
  MeDocument,
  RevokeSessionDocument,
  SessionsDocument,
  SetAuthoritiesDocument,
  UsersDocument,
} from '@graphql-auth-service/client';
import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const PASSWORD = 'correct horse battery';

describe('the generated, typed client against a real server', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv());
    await server.deps.accounts.create({ username: 'ada', password: PASSWORD, authorities: ['ROLE_ADMIN'] });
  });
  afterAll(() => server.close());

  it('runs the SPA operations and the admin ones with typed results', async () => {
    const client = createAuthClient({ url: server.url });
    const { login } = await client.request(LoginDocument, { input: { username: 'ada', password: PASSWORD } });
    const token = login.accessToken;

    expect((await client.request(MeDocument, undefined, { token })).me?.username).toBe('ada');
    const created = await client.request(
      CreateUserDocument,
      { input: { username: 'grace', password: PASSWORD, authorities: ['orders:read'] } },
      { token },
    );
    expect(created.createUser).toMatchObject({ username: 'grace', authorities: ['orders:read'], disabled: false });
    const updated = await client.request(SetAuthoritiesDocument, { userId: created.createUser.id, authorities: [] }, { token });
    expect(updated.setAuthorities.authorities).toEqual([]);
    expect((await client.request(UsersDocument, { first: 10 }, { token })).users.totalCount).toBe(2);

    const grace = await client.request(LoginDocument, { input: { username: 'grace', password: PASSWORD } });
    const second = await client.request(LoginDocument, { input: { username: 'grace', password: PASSWORD } });
    const sessions = await client.request(SessionsDocument, undefined, { token: grace.login.accessToken });
    expect(sessions.sessions.map((session) => session.current)).toEqual([false, true]);
    expect((await client.request(RevokeSessionDocument, { id: second.login.session.id }, { token: grace.login.accessToken })).revokeSession).toBe(true);
    expect((await client.request(LogoutAllDocument, { keepCurrent: true }, { token: grace.login.accessToken })).logoutAll).toBe(0);
    expect((await client.request(ForceLogoutDocument, { userId: created.createUser.id }, { token })).forceLogout).toBe(1);
  });

  it('throws GraphQLRequestError with the code and the HTTP status', async () => {
    const client = createAuthClient({ url: server.url });
    const refused = await client.request(MeDocument, undefined, { token: 'not-a-token' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GraphQLRequestError);
    expect(refused).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
  });
});

describe('the SPA session helper in cookie mode', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv({ REFRESH_TOKEN_COOKIE: 'true' }));
    await server.deps.accounts.create({ username: 'lin', password: PASSWORD });
  });
  afterAll(() => server.close());

  /** A fetch with a cookie jar, as the browser keeps the HttpOnly cookie for the SPA. */
  function cookieJarFetch(): typeof fetch {
    let cookie = '';
    return async (input, init) => {
      const headers = new Headers(init?.headers);
      if (cookie) headers.set('cookie', cookie);
      const response = await fetch(input, { ...init, headers });
      const set = response.headers.getSetCookie().find((line) => line.startsWith('__Secure-refresh-token='));
      if (set) cookie = set.split(';')[0];
      return response;
    };
  }

  it('refreshes once on a 401 and retries, sharing one refresh between concurrent calls', async () => {
    const client = createAuthClient({ url: server.url, fetch: cookieJarFetch(), credentials: 'include' });
    const spa = createSpaSession(client);
    const { login } = await client.request(LoginDocument, { input: { username: 'lin', password: PASSWORD } });
    expect(login.refreshToken).toBeNull();
    spa.signIn(`${login.accessToken}x`);

    const results = await Promise.all([spa.request(MeDocument), spa.request(MeDocument), spa.request(MeDocument)]);
    expect(results.map((result) => result.me?.username)).toEqual(['lin', 'lin', 'lin']);
    expect(spa.accessToken).not.toBe(login.accessToken);
    // A shared refresh: had each call refreshed, the second would have looked like theft and ended the session.
    expect((await spa.request(MeDocument)).me?.username).toBe('lin');
  });
});
