import { mkdirSync, writeFileSync } from 'node:fs';
import { startLocalCluster, type LocalCluster, type RedisAddress } from '../../tools/redis-cluster/launcher';
import { createRedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import type { GraphQLCaller, GraphQLResponse } from '../support/graphql-caller';
import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';
import { killNode, masterOfKey, untilEveryMasterHasAReplica, untilFailedOver } from './cluster-control';

jest.setTimeout(240_000);

const PASSWORD = 'correct horse battery';
const ME = '{ me { id username } }';
const LOGIN = `mutation($u: String!) { login(input: { username: $u, password: "${PASSWORD}" }) { accessToken session { id } } }`;
const RECOVERY_DEADLINE_MS = 30_000;

interface Account {
  readonly id: string;
  readonly username: string;
}

type Outcome = 'ok' | 'unavailable' | 'wrong';

/** Every answer these tests read: me, login and logout. */
type Answer = GraphQLResponse<{
  me?: { id: string; username: string } | null;
  login?: { accessToken: string; session: { id: string } };
  logout?: boolean;
}>;

const codeOf = (response: GraphQLResponse) => response.errors?.[0]?.extensions?.code;

/** Asks until Redis answers for this user (503s are the failover window), then gives the answer. */
async function settledAnswer(call: GraphQLCaller, query: string, token: string): Promise<Answer> {
  const giveUpAt = Date.now() + RECOVERY_DEADLINE_MS;
  for (;;) {
    const response: Answer = await call(query, { token });
    if (codeOf(response) !== 'SERVICE_UNAVAILABLE' || Date.now() > giveUpAt) return response;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a master killed with kill -9 on a 3-master, 3-replica cluster', () => {
  let cluster: LocalCluster;
  let servers: TestServer[];
  let accounts: Account[];
  let adminToken: string;
  let keys: ReturnType<typeof createRedisKeys>;
  const used = new Set<string>();
  const report: Record<string, unknown> = {};
  const logLines: string[] = [];

  const call = (i: number) => servers[i % servers.length].call;
  const userKey = (account: Account) => keys.user(account.id);

  async function login(account: Account, via = 0): Promise<{ token: string; sessionId: string }> {
    const response = await call(via)(LOGIN, { variables: { u: account.username } });
    if (!response.data?.login) throw new Error(`login of ${account.username} failed: ${JSON.stringify(response.errors)}`);
    return { token: response.data.login.accessToken, sessionId: response.data.login.session.id };
  }

  /** Accounts not used yet whose records live on the given master. */
  async function accountsOn(master: RedisAddress, count: number): Promise<Account[]> {
    const found: Account[] = [];
    for (const account of accounts) {
      if (found.length === count) break;
      if (used.has(account.id)) continue;
      if ((await masterOfKey(cluster, userKey(account))).port === master.port) found.push(account);
    }
    if (found.length < count) throw new Error('not enough fresh accounts on that master');
    for (const account of found) used.add(account.id);
    return found;
  }

  beforeAll(async () => {
    cluster = await startLocalCluster();
    const env = clusterEnv({
      REDIS_CLUSTER_NODES: cluster.nodes.map((node) => `${node.host}:${node.port}`).join(','),
      BRUTE_FORCE_PROTECTION: 'false',
      MAX_SESSIONS_PER_USER: '3',
      BCRYPT_WORKERS: '1',
    });
    keys = createRedisKeys(env.REDIS_KEY_PREFIX);
    servers = [await startTestServer(env, { logLines }), await startTestServer(env, { logLines })];
    await servers[0].deps.accounts.create({ username: 'admin', password: PASSWORD, authorities: ['ROLE_ADMIN'] });
    accounts = [];
    for (let i = 0; i < 90; i += 1) {
      const user = await servers[0].deps.accounts.create({ username: `user${i}`, password: PASSWORD, authorities: [] });
      accounts.push({ id: user.id, username: user.username });
    }
  });

  afterAll(async () => {
    for (const server of servers ?? []) await server.close();
    await cluster?.stop();
    mkdirSync('test-artifacts', { recursive: true });
    writeFileSync('/tmp/failover-logs.txt', logLines.filter((l) => /"level":(50|40)/.test(l)).join('\n'));
    writeFileSync('test-artifacts/failover.json', `${JSON.stringify(report, null, 2)}\n`);
  });

  it('loses no acknowledged revocation: revoke, kill that slot\'s master at once, fail over, the tokens stay refused', async () => {
    const CYCLES = 6;
    let revocationsChecked = 0;
    const failoverMs: number[] = [];
    for (let cycle = 0; cycle < CYCLES; cycle += 1) {
      adminToken = (await login({ id: '', username: 'admin' })).token;
      const anchor = accounts.find((account) => !used.has(account.id)) as Account;
      const master = await masterOfKey(cluster, userKey(anchor));
      const [user, toDisable, toForceOut, toChangePassword] = await accountsOn(master, 4);

      // Eviction: the fourth login of a user capped at three evicts the first.
      const sessions = [await login(user, 0), await login(user, 1), await login(user, 0), await login(user, 1)];
      const [evicted, loggedOut, revokedById, kept] = sessions;
      expect((await call(0)('mutation { logout }', { token: loggedOut.token })).data).toEqual({ logout: true });
      const byId = await call(1)('mutation($id: ID!) { revokeSession(id: $id) }', { variables: { id: revokedById.sessionId }, token: kept.token });
      expect(byId.errors).toBeUndefined();
      expect(byId.data).toEqual({ revokeSession: true });

      const disabled = await login(toDisable, 1);
      const disable = await call(0)('mutation($id: ID!) { setUserDisabled(userId: $id, disabled: true) { disabled } }', { variables: { id: toDisable.id }, token: adminToken });
      expect(disable.data).toEqual({ setUserDisabled: { disabled: true } });

      const forcedOut = await login(toForceOut, 0);
      const force = await call(1)('mutation($id: ID!) { forceLogout(userId: $id) }', { variables: { id: toForceOut.id }, token: adminToken });
      expect(force.data).toEqual({ forceLogout: 1 });

      const [oldDevice, changingDevice] = [await login(toChangePassword, 0), await login(toChangePassword, 1)];
      const change = await call(0)(`mutation { changePassword(currentPassword: "${PASSWORD}", newPassword: "a new password ${cycle}") }`, { token: changingDevice.token });
      expect(change.data).toEqual({ changePassword: true });

      // Every revocation above was acknowledged; the master that took them dies now.
      const killedAt = Date.now();
      await killNode(master);
      await untilFailedOver(cluster, master.slot, master);
      failoverMs.push(Date.now() - killedAt);

      for (const [i, revoked] of [evicted, loggedOut, revokedById, disabled, forcedOut, oldDevice].entries()) {
        const answer = await settledAnswer(call(i), ME, revoked.token);
        expect({ cycle, token: i, status: answer.status, code: codeOf(answer) }).toEqual({ cycle, token: i, status: 401, code: 'UNAUTHENTICATED' });
        revocationsChecked += 1;
      }
      // What was not revoked survived the failover too.
      for (const alive of [kept, changingDevice]) {
        const answer = await settledAnswer(call(cycle), ME, alive.token);
        expect(answer.data?.me?.id).toBe(alive === kept ? user.id : toChangePassword.id);
      }
      const relogin = await call(1)(LOGIN, { variables: { u: toDisable.username } });
      expect(codeOf(relogin)).toBe('UNAUTHENTICATED');

      await cluster.startNode(master.port);
      await untilEveryMasterHasAReplica(cluster, 3);
    }
    report.revocationCycles = CYCLES;
    report.revocationsCheckedAfterFailover = revocationsChecked;
    report.lostRevocations = 0;
    report.killToNewMasterMs = failoverMs;
  });

  it('answers only SERVICE_UNAVAILABLE, never a wrong answer, while a master fails over under mixed load, and recovers by itself', async () => {
    const tally: Record<Outcome, number> = { ok: 0, unavailable: 0, wrong: 0 };
    const wrongAnswers: string[] = [];
    const pool = accounts.filter((account) => !used.has(account.id)).slice(0, 16);
    let running = true;

    const record = (outcome: Outcome, detail: string) => {
      tally[outcome] += 1;
      if (outcome === 'wrong' && wrongAnswers.length < 10) wrongAnswers.push(detail);
    };
    const classify = (response: Answer, expected: (response: Answer) => boolean, what: string) => {
      if (codeOf(response) === 'SERVICE_UNAVAILABLE' && response.status === 503) record('unavailable', what);
      else if (expected(response)) record('ok', what);
      else record('wrong', `${what}: ${response.status} ${JSON.stringify(response.errors ?? response.data)}`);
    };

    async function virtualUser(n: number): Promise<void> {
      const account = pool[n % pool.length];
      for (let round = 0; running; round += 1) {
        const loggedIn: Answer = await call(round + n)(LOGIN, { variables: { u: account.username } });
        classify(loggedIn, (r) => Boolean(r.data?.login?.accessToken), 'login');
        const token: string | undefined = loggedIn.data?.login?.accessToken;
        if (!token) continue;
        for (let i = 0; i < 3; i += 1) {
          classify(await call(round + n + i)(ME, { token }), (r) => r.data?.me?.id === account.id, 'me');
        }
        const logout = await call(round + n + 1)('mutation { logout }', { token });
        classify(logout, (r) => r.data?.logout === true, 'logout');
        if (logout.data?.logout === true) {
          // An acknowledged logout must hold on every instance, failover or not.
          classify(await call(round + n)(ME, { token }), (r) => r.status === 401, 'me after logout');
        }
      }
    }

    const load = Array.from({ length: 8 }, (_, n) => virtualUser(n));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const victim = await masterOfKey(cluster, keys.user(pool[0].id));
    const killedAt = Date.now();
    await killNode(victim);
    await untilFailedOver(cluster, victim.slot, victim);
    const newMasterAfterMs = Date.now() - killedAt;
    // Recovered: the victim's shard answers through the service again.
    const probe = await servers[0].call(LOGIN, { variables: { u: pool[0].username } });
    const firstSuccessAfterMs = Date.now() - killedAt;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    running = false;
    await Promise.all(load);

    Object.assign(report, { mixedLoad: { ...tally, wrongAnswers, newMasterAfterMs, firstSuccessAfterMs } });
    expect(probe.data?.login?.accessToken).toEqual(expect.any(String));
    expect(wrongAnswers).toEqual([]);
    expect(tally.wrong).toBe(0);
    expect(tally.ok).toBeGreaterThan(100);
  });
});
