import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startStubServer, type StubServer } from '../support/stub-server';
import { clusterEnv } from '../support/test-env';
import { login } from '../support/graphql-caller';
import { startTestServer, type TestServer } from '../support/test-server';

interface RemoteUser {
  readonly id: string;
  readonly password: string;
  authorities: string[];
}

type Behaviour = 'normal' | 'fail' | 'garbage' | 'hang';

/** A small real authentication system: POST {username, password}, 200 {id, username, authorities} or 401. */
class FakeDirectory {
  readonly users = new Map<string, RemoteUser>([
    ['sam', { id: 'emp-1001', password: 'remote passphrase', authorities: ['orders:read'] }],
  ]);
  behaviour: Behaviour = 'normal';
  requests = 0;
  private server: StubServer | undefined;

  async start(): Promise<string> {
    this.server = await startStubServer((req, res, server) => this.handle(req, res, server));
    return `${this.server.origin}/verify`;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }

  private async handle(req: IncomingMessage, res: ServerResponse, server: StubServer): Promise<void> {
    this.requests += 1;
    let body = '';
    for await (const chunk of req) body += chunk;
    if (this.behaviour === 'hang') return server.hold(res);
    if (this.behaviour === 'fail') return void res.writeHead(502).end('bad gateway');
    if (this.behaviour === 'garbage') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
    const { username, password } = JSON.parse(body) as { username: string; password: string };
    const user = this.users.get(username);
    if (!user || user.password !== password) return void res.writeHead(401).end();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: user.id, username, authorities: user.authorities }));
  }
}

describe('AUTH_PROVIDER=remote against a real HTTP authentication system', () => {
  const directory = new FakeDirectory();
  let server: TestServer;

  beforeAll(async () => {
    const url = await directory.start();
    server = await startTestServer(
      clusterEnv({ AUTH_PROVIDER: 'remote', REMOTE_AUTH_URL: url, REMOTE_AUTH_TIMEOUT: '500ms', MAX_SESSIONS_PER_USER: '2' }),
    );
  });
  afterAll(async () => {
    await server.close();
    await directory.stop();
  });
  beforeEach(() => {
    directory.behaviour = 'normal';
  });

  it('logs a remote user in with the remote authorities, and the session works like a local one', async () => {
    const payload = await login(server.call, 'sam', 'remote passphrase');
    expect(payload.user).toMatchObject({ username: 'sam', authorities: ['orders:read'] });
    const me = await server.call(`{ me { id username authorities } sessions { id current } }`, { token: payload.accessToken });
    expect(me.data?.me).toEqual({ id: payload.user.id, username: 'sam', authorities: ['orders:read'] });
    expect(me.data?.sessions).toEqual([{ id: payload.session.id, current: true }]);
    expect((await server.call(`mutation { logout }`, { token: payload.accessToken })).data).toEqual({ logout: true });
    expect((await server.call(`{ me { id } }`, { token: payload.accessToken })).status).toBe(401);
  });

  it('caps the remote user\'s sessions like a local user\'s', async () => {
    const logins = [];
    for (let i = 0; i < 3; i += 1) logins.push(await login(server.call, 'sam', 'remote passphrase'));
    expect(logins.map((entry) => entry.evictedSessions)).toEqual([expect.any(Number), expect.any(Number), 1]);
    expect((await server.call(`{ me { id } }`, { token: logins[0].accessToken })).status).toBe(401);
    expect((await server.call(`{ me { id } }`, { token: logins[2].accessToken })).status).toBe(200);
  });

  it('follows the remote authorities at the next login', async () => {
    (directory.users.get('sam') as RemoteUser).authorities = ['orders:read', 'orders:write'];
    const payload = await login(server.call, 'sam', 'remote passphrase');
    expect(payload.user.authorities).toEqual(['orders:read', 'orders:write']);
  });

  it('answers a wrong password and an unknown user with the same UNAUTHENTICATED as local accounts', async () => {
    const attempt = (username: string, password: string) =>
      server.call(`mutation($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { accessToken } }`, {
        variables: { u: username, p: password },
      });
    const wrong = await attempt('sam', 'not the passphrase');
    const unknown = await attempt('nobody', 'remote passphrase');
    expect(wrong.errors?.[0]).toMatchObject({ message: 'Invalid username or password', extensions: { code: 'UNAUTHENTICATED' } });
    expect(unknown.errors?.[0]).toEqual(wrong.errors?.[0]);
  });

  it.each<[Behaviour, string]>([
    ['fail', 'answers 502'],
    ['garbage', 'answers 200 with no identity'],
    ['hang', 'never answers (timeout)'],
  ])('answers SERVICE_UNAVAILABLE, promptly, when the remote system is in state "%s": it %s', async (behaviour) => {
    directory.behaviour = behaviour;
    const started = Date.now();
    const response = await server.call(`mutation { login(input: { username: "sam", password: "remote passphrase" }) { accessToken } }`);
    expect(response.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(response.data).toBeNull();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('answers SERVICE_UNAVAILABLE when the remote system is down', async () => {
    await directory.stop();
    const down = await server.call(`mutation { login(input: { username: "sam", password: "remote passphrase" }) { accessToken } }`);
    expect(down.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
  });
});

describe('a remote user disabled by a local administrator', () => {
  const directory = new FakeDirectory();
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(clusterEnv({ AUTH_PROVIDER: 'remote', REMOTE_AUTH_URL: await directory.start() }));
  });
  afterAll(async () => {
    await server.close();
    await directory.stop();
  });

  it('cannot log in even though the remote system still says yes, and its tokens stop working', async () => {
    const payload = await login(server.call, 'sam', 'remote passphrase');
    await server.deps.accounts.setDisabled(payload.user.id, true);
    expect((await server.call(`{ me { id } }`, { token: payload.accessToken })).status).toBe(401);
    const refused = await server.call(`mutation { login(input: { username: "sam", password: "remote passphrase" }) { accessToken } }`);
    expect(refused.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(directory.requests).toBe(2);
  });
});

/** How earlier versions named a remote user locally: an unkeyed digest anyone could compute. */
function digestIdOf(remoteId: string): string {
  const hex = createHash('sha256').update(`remote:${remoteId}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const ENTITY_QUERY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id username } } }`;

describe('remote users\' local ids cannot be computed from their remote ids', () => {
  const directory = new FakeDirectory();
  let first: TestServer;
  let second: TestServer;
  let otherDeployment: TestServer;

  beforeAll(async () => {
    const url = await directory.start();
    directory.users.set('rita', { id: 'emp-2002', password: 'remote passphrase', authorities: [] });
    directory.users.set('olaf', { id: 'emp-3003', password: 'remote passphrase', authorities: [] });
    const env = clusterEnv({ AUTH_PROVIDER: 'remote', REMOTE_AUTH_URL: url });
    first = await startTestServer(env);
    second = await startTestServer(env);
    otherDeployment = await startTestServer(clusterEnv({ AUTH_PROVIDER: 'remote', REMOTE_AUTH_URL: url }));
  });
  afterAll(async () => {
    await Promise.all([first.close(), second.close(), otherDeployment.close()]);
    await directory.stop();
  });

  it('gives a new remote user a random id, the same at every login and on every instance', async () => {
    const atFirst = await login(first.call, 'sam', 'remote passphrase');
    const atSecond = await login(second.call, 'sam', 'remote passphrase');
    const elsewhere = await login(otherDeployment.call, 'sam', 'remote passphrase');
    expect(atFirst.user.id).not.toBe(digestIdOf('emp-1001'));
    expect(atSecond.user.id).toBe(atFirst.user.id);
    // Another deployment with the same remote system: another id, so ids carry nothing of the remote id.
    expect(elsewhere.user.id).not.toBe(atFirst.user.id);
  });

  it('gives concurrent first logins of one remote user on two instances one account', async () => {
    const [a, b] = await Promise.all([login(first.call, 'olaf', 'remote passphrase'), login(second.call, 'olaf', 'remote passphrase')]);
    expect(a.user.id).toBe(b.user.id);
    expect((await first.deps.accounts.findByUsername('olaf'))?.id).toBe(a.user.id);
  });

  it('keeps the id of an account made by an earlier version, which other subgraphs may hold', async () => {
    const legacyId = digestIdOf('emp-2002');
    await first.deps.users.create({ id: legacyId, username: 'rita', passwordHash: '!external', authorities: [], disabled: false, createdAt: Date.now() });
    const payload = await login(first.call, 'rita', 'remote passphrase');
    expect(payload.user.id).toBe(legacyId);
    expect((await login(second.call, 'rita', 'remote passphrase')).user.id).toBe(legacyId);
  });

  it('answers a guessed digest id through _entities with nothing: no such user to a signed-in caller, UNAUTHENTICATED anonymously', async () => {
    const sam = await login(first.call, 'sam', 'remote passphrase');
    const variables = { r: [{ __typename: 'User', id: digestIdOf('emp-1001') }] };
    const signedIn = await first.call(ENTITY_QUERY, { token: sam.accessToken, variables });
    expect(signedIn.data?._entities).toEqual([null]);
    const anonymous = await first.call(ENTITY_QUERY, { variables });
    expect(anonymous.data?._entities).toEqual([null]);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a new remote user whose name is mixed-script or a look-alike of an existing account, after the remote said yes', async () => {
    await first.deps.accounts.create({ username: 'paypal', password: 'local passphrase', authorities: ['ROLE_ADMIN'] });
    directory.users.set('p\u0430ypal', { id: 'emp-4004', password: 'remote passphrase', authorities: [] });
    directory.users.set('\u0440\u0430\u0443\u0440\u0430l', { id: 'emp-5005', password: 'remote passphrase', authorities: [] });
    const attempt = (username: string) =>
      first.call(`mutation($u: String!) { login(input: { username: $u, password: "remote passphrase" }) { accessToken } }`, {
        variables: { u: username },
      });
    for (const username of ['p\u0430ypal', '\u0440\u0430\u0443\u0440\u0430l']) {
      const refused = await attempt(username);
      expect(refused.data ?? null).toBeNull();
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'USERNAME_NOT_ACCEPTED' });
      expect(await first.deps.accounts.findByUsername(username)).toBeUndefined();
    }
    // The right password of a remote account tells nothing to someone who lacks it.
    const wrong = await first.call(`mutation { login(input: { username: "p\u0430ypal", password: "guess" }) { accessToken } }`);
    expect(wrong.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
