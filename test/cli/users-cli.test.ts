import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { LOGIN, login, type LoginData } from '../support/graphql-caller';
import { clusterEnv, TEST_JWT_SECRET } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';
import { type CliRun, expectOneLineError, spawnUsersCli } from './spawn-users-cli';

/** Every password these tests use: none may ever appear in the CLI's output. */
const ALICE_PASSWORD = 'alice correct horse 1';
const BOB_PASSWORD = 'bob battery staple 22';
const ARGV_PASSWORD = 'never-on-the-command-line-7';
const WEAK_PASSWORD = 'w3ak!';
const SECRETS = [ALICE_PASSWORD, BOB_PASSWORD, ARGV_PASSWORD, WEAK_PASSWORD];

const ME = `{ me { username authorities } }`;

describe('npm run users on the real cluster', () => {
  // The CLI runs in a process of its own: it finds the server's login counters only under the same secret.
  const env = clusterEnv({ SERVER_SECRET: 'users-cli-test-server-secret-of-32-bytes+' });
  let server: TestServer;
  let aliceId: string;
  let bobId: string;

  /** Runs the CLI against this file's key prefix, and checks no password or hash ever reaches its output. */
  async function cli(args: readonly string[], stdin?: string): Promise<CliRun> {
    const run = await spawnUsersCli(args, env, stdin);
    for (const secret of SECRETS) expect(run.stdout + run.stderr).not.toContain(secret);
    expect(run.stdout + run.stderr).not.toMatch(/\$2[aby]\$/);
    return run;
  }

  const loginAs = (username: string, password: string): Promise<LoginData> =>
    login(server.call, username, password, 'users-cli-test/1.0');

  beforeAll(async () => {
    server = await startTestServer(env);
  });
  afterAll(() => server.close());

  it('creates users from a password on stdin, who then log in through the real server', async () => {
    const [alice, bob] = await Promise.all([
      cli(['create', 'Alice', '--authority', 'ROLE_A', '--authority', 'ROLE_B'], `${ALICE_PASSWORD}\n`),
      cli(['create', 'bob', '--json'], BOB_PASSWORD),
    ]);
    expect({ code: alice.code, stderr: alice.stderr }).toEqual({ code: 0, stderr: '' });
    expect(alice.stdout).toMatch(/^[0-9a-f-]{36}\n$/);
    aliceId = alice.stdout.trim();
    expect(bob.code).toBe(0);
    const bobJson = JSON.parse(bob.stdout);
    expect(bobJson).toEqual({
      id: expect.any(String),
      username: 'bob',
      email: null,
      emailVerified: false,
      authorities: [],
      disabled: false,
      createdAt: expect.any(String),
    });
    bobId = bobJson.id;

    const session = await loginAs('alice', ALICE_PASSWORD);
    expect(session.user).toEqual({ id: aliceId, username: 'alice', authorities: ['ROLE_A', 'ROLE_B'], disabled: false });
    expect((await loginAs('bob', BOB_PASSWORD)).user.id).toBe(bobId);
  });

  it("prints the service's BAD_USER_INPUT messages and exits 1: taken username, bad name, weak or no password", async () => {
    const [taken, badName, weak, empty] = await Promise.all([
      cli(['create', 'ALICE'], `${ALICE_PASSWORD}\n`),
      cli(['create', 'carol smith'], `${ALICE_PASSWORD}\n`),
      cli(['create', 'carol'], `${WEAK_PASSWORD}\n`),
      cli(['create', 'carol'], ''),
    ]);
    expectOneLineError(taken, 1, 'error: That username is taken\n');
    expectOneLineError(badName, 1, /^error: Username must be 1 to 64 letters, digits or \. _ @ -, starting with a letter or digit\n$/);
    expectOneLineError(weak, 1, 'error: Password must be at least 8 characters\n');
    expectOneLineError(empty, 1, 'No password on stdin');
    expect(await server.deps.accounts.findByUsername('carol')).toBeUndefined();
  });

  it('refuses a password in argv (exit 2) without repeating it, and creates nothing', async () => {
    const [option, operand] = await Promise.all([
      cli(['create', 'carol', '--password', ARGV_PASSWORD], `${ARGV_PASSWORD}\n`),
      cli(['create', 'carol', ARGV_PASSWORD], `${ARGV_PASSWORD}\n`),
    ]);
    expectOneLineError(option, 2, '--password is refused');
    expectOneLineError(operand, 2, 'the password is never an argument');
    expect(await server.deps.accounts.findByUsername('carol')).toBeUndefined();
  });

  it('lists users with their email address and whether it is verified, as a table or JSON, a page at a time, oldest first', async () => {
    // The CLI gives no address: alice gets a verified one from the store, bob has none.
    await server.deps.users.changeEmail(aliceId, 'alice@example.org', true);
    const createdAt = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const alice = { id: aliceId, username: 'alice', email: 'alice@example.org', emailVerified: true, authorities: ['ROLE_A', 'ROLE_B'], disabled: false, createdAt };
    const bob = { id: bobId, username: 'bob', email: null, emailVerified: false, authorities: [], disabled: false, createdAt };
    // Created concurrently: ids are UUIDv7, so the older one sorts first.
    const [older, newer] = [alice, bob].sort((a, b) => a.id.localeCompare(b.id));

    const [firstPage, tableRun] = await Promise.all([cli(['list', '--first', '1', '--json']), cli(['list'])]);
    const page = JSON.parse(firstPage.stdout);
    expect(page).toEqual({ totalCount: 2, users: [older], nextCursor: expect.any(String) });
    const next = JSON.parse((await cli(['list', '--first', '1', '--after', page.nextCursor, '--json'])).stdout);
    expect(next).toEqual({ totalCount: 2, users: [newer], nextCursor: null });

    expect(tableRun.code).toBe(0);
    const lines = tableRun.stdout.split('\n');
    expect(lines[0]).toMatch(/^ID\s+USERNAME\s+EMAIL\s+VERIFIED\s+AUTHORITIES\s+DISABLED\s+CREATED$/);
    expect(lines.slice(1, 3).map((line) => line.split(/\s+/).slice(0, 6))).toEqual(
      [older, newer].map((user) => [
        user.id,
        user.username,
        user.email ?? '-',
        user.emailVerified ? 'yes' : 'no',
        user.authorities.join(',') || '-',
        'no',
      ]),
    );
    expect(tableRun.stdout).toMatch(/\n\n2 of 2 users\n$/);
  });

  it('shows a user by username or id with its live sessions, and lists the sessions', async () => {
    const [first, second] = [await loginAs('alice', ALICE_PASSWORD), await loginAs('alice', ALICE_PASSWORD)];
    const [showJson, showText, sessionsJson, bobText] = await Promise.all([
      cli(['show', 'alice', '--json']),
      cli(['show', aliceId]),
      cli(['sessions', 'ALICE', '--json']),
      cli(['show', 'bob']),
    ]);
    const shown = JSON.parse(showJson.stdout);
    expect(shown.user).toEqual({
      id: aliceId,
      username: 'alice',
      email: 'alice@example.org',
      emailVerified: true,
      authorities: ['ROLE_A', 'ROLE_B'],
      disabled: false,
      createdAt: expect.any(String),
    });
    expect(shown.user).not.toHaveProperty('passwordHash');
    expect(shown.sessions.slice(0, 2).map((session: { id: string }) => session.id)).toEqual([second.session.id, first.session.id]);
    expect(shown.sessions[0]).toEqual({
      id: second.session.id,
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
      absoluteExpiresAt: expect.any(String),
      lastSeenAt: expect.any(String),
      ip: expect.stringContaining('127.0.0.1'),
      userAgent: 'users-cli-test/1.0',
    });
    expect(JSON.parse(sessionsJson.stdout)).toEqual({ user: { id: aliceId, username: 'alice' }, sessions: shown.sessions });

    expect(showText.stdout).toMatch(
      /^id: +[0-9a-f-]{36}\nusername: +alice\nemail: +alice@example\.org\nemail verified: +yes\nauthorities: +ROLE_A, ROLE_B\ndisabled: +no\n/,
    );
    expect(bobText.stdout).toMatch(/\nemail: +\(none\)\nemail verified: +no\n/);
    expect(showText.stdout).toContain(`${shown.sessions.length} live sessions`);
    expect(showText.stdout).toMatch(/SESSION\s+CREATED\s+EXPIRES\s+LAST SEEN\s+IP\s+USER AGENT\n/);
    expect(showText.stdout).toMatch(new RegExp(`\n${second.session.id}\\s+\\d{4}-.*\\s+users-cli-test/1\\.0\n`));
  });

  it('sets authorities (or none), and a live token sees them on its next request', async () => {
    const { accessToken } = await loginAs('alice', ALICE_PASSWORD);
    const [alice, bob] = await Promise.all([
      cli(['set-authorities', 'alice', 'ROLE_X', 'reports:read', '--json']),
      cli(['set-authorities', bobId, '--none']),
    ]);
    expect(JSON.parse(alice.stdout).authorities).toEqual(['ROLE_X', 'reports:read']);
    expect(bob.stdout).toBe('bob: authorities (none)\n');
    const me = await server.call(ME, { token: accessToken });
    expect(me.data).toEqual({ me: { username: 'alice', authorities: ['ROLE_X', 'reports:read'] } });
    expect((await server.deps.accounts.findById(bobId))?.authorities).toEqual([]);
  });

  it('force-logout revokes every session, prints how many, and the tokens get HTTP 401', async () => {
    const { accessToken } = await loginAs('alice', ALICE_PASSWORD);
    const live = (await server.deps.sessions.list(aliceId)).length;
    expect(live).toBeGreaterThan(1);
    const run = await cli(['force-logout', aliceId]);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 0, stdout: `alice: ${live} sessions revoked\n` });
    expect((await server.call(ME, { token: accessToken })).status).toBe(401);
    expect(await server.deps.sessions.list(aliceId)).toEqual([]);
  });

  it('disable revokes the sessions and refuses logins (tokens get 401); enable lets the user back in', async () => {
    const { accessToken } = await loginAs('alice', ALICE_PASSWORD);
    const disabled = await cli(['disable', 'alice']);
    expect({ code: disabled.code, stdout: disabled.stdout }).toEqual({
      code: 0,
      stdout: 'alice is disabled; all of its sessions were revoked\n',
    });
    expect((await server.call(ME, { token: accessToken })).status).toBe(401);
    const refused = await server.call(LOGIN, { variables: { input: { username: 'alice', password: ALICE_PASSWORD } } });
    expect(refused.errors?.[0]?.message).toBe('This account is disabled');
    expect(await server.deps.sessions.list(aliceId)).toEqual([]);

    const enabled = await cli(['enable', aliceId, '--json']);
    expect(JSON.parse(enabled.stdout)).toMatchObject({ id: aliceId, disabled: false });
    const again = await loginAs('alice', ALICE_PASSWORD);
    expect((await server.call(ME, { token: again.accessToken })).data?.me.username).toBe('alice');
  });

  it("unlock lifts a brute-force lockout at every address of the username: the right password works again at once", async () => {
    const wrong = { variables: { input: { username: 'bob', password: 'not bobs password' } } };
    for (let i = 0; i < 5; i += 1) expect((await server.call(LOGIN, wrong)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const locked = await server.call(LOGIN, { variables: { input: { username: 'bob', password: BOB_PASSWORD } } });
    expect(locked.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');

    const run = await cli(['unlock', 'BOB']);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 0, stdout: 'BOB: unlocked at 1 client address; 5 failed logins forgotten\n' });
    expect((await loginAs('bob', BOB_PASSWORD)).user.username).toBe('bob');
    expect(JSON.parse((await cli(['unlock', 'bob', '--json'])).stdout)).toEqual({
      username: 'bob',
      wasLocked: false,
      lockedAddresses: 0,
      wasSlowedDown: false,
      failuresForgotten: 0,
    });
  });

  it('exits 1 for an unknown user, named by username or id', async () => {
    const runs = await Promise.all([cli(['disable', 'nobody']), cli(['force-logout', randomUUID()])]);
    for (const run of runs) expectOneLineError(run, 1, /^error: No user with username or id "[^"]+"\n$/);
  });
});

describe('npm run users: usage, help and configuration', () => {
  const env = clusterEnv();

  it('prints usage for --help, help <command> and <command> --help, exit 0', async () => {
    const [general, helpCreate, sessionsHelp] = await Promise.all([
      spawnUsersCli(['--help'], {}),
      spawnUsersCli(['help', 'create'], {}),
      spawnUsersCli(['sessions', '--help'], {}),
    ]);
    expect(general).toMatchObject({ code: 0, stderr: '' });
    for (const command of ['create', 'list', 'show', 'set-authorities', 'disable', 'enable', 'force-logout', 'sessions']) {
      expect(general.stdout).toContain(`\n  ${command} `);
    }
    expect(helpCreate).toMatchObject({ code: 0, stderr: '' });
    expect(helpCreate.stdout).toMatch(/^Usage: npm run users -- create <username> \[--authority A\]\.\.\./);
    expect(helpCreate.stdout).toContain('--password is refused');
    expect(sessionsHelp.stdout).toMatch(/^Usage: npm run users -- sessions <username\|id>/);
  });

  it('exits 2 on an unknown command or a missing argument', async () => {
    const [unknown, missing] = await Promise.all([spawnUsersCli(['frobnicate'], env), spawnUsersCli(['show'], env)]);
    expectOneLineError(unknown, 2, 'unknown command "frobnicate"');
    expectOneLineError(missing, 2, 'show: missing argument');
  });

  it('exits 2 without Redis configured, 3 when Redis is unreachable', async () => {
    const base = { NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, BCRYPT_COST: '4' };
    const [noRedis, unreachable] = await Promise.all([
      spawnUsersCli(['list'], base),
      spawnUsersCli(['list'], { ...base, REDIS_URL: `redis://127.0.0.1:${await closedPort()}` }),
    ]);
    expectOneLineError(noRedis, 2, /^error: No store configured: set REDIS_CLUSTER_NODES \(or REDIS_URL\) and REDIS_KEY_PREFIX, or DATABASE_URL/);
    expectOneLineError(unreachable, 3, /^error: Redis is unavailable: .*ECONNREFUSED/);
  });
});

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
