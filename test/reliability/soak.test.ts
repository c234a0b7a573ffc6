import { mkdirSync, writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { GraphQLResponse } from '../support/graphql-caller';
import { clusterEnv } from '../support/test-env';
import { startTestServer, type TestServer } from '../support/test-server';

jest.setTimeout(120_000);

const PASSWORD = 'correct horse battery';
const SOAK_MS = 45_000;
const SAMPLE_EVERY_MS = 3_000;
const VIRTUAL_USERS = 12;

type Answer = GraphQLResponse<{
  me?: { id: string } | null;
  login?: { accessToken: string; refreshToken: string; user: { id: string } };
  refresh?: { accessToken: string; refreshToken: string };
  logout?: boolean;
}>;

const LOGIN = 'mutation($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { accessToken refreshToken user { id } } }';

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * The heap that is still in use, after a full collection: without one, V8 lets garbage
 * pile up to hundreds of megabytes before collecting, which looks like growth and is not.
 * jest gives no --expose-gc, so the flag is set at run time.
 */
function liveHeapMb(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return Math.round(process.memoryUsage().heapUsed / 1e5) / 10;
}

describe('a minute of mixed load', () => {
  let servers: TestServer[];

  beforeAll(async () => {
    const env = clusterEnv({ BRUTE_FORCE_IP_FAILURE_FACTOR: '100000', MAX_SESSIONS_PER_USER: '3', BCRYPT_WORKERS: '1' });
    servers = [await startTestServer(env), await startTestServer(env)];
    for (let i = 0; i < VIRTUAL_USERS; i += 1) {
      await servers[0].deps.accounts.create({ username: `soak${i}`, password: PASSWORD, authorities: ['orders:read'] });
    }
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
  });

  it('answers every request as expected and does not grow the heap without bound', async () => {
    const counts = { requests: 0, unexpected: 0 };
    const unexpected: string[] = [];
    const heapMb: number[] = [];
    const stopAt = Date.now() + SOAK_MS;

    const expectAnswer = (what: string, response: Answer, ok: boolean) => {
      counts.requests += 1;
      if (ok) return;
      counts.unexpected += 1;
      if (unexpected.length < 10) unexpected.push(`${what}: ${response.status} ${JSON.stringify(response.errors ?? response.data)}`);
    };

    async function virtualUser(n: number): Promise<void> {
      const username = `soak${n}`;
      for (let round = 0; Date.now() < stopAt; round += 1) {
        const call = (i: number) => servers[(n + round + i) % servers.length].call;
        const wrong: Answer = await call(0)(LOGIN, { variables: { u: username, p: 'not the password' } });
        expectAnswer('wrong password', wrong, wrong.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED');
        const loggedIn: Answer = await call(1)(LOGIN, { variables: { u: username, p: PASSWORD } });
        expectAnswer('login', loggedIn, Boolean(loggedIn.data?.login));
        if (!loggedIn.data?.login) continue;
        const { refreshToken } = loggedIn.data.login;
        let { accessToken } = loggedIn.data.login;
        for (let i = 0; i < 5; i += 1) {
          const me: Answer = await call(i)('{ me { id } }', { token: accessToken });
          expectAnswer('me', me, me.data?.me?.id === loggedIn.data.login.user.id);
        }
        const refreshed: Answer = await call(2)('mutation($t: String!) { refresh(refreshToken: $t) { accessToken refreshToken } }', { variables: { t: refreshToken } });
        expectAnswer('refresh', refreshed, Boolean(refreshed.data?.refresh));
        if (refreshed.data?.refresh) accessToken = refreshed.data.refresh.accessToken;
        const logout: Answer = await call(3)('mutation { logout }', { token: accessToken });
        expectAnswer('logout', logout, logout.data?.logout === true);
        const after: Answer = await call(4)('{ me { id } }', { token: accessToken });
        expectAnswer('me after logout', after, after.status === 401);
      }
    }

    const sampler = setInterval(() => heapMb.push(liveHeapMb()), SAMPLE_EVERY_MS);
    try {
      await Promise.all(Array.from({ length: VIRTUAL_USERS }, (_, n) => virtualUser(n)));
    } finally {
      clearInterval(sampler);
    }

    const third = Math.floor(heapMb.length / 3);
    const [early, late] = [median(heapMb.slice(0, third)), median(heapMb.slice(-third))];
    mkdirSync('test-artifacts', { recursive: true });
    writeFileSync('test-artifacts/soak.json', `${JSON.stringify({ seconds: SOAK_MS / 1000, ...counts, liveHeapMbEveryThreeSeconds: heapMb, medianFirstThirdMb: early, medianLastThirdMb: late }, null, 2)}\n`);

    expect(unexpected).toEqual([]);
    expect(counts.requests).toBeGreaterThan(1_000);
    // A leak shows as a live heap that keeps climbing; the caches fill in the first seconds.
    expect(late).toBeLessThan(early * 1.25 + 20);
  });
});
