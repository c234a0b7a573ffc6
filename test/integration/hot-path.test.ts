import { login } from '../support/graphql-caller';
import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

/** Every store operation this instance has run, by name: each is one Redis command or script. */
async function storeOperations(server: TestServer): Promise<Map<string, number>> {
  const text = await (await fetch(new URL('/metrics', server.url))).text();
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^auth_store_operation_duration_seconds_count\{store="(\w+)",operation="(\w+)"\} (\d+)/.exec(line);
    if (match) counts.set(`${match[1]}.${match[2]}`, Number(match[3]));
  }
  return counts;
}

function difference(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const changed: Record<string, number> = {};
  for (const [operation, count] of after) {
    const delta = count - (before.get(operation) ?? 0);
    if (delta !== 0) changed[operation] = delta;
  }
  return changed;
}

describe('the authenticated hot path', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv());
    await server.deps.accounts.create({ username: 'hazel', password: 'correct horse battery', authorities: ['orders:read'] });
  });
  afterAll(() => server.close());

  it('answers me with one Redis round trip: the session check, which also reads the account', async () => {
    const { accessToken, user } = await login(server.call, 'hazel', 'correct horse battery');
    const createdAt = new Date((await server.deps.accounts.findById(user.id))!.createdAt).toISOString();
    const before = await storeOperations(server);
    const response = await server.call(`{ me { id username authorities disabled createdAt } }`, { token: accessToken });
    expect(response.data?.me).toEqual({ id: user.id, username: 'hazel', authorities: ['orders:read'], disabled: false, createdAt });
    expect(difference(before, await storeOperations(server))).toEqual({ 'sessions.check': 1 });
  });

  it('reads the user record as a second round trip only when me asks for the email address', async () => {
    const { accessToken } = await login(server.call, 'hazel', 'correct horse battery');
    const before = await storeOperations(server);
    const response = await server.call(`{ me { username email emailVerified } }`, { token: accessToken });
    expect(response.data?.me).toEqual({ username: 'hazel', email: null, emailVerified: false });
    expect(difference(before, await storeOperations(server))).toEqual({ 'sessions.check': 1, 'users.findById': 1 });
  });

  it('sees a change of authorities on the very next request, still in one round trip', async () => {
    const { accessToken, user } = await login(server.call, 'hazel', 'correct horse battery');
    await server.deps.accounts.setAuthorities(user.id, ['orders:write']);
    const before = await storeOperations(server);
    const response = await server.call(`{ me { authorities } }`, { token: accessToken });
    expect(response.data?.me).toEqual({ authorities: ['orders:write'] });
    expect(difference(before, await storeOperations(server))).toEqual({ 'sessions.check': 1 });
  });
});
