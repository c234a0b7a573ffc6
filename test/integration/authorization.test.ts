import { randomUUID } from 'node:crypto';
import { CREATE_USER, type GraphQLResponse, login, type LoginData } from '../support/graphql-caller';
import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const PASSWORD = 'a perfectly long password';
const ADMIN = 'ROLE_ADMIN';

/** A username no refused request may ever manage to create. */
const INTRUDER_USERNAME = 'made-by-intruder';

interface UserData {
  readonly id: string;
  readonly username: string;
  readonly authorities: string[];
  readonly disabled: boolean;
}

interface Fixture {
  readonly server: TestServer;
  readonly admin: LoginData;
  /** Logged in, holds orders:read but not ROLE_ADMIN. */
  readonly regular: LoginData;
  /** Logged in; the account refused requests aim at. */
  readonly target: LoginData;
}

interface GuardedOperation {
  readonly field: string;
  readonly query: string;
  readonly variables?: (f: Fixture) => Record<string, unknown>;
}

const SELF_SERVICE: GuardedOperation[] = [
  { field: 'sessions', query: '{ sessions { id } }' },
  { field: 'logout', query: 'mutation { logout }' },
  { field: 'logoutAll', query: 'mutation { logoutAll }' },
  {
    field: 'revokeSession',
    query: 'mutation($id: ID!) { revokeSession(id: $id) }',
    variables: (f) => ({ id: f.target.session.id }),
  },
  {
    field: 'changePassword',
    query: 'mutation($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) }',
    variables: () => ({ current: PASSWORD, next: 'a brand new long password' }),
  },
];

const ADMIN_ONLY: GuardedOperation[] = [
  { field: 'user', query: 'query($id: ID!) { user(id: $id) { username } }', variables: (f) => ({ id: f.target.user.id }) },
  { field: 'users', query: '{ users { totalCount nodes { username } } }' },
  {
    field: 'createUser',
    query: CREATE_USER,
    variables: () => ({ input: { username: INTRUDER_USERNAME, password: PASSWORD, authorities: [ADMIN] } }),
  },
  {
    field: 'setAuthorities',
    query: 'mutation($id: ID!) { setAuthorities(userId: $id, authorities: ["ROLE_ADMIN"]) { authorities } }',
    variables: (f) => ({ id: f.regular.user.id }),
  },
  {
    field: 'setUserDisabled',
    query: 'mutation($id: ID!) { setUserDisabled(userId: $id, disabled: true) { disabled } }',
    variables: (f) => ({ id: f.target.user.id }),
  },
  {
    field: 'forceLogout',
    query: 'mutation($id: ID!) { forceLogout(userId: $id) }',
    variables: (f) => ({ id: f.target.user.id }),
  },
];

function expectRefused(response: GraphQLResponse, field: string, code: 'UNAUTHENTICATED' | 'FORBIDDEN'): void {
  expect(response.errors?.map((error) => error.extensions?.code)).toEqual([code]);
  expect(response.errors?.[0].path).toEqual([field]);
  expect(response.data?.[field] ?? null).toBeNull();
}

function expectBadInput(response: GraphQLResponse, field: string, message: RegExp): void {
  expect(response.status).toBeLessThan(500);
  expect(response.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  expect(response.errors?.[0].message).toMatch(message);
  expect(response.data?.[field] ?? null).toBeNull();
}

async function meOf(server: TestServer, token: string): Promise<GraphQLResponse<{ me: UserData | null }>> {
  return server.call<{ me: UserData | null }>('{ me { id username authorities disabled } }', { token });
}

async function createAndLogin(server: TestServer, username: string, authorities: string[] = []): Promise<LoginData> {
  await server.deps.accounts.create({ username, password: PASSWORD, authorities });
  return login(server.call, username, PASSWORD);
}

describe('@auth over HTTP: who may call what', () => {
  let f: Fixture;

  beforeAll(async () => {
    const server = await startTestServer(clusterEnv());
    f = {
      server,
      admin: await createAndLogin(server, 'authz-admin', [ADMIN]),
      regular: await createAndLogin(server, 'authz-regular', ['orders:read']),
      target: await createAndLogin(server, 'authz-target', ['orders:write']),
    };
  });

  afterAll(async () => {
    await f.server.close();
  });

  /** A refused request must leave no trace: both accounts as they were, both still logged in, nobody created. */
  async function expectNothingChanged(): Promise<void> {
    for (const who of [f.regular, f.target]) {
      const me = await meOf(f.server, who.accessToken);
      expect(me.errors).toBeUndefined();
      expect(me.data?.me).toEqual({ ...who.user, disabled: false });
    }
    const sessions = await f.server.call<{ sessions: { id: string }[] }>('{ sessions { id } }', { token: f.target.accessToken });
    expect(sessions.data?.sessions.map((session) => session.id)).toEqual([f.target.session.id]);
    expect(await f.server.deps.accounts.findByUsername(INTRUDER_USERNAME)).toBeUndefined();
  }

  describe('an anonymous caller', () => {
    it('sees me as null', async () => {
      const response = await f.server.call('{ me { username } }');
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ me: null });
    });

    it.each([...SELF_SERVICE, ...ADMIN_ONLY])('gets UNAUTHENTICATED on $field, and nothing changes', async (operation) => {
      const response = await f.server.call(operation.query, { variables: operation.variables?.(f) });
      expectRefused(response, operation.field, 'UNAUTHENTICATED');
      await expectNothingChanged();
    });
  });

  describe('a logged-in user without ROLE_ADMIN', () => {
    it.each(ADMIN_ONLY)('gets FORBIDDEN on $field, and nothing changes', async (operation) => {
      const response = await f.server.call(operation.query, {
        token: f.regular.accessToken,
        variables: operation.variables?.(f),
      });
      expectRefused(response, operation.field, 'FORBIDDEN');
      await expectNothingChanged();
    });

    it('may use the self-service fields', async () => {
      const response = await f.server.call<{ me: { username: string }; sessions: { id: string; current: boolean }[] }>(
        '{ me { username } sessions { id current } }',
        { token: f.regular.accessToken },
      );
      expect(response.errors).toBeUndefined();
      expect(response.data?.me.username).toBe(f.regular.user.username);
      expect(response.data?.sessions).toEqual([{ id: f.regular.session.id, current: true }]);
    });

    it("cannot revoke another user's session: revokeSession answers false and that session keeps working", async () => {
      const response = await f.server.call('mutation($id: ID!) { revokeSession(id: $id) }', {
        token: f.regular.accessToken,
        variables: { id: f.target.session.id },
      });
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ revokeSession: false });
      await expectNothingChanged();
    });
  });

  describe('an administrator', () => {
    it('reads one user by id, and null for an id nobody has', async () => {
      const found = await f.server.call('query($id: ID!) { user(id: $id) { id username authorities disabled } }', {
        token: f.admin.accessToken,
        variables: { id: f.target.user.id },
      });
      expect(found.errors).toBeUndefined();
      expect(found.data?.user).toEqual({ ...f.target.user, disabled: false });

      const missing = await f.server.call('query($id: ID!) { user(id: $id) { id } }', {
        token: f.admin.accessToken,
        variables: { id: randomUUID() },
      });
      expect(missing.errors).toBeUndefined();
      expect(missing.data).toEqual({ user: null });
    });

    it('creates a user who can then log in with the given authorities', async () => {
      const response = await f.server.call<{ createUser: UserData }>(CREATE_USER, {
        token: f.admin.accessToken,
        variables: { input: { username: 'New-Hire', password: PASSWORD, authorities: ['orders:read', 'orders:write'] } },
      });
      expect(response.errors).toBeUndefined();
      expect(response.data?.createUser).toMatchObject({
        username: 'new-hire',
        authorities: ['orders:read', 'orders:write'],
        disabled: false,
      });

      const payload = await login(f.server.call, 'new-hire', PASSWORD);
      expect(payload.user).toMatchObject({ id: response.data?.createUser.id, authorities: ['orders:read', 'orders:write'] });
    });

    it("sets a user's authorities, and the user's existing token sees them on its next request", async () => {
      const clerk = await createAndLogin(f.server, 'authz-clerk', ['orders:read']);
      const before = await f.server.call('{ users(first: 1) { totalCount } }', { token: clerk.accessToken });
      expectRefused(before, 'users', 'FORBIDDEN');

      const response = await f.server.call<{ setAuthorities: UserData }>(
        'mutation($id: ID!, $auth: [String!]!) { setAuthorities(userId: $id, authorities: $auth) { id authorities } }',
        { token: f.admin.accessToken, variables: { id: clerk.user.id, auth: [ADMIN, 'orders:read'] } },
      );
      expect(response.errors).toBeUndefined();
      expect(response.data?.setAuthorities).toEqual({ id: clerk.user.id, authorities: [ADMIN, 'orders:read'] });

      const after = await f.server.call('{ users(first: 1) { totalCount } me { authorities } }', { token: clerk.accessToken });
      expect(after.errors).toBeUndefined();
      expect(after.data?.me).toEqual({ authorities: [ADMIN, 'orders:read'] });
    });

    it("taking ROLE_ADMIN away from a logged-in admin makes that admin's very next request FORBIDDEN", async () => {
      const deputy = await createAndLogin(f.server, 'authz-deputy', [ADMIN]);
      const before = await f.server.call('{ users(first: 1) { totalCount } }', { token: deputy.accessToken });
      expect(before.errors).toBeUndefined();

      const demoted = await f.server.call('mutation($id: ID!) { setAuthorities(userId: $id, authorities: []) { authorities } }', {
        token: f.admin.accessToken,
        variables: { id: deputy.user.id },
      });
      expect(demoted.data).toEqual({ setAuthorities: { authorities: [] } });

      const after = await f.server.call('{ users(first: 1) { totalCount } }', { token: deputy.accessToken });
      expectRefused(after, 'users', 'FORBIDDEN');
      // The token itself is still good: the deputy is just no longer an admin.
      const me = await meOf(f.server, deputy.accessToken);
      expect(me.data?.me).toMatchObject({ username: 'authz-deputy', authorities: [] });
    });

    it('disables a user, which ends their sessions and login, and enables them again', async () => {
      const leaver = await createAndLogin(f.server, 'authz-leaver');
      const setDisabled = (disabled: boolean) =>
        f.server.call<{ setUserDisabled: UserData }>(
          'mutation($id: ID!, $disabled: Boolean!) { setUserDisabled(userId: $id, disabled: $disabled) { id disabled } }',
          { token: f.admin.accessToken, variables: { id: leaver.user.id, disabled } },
        );

      expect((await setDisabled(true)).data?.setUserDisabled).toEqual({ id: leaver.user.id, disabled: true });
      const refusedToken = await meOf(f.server, leaver.accessToken);
      expect(refusedToken.status).toBe(401);
      expect(refusedToken.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      await expect(login(f.server.call, 'authz-leaver', PASSWORD)).rejects.toThrow(/UNAUTHENTICATED/);

      expect((await setDisabled(false)).data?.setUserDisabled).toEqual({ id: leaver.user.id, disabled: false });
      const again = await login(f.server.call, 'authz-leaver', PASSWORD);
      expect((await meOf(f.server, again.accessToken)).data?.me).toMatchObject({ username: 'authz-leaver', disabled: false });
      // Enabling does not bring the sessions that disabling ended back.
      expect((await meOf(f.server, leaver.accessToken)).status).toBe(401);
    });

    it("forces a user out of every session and says how many it ended", async () => {
      const roamer = await createAndLogin(f.server, 'authz-roamer');
      const secondDevice = await login(f.server.call, 'authz-roamer', PASSWORD, 'second device');

      const response = await f.server.call('mutation($id: ID!) { forceLogout(userId: $id) }', {
        token: f.admin.accessToken,
        variables: { id: roamer.user.id },
      });
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ forceLogout: 2 });

      for (const token of [roamer.accessToken, secondDevice.accessToken]) {
        const me = await meOf(f.server, token);
        expect(me.status).toBe(401);
        expect(me.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      }
      await expect(login(f.server.call, 'authz-roamer', PASSWORD)).resolves.toMatchObject({ user: { id: roamer.user.id } });
    });
  });

  describe('an administrator sending bad input', () => {
    const SET_AUTHORITIES = 'mutation($id: ID!, $auth: [String!]!) { setAuthorities(userId: $id, authorities: $auth) { id } }';
    const SET_DISABLED = 'mutation($id: ID!) { setUserDisabled(userId: $id, disabled: true) { id } }';
    const FORCE_LOGOUT = 'mutation($id: ID!) { forceLogout(userId: $id) }';
    const createUser = (username: string, password: string, authorities: string[] = []) => ({
      input: { username, password, authorities },
    });

    it.each<{ name: string; field: string; query: string; variables: (f: Fixture) => Record<string, unknown>; message: RegExp }>([
      { name: 'setAuthorities for an unknown user id', field: 'setAuthorities', query: SET_AUTHORITIES, variables: () => ({ id: randomUUID(), auth: [] }), message: /no user/i },
      { name: 'setAuthorities for a malformed user id', field: 'setAuthorities', query: SET_AUTHORITIES, variables: () => ({ id: 'not a user id', auth: [] }), message: /no user/i },
      { name: 'setAuthorities with an authority containing a space', field: 'setAuthorities', query: SET_AUTHORITIES, variables: (fx) => ({ id: fx.target.user.id, auth: ['ROLE ADMIN'] }), message: /authorit/i },
      { name: 'setUserDisabled for an unknown user id', field: 'setUserDisabled', query: SET_DISABLED, variables: () => ({ id: randomUUID() }), message: /no user/i },
      { name: 'forceLogout for an unknown user id', field: 'forceLogout', query: FORCE_LOGOUT, variables: () => ({ id: randomUUID() }), message: /no user/i },
      { name: 'createUser with a username containing a space', field: 'createUser', query: CREATE_USER, variables: () => createUser('two words', PASSWORD), message: /username/i },
      { name: 'createUser with an empty username', field: 'createUser', query: CREATE_USER, variables: () => createUser('', PASSWORD), message: /username/i },
      { name: 'createUser with a username containing braces', field: 'createUser', query: CREATE_USER, variables: () => createUser('{u:x}', PASSWORD), message: /username/i },
      { name: 'createUser with a too short password', field: 'createUser', query: CREATE_USER, variables: () => createUser('short-password', 'short'), message: /password.*at least/i },
      { name: 'createUser with a password over 72 bytes', field: 'createUser', query: CREATE_USER, variables: () => createUser('long-password', 'p'.repeat(73)), message: /password.*at most/i },
      { name: 'createUser with a password equal to the username', field: 'createUser', query: CREATE_USER, variables: () => createUser('samesame1', 'samesame1'), message: /password/i },
      { name: 'createUser with an existing username', field: 'createUser', query: CREATE_USER, variables: (fx) => createUser(fx.target.user.username, PASSWORD), message: /taken/i },
      { name: 'createUser with an existing username in other case', field: 'createUser', query: CREATE_USER, variables: (fx) => createUser(fx.target.user.username.toUpperCase(), PASSWORD), message: /taken/i },
      { name: 'createUser with an invalid authority', field: 'createUser', query: CREATE_USER, variables: () => createUser('bad-authority', PASSWORD, ['']), message: /authorit/i },
      { name: 'users with a negative page size', field: 'users', query: '{ users(first: -1) { totalCount } }', variables: () => ({}), message: /first/i },
      { name: 'users after a cursor this service did not make', field: 'users', query: '{ users(after: "garbage") { totalCount } }', variables: () => ({}), message: /cursor/i },
      { name: 'users with a huge page size', field: 'users', query: '{ users(first: 100000) { totalCount } }', variables: () => ({}), message: /first/i },
    ])('gets BAD_USER_INPUT with a clear message for $name', async ({ field, query, variables, message }) => {
      const response = await f.server.call(query, { token: f.admin.accessToken, variables: variables(f) });
      expectBadInput(response, field, message);
    });

    it('leaves the existing account untouched when its username is requested again', async () => {
      await f.server.call(CREATE_USER, {
        token: f.admin.accessToken,
        variables: createUser(f.target.user.username, 'another long password'),
      });
      const me = await meOf(f.server, f.target.accessToken);
      expect(me.data?.me).toEqual({ ...f.target.user, disabled: false });
      await expect(login(f.server.call, f.target.user.username, PASSWORD)).resolves.toMatchObject({ user: { id: f.target.user.id } });
    });
  });
});

describe('an administrator pages through users', () => {
  let server: TestServer;
  let admin: LoginData;
  const usernames = ['page-admin', 'page-b', 'page-c', 'page-d', 'page-e'];

  interface UsersPage {
    readonly totalCount: number;
    readonly hasNextPage: boolean;
    readonly endCursor: string | null;
    readonly nodes: { readonly username: string; readonly createdAt: string }[];
  }

  const USERS = `query($first: Int, $after: String) {
    users(first: $first, after: $after) { totalCount hasNextPage endCursor nodes { username createdAt } }
  }`;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv());
    const [adminName, ...others] = usernames;
    await server.deps.accounts.create({ username: adminName, password: PASSWORD, authorities: [ADMIN] });
    for (const username of others) await server.deps.accounts.create({ username, password: PASSWORD });
    admin = await login(server.call, adminName, PASSWORD);
  });

  afterAll(async () => {
    await server.close();
  });

  it('walks every user exactly once, oldest first, with first/after, hasNextPage and totalCount', async () => {
    const pageSize = 2;
    const pages: UsersPage[] = [];
    let after: string | null = null;
    do {
      const response: GraphQLResponse<{ users: UsersPage }> = await server.call<{ users: UsersPage }>(USERS, {
        token: admin.accessToken,
        variables: { first: pageSize, after },
      });
      expect(response.errors).toBeUndefined();
      const page = response.data?.users;
      if (!page) throw new Error('no users page');
      pages.push(page);
      after = page.hasNextPage ? page.endCursor : null;
    } while (after !== null && pages.length <= usernames.length);

    expect(pages).toHaveLength(Math.ceil(usernames.length / pageSize));
    expect(pages.map((page) => page.totalCount)).toEqual(pages.map(() => usernames.length));
    expect(pages.map((page) => page.hasNextPage)).toEqual(pages.map((_page, index) => index < pages.length - 1));
    expect(pages.every((page) => page.nodes.length <= pageSize)).toBe(true);

    const nodes = pages.flatMap((page) => page.nodes);
    expect(nodes.map((node) => node.username).sort()).toEqual([...usernames].sort());
    const created = nodes.map((node) => Date.parse(node.createdAt));
    expect(created).toEqual([...created].sort((a, b) => a - b));
  });

  it('returns everyone on one page with the default page size', async () => {
    const response = await server.call<{ users: UsersPage }>(USERS, { token: admin.accessToken });
    expect(response.errors).toBeUndefined();
    expect(response.data?.users).toMatchObject({ totalCount: usernames.length, hasNextPage: false });
    expect(response.data?.users.nodes.map((node) => node.username).sort()).toEqual([...usernames].sort());
  });
});
