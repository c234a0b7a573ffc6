import { newUserId } from '@graphql-auth-service/subgraph/ids';
import { createRedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { login } from '../support/graphql-caller';
import { clusterClient, clusterEnv, uniqueKeyPrefix } from '../support/test-env';
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
    for (const username of ['admin', 'aoe', 'paypal']) {
      await server.deps.accounts.create({ username, password: `${username} password 1`, authorities: [] });
    }
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

  it.each(['ALICE', 'Ａｌｉｃｅ', ' alice '])('logs %j in as alice: one account, whatever the spelling', async (spelling) => {
    const token = (await login(server.call, spelling, PASSWORD_72_BYTES)).accessToken;
    const me = await server.call<{ me: { username: string } }>('{ me { username } }', { token });
    expect(me.data?.me.username).toBe('alice');
  });

  describe('look-alike usernames', () => {
    async function createAndExpectRefusal(username: string, message: RegExp): Promise<void> {
      const response = await server.call(CREATE_USER, { variables: { u: username, p: 'another good password' }, token: adminToken });
      expect(response.errors?.[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT', field: 'username' } });
      expect(await server.deps.accounts.findByUsername(username)).toBeUndefined();
    }

    it.each([
      ['Cyrillic а in alice', 'аlice'],
      ['one Cyrillic а in paypal', 'pаypal'],
      ['Cyrillic р, а, у with a Latin l', 'раураl'],
      ['Greek ο in bob', 'bοb'],
    ])('refuses a name that mixes Latin with another script (%s)', async (_, username) => {
      await createAndExpectRefusal(username, /single script/);
    });

    it.each([
      ['Latin dotless ı for i', 'admın', 'admin'],
      ['rn for m', 'adrnin', 'admin'],
      ['digit 1 for l', 'a1ice', 'alice'],
      ['all-Cyrillic а, о, е', 'аое', 'aoe'],
      ['all-Cyrillic р, а, у, а', 'рауа', 'paya'],
    ])('refuses a name that looks like an existing one (%s)', async (_, username, existing) => {
      if (!(await server.deps.accounts.findByUsername(existing))) {
        await server.deps.accounts.create({ username: existing, password: `${existing} password 1`, authorities: [] });
      }
      await createAndExpectRefusal(username, /^That username is too similar to an existing one$/);
    });

    it.each([
      ['a Hebrew name starting with a digit', '1שלום'],
      ['Arabic with both Arabic-Indic and European digits', 'علي١2'],
      ['Hebrew ending in a full stop', 'שלום.'],
      ['Latin followed by Hebrew', 'abcשלום'],
    ])('refuses right-to-left text that would display misleadingly (%s)', async (_, username) => {
      const response = await server.call(CREATE_USER, { variables: { u: username, p: 'another good password' }, token: adminToken });
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'username' });
      expect(await server.deps.accounts.findByUsername(username)).toBeUndefined();
    });

    it.each([
      ['Cyrillic', 'алиса'],
      ['Greek', 'ελένη'],
      ['Japanese kana and kanji', 'やまだ太郎'],
      ['Japanese with Latin', 'taro山田'],
      ['Korean', '김민준'],
      ['Chinese', '李小龙'],
      ['Hebrew', 'שלום'],
      ['Arabic with its digits', 'علي١٢'],
      ['accented Latin', 'zoë.müller'],
      ['German sharp s', 'straße'],
    ])('accepts an honest %s name and lets it log in', async (_, username) => {
      const password = 'a good long password';
      const response = await server.call(CREATE_USER, { variables: { u: username, p: password }, token: adminToken });
      expect(response.errors).toBeUndefined();
      expect(response.data).toEqual({ createUser: { username: username.normalize('NFC') } });
      expect((await login(server.call, username, password)).accessToken).toEqual(expect.any(String));
    });

    it('refuses a name with a compatibility character that NFKC would have folded silently', async () => {
      await createAndExpectRefusal('ﬁona', /not allowed/);
    });
  });
});

describe('look-alikes of accounts from before the skeleton index', () => {
  it('refuses a look-alike of an account created by an earlier version, once the server has started', async () => {
    // The keys an earlier version wrote for carol: record, name and index, no skeleton.
    const prefix = uniqueKeyPrefix();
    const keys = createRedisKeys(prefix);
    const redis = clusterClient();
    const carol = newUserId(Date.now());
    try {
      await redis.hset(keys.user(carol), { id: carol, username: 'carol', passwordHash: '!external', authorities: '[]', disabled: '0', createdAt: String(Date.now()) });
      await redis.set(keys.username('carol'), carol);
      await redis.zadd(keys.userIndex(), 0, carol);
    } finally {
      await redis.quit();
    }

    const server = await startTestServer(clusterEnv({ REDIS_KEY_PREFIX: prefix }));
    try {
      await server.deps.accounts.create({ username: 'root', password: 'root password 1', authorities: ['ROLE_ADMIN'] });
      const token = (await login(server.call, 'root', 'root password 1')).accessToken;
      const response = await server.call(CREATE_USER, { variables: { u: 'caro1', p: 'another good password' }, token });
      expect(response.errors?.[0]).toMatchObject({
        message: 'That username is too similar to an existing one',
        extensions: { code: 'BAD_USER_INPUT', field: 'username' },
      });
    } finally {
      await server.close();
    }
  });
});
