import { SERVICE_STORES } from '../support/service-stores';
import { login, type LoginData } from '../support/graphql-caller';
import { startTestServer, type TestServer } from '../support/test-server';

const PASSWORD = 'correct horse battery';
const ME = `{ me { username } }`;

describe.each(SERVICE_STORES)('revocation on $name: forceLogout, logoutAll, changePassword, disabling, revokeSession', (store) => {
  let server: TestServer;
  let admin: LoginData;

  beforeAll(async () => {
    server = await startTestServer(await store.env({ MAX_SESSIONS_PER_USER: '0' }));
    await server.deps.accounts.create({ username: 'root', password: PASSWORD, authorities: ['ROLE_ADMIN'] });
    admin = await login(server.call, 'root', PASSWORD);
  });
  afterAll(() => server.close());

  async function loginTimes(username: string, times: number): Promise<LoginData[]> {
    const logins = [];
    for (let i = 0; i < times; i += 1) logins.push(await login(server.call, username, PASSWORD, `device-${i}`));
    return logins;
  }

  async function statusOf(token: string): Promise<number> {
    return (await server.call(ME, { token })).status;
  }

  it('forceLogout returns how many sessions it revoked and every token of the user fails', async () => {
    const user = await server.deps.accounts.create({ username: 'erin', password: PASSWORD });
    const logins = await loginTimes('erin', 3);
    const forced = await server.call(`mutation($id: ID!) { forceLogout(userId: $id) }`, {
      token: admin.accessToken,
      variables: { id: user.id },
    });
    expect(forced.data).toEqual({ forceLogout: 3 });
    for (const { accessToken } of logins) expect(await statusOf(accessToken)).toBe(401);
    expect(await statusOf(admin.accessToken)).toBe(200);
  });

  it('logoutAll revokes every session, or all but the current one with keepCurrent', async () => {
    await server.deps.accounts.create({ username: 'frank', password: PASSWORD });
    const logins = await loginTimes('frank', 3);
    const kept = await server.call(`mutation { logoutAll(keepCurrent: true) }`, { token: logins[1].accessToken });
    expect(kept.data).toEqual({ logoutAll: 2 });
    expect(await statusOf(logins[0].accessToken)).toBe(401);
    expect(await statusOf(logins[1].accessToken)).toBe(200);
    expect(await statusOf(logins[2].accessToken)).toBe(401);

    const all = await server.call(`mutation { logoutAll }`, { token: logins[1].accessToken });
    expect(all.data).toEqual({ logoutAll: 1 });
    expect(await statusOf(logins[1].accessToken)).toBe(401);
  });

  it('changePassword keeps the current session, revokes the others, and only the new password logs in', async () => {
    await server.deps.accounts.create({ username: 'grace', password: PASSWORD });
    const logins = await loginTimes('grace', 3);
    const changed = await server.call(`mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`, {
      token: logins[2].accessToken,
      variables: { c: PASSWORD, n: 'a brand new passphrase' },
    });
    expect(changed.data).toEqual({ changePassword: true });
    expect(await statusOf(logins[0].accessToken)).toBe(401);
    expect(await statusOf(logins[1].accessToken)).toBe(401);
    expect(await statusOf(logins[2].accessToken)).toBe(200);
    await expect(login(server.call, 'grace', PASSWORD)).rejects.toThrow(/UNAUTHENTICATED/);
    await expect(login(server.call, 'grace', 'a brand new passphrase')).resolves.toMatchObject({ evictedSessions: 0 });
  });

  it('changePassword with a wrong current password changes nothing and says which field is wrong', async () => {
    await server.deps.accounts.create({ username: 'heidi', password: PASSWORD });
    const [first, second] = await loginTimes('heidi', 2);
    const refused = await server.call(`mutation { changePassword(currentPassword: "not it at all", newPassword: "another passphrase") }`, {
      token: first.accessToken,
    });
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currentPassword' });
    expect(await statusOf(second.accessToken)).toBe(200);
    await expect(login(server.call, 'heidi', PASSWORD)).resolves.toBeDefined();
  });

  it('disabling a user makes its tokens fail at once and its logins fail; enabling lets it log in again', async () => {
    const user = await server.deps.accounts.create({ username: 'ivan', password: PASSWORD });
    const [session] = await loginTimes('ivan', 1);
    const disabled = await server.call(`mutation($id: ID!) { setUserDisabled(userId: $id, disabled: true) { disabled } }`, {
      token: admin.accessToken,
      variables: { id: user.id },
    });
    expect(disabled.data).toEqual({ setUserDisabled: { disabled: true } });
    expect(await statusOf(session.accessToken)).toBe(401);

    const refused = await server.call(`mutation { login(input: { username: "ivan", password: "${PASSWORD}" }) { accessToken } }`);
    expect(refused.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(refused.errors?.[0].message).toMatch(/disabled/);

    await server.call(`mutation($id: ID!) { setUserDisabled(userId: $id, disabled: false) { disabled } }`, {
      token: admin.accessToken,
      variables: { id: user.id },
    });
    await expect(login(server.call, 'ivan', PASSWORD)).resolves.toBeDefined();
    expect(await statusOf(session.accessToken)).toBe(401);
  });

  it('revokeSession ends one of the caller\'s own sessions and cannot touch another user\'s', async () => {
    await server.deps.accounts.create({ username: 'judy', password: PASSWORD });
    const [mine, other] = await loginTimes('judy', 2);
    const revoked = await server.call(`mutation($id: ID!) { revokeSession(id: $id) }`, {
      token: mine.accessToken,
      variables: { id: other.session.id },
    });
    expect(revoked.data).toEqual({ revokeSession: true });
    expect(await statusOf(other.accessToken)).toBe(401);

    const foreign = await server.call(`mutation($id: ID!) { revokeSession(id: $id) }`, {
      token: mine.accessToken,
      variables: { id: admin.session.id },
    });
    expect(foreign.data).toEqual({ revokeSession: false });
    expect(await statusOf(admin.accessToken)).toBe(200);
  });
});
