import { login } from '../support/graphql-caller';
import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const LOGIN = `mutation($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { accessToken } }`;
const CREATE_USER = `mutation($u: String!, $p: String!) { createUser(input: { username: $u, password: $p }) { username } }`;
const CHANGE_PASSWORD = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`;

/** Exactly bcrypt's 72 bytes, with multi-byte characters so bytes and characters differ. */
const PASSWORD_72_BYTES = `${'é'.repeat(20)}${'a'.repeat(32)}`;

describe("passwords and usernames: bcrypt's 72-byte trap, the policy, one spelling per name", () => {
  let server: TestServer;
  let adminToken: string;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv({ BRUTE_FORCE_FAILURE_FACTOR: '100' }));
    await server.deps.accounts.create({ username: 'root', password: 'root password 1', authorities: ['ROLE_ADMIN'] });
    await server.deps.accounts.create({ username: 'alice', password: PASSWORD_72_BYTES, authorities: [] });
    adminToken = (await login(server.call, 'root', 'root password 1')).accessToken;
  });
  afterAll(() => server.close());

  it('refuses a login with the right first 72 bytes and more after them, which bcrypt alone would accept', async () => {
    expect(Buffer.byteLength(PASSWORD_72_BYTES)).toBe(72);
    for (const longer of [`${PASSWORD_72_BYTES}x`, `${PASSWORD_72_BYTES}${'anything at all'.repeat(10)}`]) {
      const response = await server.call(LOGIN, { variables: { u: 'alice', p: longer } });
      expect(response.errors?.[0]).toMatchObject({ message: 'Invalid username or password', extensions: { code: 'UNAUTHENTICATED' } });
    }
    expect((await login(server.call, 'alice', PASSWORD_72_BYTES)).accessToken).toEqual(expect.any(String));
  });

  it.each([
    ['73 bytes', `${PASSWORD_72_BYTES}x`, /at most 72 bytes/],
    ['7 characters', 'short12', /at least 8/],
    ['equal to the username', 'newcomer', /username/],
  ])('refuses a new password of %s with BAD_USER_INPUT on the password field', async (_, password, message) => {
    const response = await server.call(CREATE_USER, { variables: { u: 'newcomer', p: password }, token: adminToken });
    expect(response.errors?.[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT', field: 'password' } });
    expect(await server.deps.accounts.findByUsername('newcomer')).toBeUndefined();
  });

  it('applies the same policy to changePassword and keeps the old password working', async () => {
    const token = (await login(server.call, 'alice', PASSWORD_72_BYTES)).accessToken;
    const response = await server.call(CHANGE_PASSWORD, { variables: { c: PASSWORD_72_BYTES, n: 'x'.repeat(73) }, token });
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    expect((await login(server.call, 'alice', PASSWORD_72_BYTES)).accessToken).toEqual(expect.any(String));
  });

  it.each(['Alice', 'ALICE', 'Ａｌｉｃｅ', ' alice '])('will not create %j beside alice', async (spelling) => {
    const response = await server.call(CREATE_USER, { variables: { u: spelling, p: 'another good password' }, token: adminToken });
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0].extensions?.field).toBe('username');
  });
});
