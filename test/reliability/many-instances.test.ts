import { login, type LoginData } from '../support/graphql-caller';
import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

const PASSWORD = 'correct horse battery';
const ME = '{ me { id } }';

interface Revocation {
  readonly name: string;
  /** Revokes `victim` through `server`; `other` is a second live session of the same user. */
  readonly revoke: (server: TestServer, victim: LoginData, other: LoginData, admin: LoginData) => Promise<unknown>;
}

const revocations: Revocation[] = [
  { name: 'logout', revoke: (server, victim) => server.call('mutation { logout }', { token: victim.accessToken }) },
  {
    name: 'revokeSession',
    revoke: (server, victim, other) => server.call('mutation($id: ID!) { revokeSession(id: $id) }', { variables: { id: victim.session.id }, token: other.accessToken }),
  },
  { name: 'logoutAll', revoke: (server, victim) => server.call('mutation { logoutAll }', { token: victim.accessToken }) },
  {
    name: 'forceLogout',
    revoke: (server, victim, _other, admin) => server.call('mutation($id: ID!) { forceLogout(userId: $id) }', { variables: { id: victim.user.id }, token: admin.accessToken }),
  },
  {
    name: 'setUserDisabled',
    revoke: (server, victim, _other, admin) =>
      server.call('mutation($id: ID!) { setUserDisabled(userId: $id, disabled: true) { id } }', { variables: { id: victim.user.id }, token: admin.accessToken }),
  },
  {
    name: 'changePassword (from another session)',
    revoke: (server, _victim, other) =>
      server.call(`mutation { changePassword(currentPassword: "${PASSWORD}", newPassword: "another good password") }`, { token: other.accessToken }),
  },
];

describe('three API instances on one cluster, requests spread among them', () => {
  let instances: TestServer[];
  let admin: LoginData;

  beforeAll(async () => {
    const env = clusterEnv({ MAX_SESSIONS_PER_USER: '2' });
    instances = await Promise.all([startTestServer(env), startTestServer(env), startTestServer(env)]);
    await instances[0].deps.accounts.create({ username: 'root', password: PASSWORD, authorities: ['ROLE_ADMIN'] });
    admin = await login(instances[1].call, 'root', PASSWORD);
  });
  afterAll(async () => {
    for (const instance of instances) await instance.close();
  });

  it.each(revocations.flatMap((revocation) => [0, 1, 2].map((on) => [revocation.name, on, revocation] as const)))(
    '%s on instance %i is refused by every instance on its next request',
    async (name, on, revocation) => {
      const username = `${name.split(' ')[0].toLowerCase()}-${on}`;
      await instances[on].deps.accounts.create({ username, password: PASSWORD, authorities: [] });
      const victim = await login(instances[(on + 1) % 3].call, username, PASSWORD);
      const other = await login(instances[(on + 2) % 3].call, username, PASSWORD);
      for (const instance of instances) expect((await instance.call(ME, { token: victim.accessToken })).data).toEqual({ me: { id: victim.user.id } });

      await revocation.revoke(instances[on], victim, other, admin);
      for (const instance of instances) expect((await instance.call(ME, { token: victim.accessToken })).status).toBe(401);
    },
  );

  it('an eviction at the cap on one instance is refused by the others at once', async () => {
    await instances[0].deps.accounts.create({ username: 'capped', password: PASSWORD, authorities: [] });
    const oldest = await login(instances[0].call, 'capped', PASSWORD);
    await login(instances[1].call, 'capped', PASSWORD);
    const third = await login(instances[2].call, 'capped', PASSWORD);
    expect(third.evictedSessions).toBe(1);
    for (const instance of instances) expect((await instance.call(ME, { token: oldest.accessToken })).status).toBe(401);
  });
});
