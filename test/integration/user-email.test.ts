import type { UserRecord } from '@graphql-auth-service/subgraph/users/user';
import { type GraphQLResponse, login, type LoginData } from '../support/graphql-caller';
import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const PASSWORD = 'a perfectly long password';

/** Where a User is reachable without ROLE_ADMIN besides `me`: by reference, as another subgraph's entity. */
const USER_ENTITY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id username email } } }`;
const USER_ENTITY_VERIFIED = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id emailVerified } } }`;

const LOGIN_WITH_ADDRESS = `mutation($input: LoginInput!) { login(input: $input) { user { id email emailVerified } } }`;

interface Contact {
  readonly email: string | null;
  readonly emailVerified: boolean;
}

describe('User.email and User.emailVerified: read by the user themself and ROLE_ADMIN only', () => {
  let server: TestServer;
  let admin: LoginData;
  /** An address given at creation as typed, verified. */
  let alice: LoginData;
  /** An address given after login, not verified (an account may need a verified address to log in). */
  let bob: LoginData;
  /** No address. */
  let carol: LoginData;

  async function createAndLogin(account: { username: string; email?: string; emailVerified?: boolean; authorities?: string[] }): Promise<LoginData> {
    await server.deps.accounts.create({ ...account, password: PASSWORD });
    return login(server.call, account.username, PASSWORD);
  }

  const representations = (...users: LoginData[]) => ({ r: users.map(({ user }) => ({ __typename: 'User', id: user.id })) });

  function expectForbiddenAt(response: GraphQLResponse, path: (string | number)[]): void {
    expect(response.errors?.map((error) => [error.extensions?.code, error.path])).toEqual([['FORBIDDEN', path]]);
  }

  beforeAll(async () => {
    server = await startTestServer(clusterEnv());
    admin = await createAndLogin({ username: 'mail-admin', authorities: ['ROLE_ADMIN'] });
    alice = await createAndLogin({ username: 'mail-alice', email: ' Alice@Example.ORG ', emailVerified: true });
    bob = await createAndLogin({ username: 'mail-bob' });
    await server.deps.users.changeEmail(bob.user.id, 'bob@example.org', false);
    carol = await createAndLogin({ username: 'mail-carol' });
  });

  afterAll(() => server.close());

  it('lets a user read their own address and its state through me, normalised as stored', async () => {
    const expected: [LoginData, Contact][] = [
      [alice, { email: 'alice@example.org', emailVerified: true }],
      [bob, { email: 'bob@example.org', emailVerified: false }],
      [carol, { email: null, emailVerified: false }],
    ];
    for (const [who, contact] of expected) {
      const response = await server.call('{ me { id username email emailVerified } }', { token: who.accessToken });
      expect(response.errors).toBeUndefined();
      expect(response.data?.me).toEqual({ id: who.user.id, username: who.user.username, ...contact });
    }
  });

  it('answers me from the record when the address is asked for through a fragment, and sees a change at once', async () => {
    const dora = await createAndLogin({ username: 'mail-dora', email: 'dora@example.org', emailVerified: true });
    const query = '{ me { username ...Contact } } fragment Contact on User { ... on User { email emailVerified } }';

    await server.deps.users.changeEmail(dora.user.id, 'dora@new.example', false);

    const response = await server.call(query, { token: dora.accessToken });
    expect(response.errors).toBeUndefined();
    expect(response.data?.me).toEqual({ username: 'mail-dora', email: 'dora@new.example', emailVerified: false });
  });

  it('shows the user their own address in the login payload', async () => {
    const response = await server.call(LOGIN_WITH_ADDRESS, { variables: { input: { username: 'mail-alice', password: PASSWORD } } });
    expect(response.errors).toBeUndefined();
    expect(response.data?.login.user).toEqual({ id: alice.user.id, email: 'alice@example.org', emailVerified: true });
  });

  it("lets an administrator read another user's address and its state through user(id:) and users", async () => {
    const one = await server.call('query($id: ID!) { user(id: $id) { id email emailVerified } }', {
      token: admin.accessToken,
      variables: { id: alice.user.id },
    });
    expect(one.errors).toBeUndefined();
    expect(one.data?.user).toEqual({ id: alice.user.id, email: 'alice@example.org', emailVerified: true });

    const all = await server.call<{ users: { nodes: ({ username: string } & Contact)[] } }>(
      '{ users(first: 50) { nodes { username email emailVerified } } }',
      { token: admin.accessToken },
    );
    expect(all.errors).toBeUndefined();
    const byName = new Map(all.data?.users.nodes.map(({ username, ...contact }) => [username, contact]));
    expect(byName.get('mail-alice')).toEqual({ email: 'alice@example.org', emailVerified: true });
    expect(byName.get('mail-bob')).toEqual({ email: 'bob@example.org', emailVerified: false });
    expect(byName.get('mail-carol')).toEqual({ email: null, emailVerified: false });

    const entities = await server.call(USER_ENTITY, { token: admin.accessToken, variables: representations(alice) });
    expect(entities.errors).toBeUndefined();
    expect(entities.data?._entities).toEqual([{ id: alice.user.id, username: 'mail-alice', email: 'alice@example.org' }]);
  });

  it("refuses a user without ROLE_ADMIN another user's address wherever that user is reachable, and still serves their own", async () => {
    const others = await server.call(USER_ENTITY, { token: bob.accessToken, variables: representations(alice) });
    expectForbiddenAt(others, ['_entities', 0, 'email']);
    // The public fields still come; the address does not.
    expect(others.data?._entities).toEqual([{ id: alice.user.id, username: 'mail-alice', email: null }]);
    expect(JSON.stringify(others)).not.toContain('alice@');

    const state = await server.call(USER_ENTITY_VERIFIED, { token: carol.accessToken, variables: representations(bob) });
    expectForbiddenAt(state, ['_entities', 0, 'emailVerified']);
    expect(state.data?._entities).toEqual([null]);

    const own = await server.call(USER_ENTITY, { token: bob.accessToken, variables: representations(bob) });
    expect(own.errors).toBeUndefined();
    expect(own.data?._entities).toEqual([{ id: bob.user.id, username: 'mail-bob', email: 'bob@example.org' }]);

    const refused = await server.call('query($id: ID!) { user(id: $id) { email } }', { token: bob.accessToken, variables: { id: alice.user.id } });
    expectForbiddenAt(refused, ['user']);
  });

  it('gives an anonymous caller neither field', async () => {
    const me = await server.call('{ me { email emailVerified } }');
    expect(me.errors).toBeUndefined();
    expect(me.data).toEqual({ me: null });

    const entities = await server.call(USER_ENTITY, { variables: representations(alice) });
    expect(entities.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(entities)).not.toContain('alice@');
  });

  it('stores the address normalised and refuses one another account holds', async () => {
    const stored = (await server.deps.accounts.findById(alice.user.id)) as UserRecord;
    expect(stored).toMatchObject({ email: 'alice@example.org', emailVerified: true });
    await expect(server.deps.accounts.create({ username: 'mail-eve', password: PASSWORD, email: 'ALICE@example.org' })).rejects.toThrow(
      'That email address is taken',
    );
    expect(await server.deps.accounts.findByUsername('mail-eve')).toBeUndefined();
  });
});
