import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createGraphQLCaller, login } from '../support/graphql-caller';
import { spawnUntilReady } from '../support/spawn-until-ready';
import { clusterNodesFromSetup, TEST_JWT_SECRET, uniqueKeyPrefix } from '../support/test-env';

interface Started {
  readonly process: ChildProcess;
  readonly output: () => string;
  readonly url: string;
}

/** Runs `npm start` with an environment that names no Redis, as on a clean clone. */
async function npmStart(extraEnv: Record<string, string> = {}): Promise<Started> {
  const { child, output, ready: url } = await spawnUntilReady(
    'npm start',
    'npm',
    ['start'],
    {
      cwd: `${__dirname}/../..`,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', HOST: '127.0.0.1', ...extraEnv },
      detached: true,
    },
    (soFar) => /auth service on (http:\/\/\S+)/.exec(soFar)?.[1],
  );
  return { process: child, output, url };
}

/** SIGTERM to npm and the service; done when both have exited and closed their output. */
async function stop(started: Started): Promise<void> {
  const exited = once(started.process, 'exit');
  // The service inherits npm's stdout: the pipe closes only when the service itself is gone.
  const outputClosed = once(started.process.stdout as NodeJS.EventEmitter, 'close');
  process.kill(-(started.process.pid as number), 'SIGTERM');
  await Promise.all([exited, outputClosed]);
  expect(started.output()).toContain('shutting down');
}

describe('npm start on a clean clone, without Redis', () => {
  let started: Started;

  beforeAll(async () => {
    started = await npmStart();
  }, 60_000);
  afterAll(() => stop(started));

  it('says loudly that data is in memory, answers { __typename }, and lets the bootstrap admin log in', async () => {
    expect(started.output()).toMatch(/IN MEMORY.*LOST ON RESTART/);
    const call = createGraphQLCaller(started.url);
    expect((await call(`{ __typename }`)).data).toEqual({ __typename: 'Query' });

    const password = /username "admin", password "([^"]+)"/.exec(started.output())?.[1];
    expect(password).toBeDefined();
    const admin = await login(call, 'admin', password as string);
    expect(admin.user.authorities).toEqual(['ROLE_ADMIN']);
    const users = await call(`{ users { totalCount } }`, { token: admin.accessToken });
    expect(users.data).toEqual({ users: { totalCount: 1 } });
  });

  it('never writes the issued token to its output', async () => {
    const password = /password "([^"]+)"/.exec(started.output())?.[1] as string;
    const { accessToken } = await login(createGraphQLCaller(started.url), 'admin', password);
    expect(started.output()).not.toContain(accessToken);
  });
});

describe('npm start with REDIS_CLUSTER_NODES', () => {
  let started: Started;

  beforeAll(async () => {
    started = await npmStart({
      REDIS_CLUSTER_NODES: clusterNodesFromSetup(),
      REDIS_KEY_PREFIX: uniqueKeyPrefix(),
      JWT_SECRET: TEST_JWT_SECRET,
      BCRYPT_COST: '4',
      BOOTSTRAP_ADMIN_USERNAME: 'operator',
      BOOTSTRAP_ADMIN_PASSWORD: 'operator passphrase',
    });
  }, 60_000);
  afterAll(() => stop(started));

  it('runs on the cluster, creates the configured admin, and never prints its password', async () => {
    expect(started.output()).not.toMatch(/IN MEMORY/);
    expect(started.output()).not.toContain('operator passphrase');
    const admin = await login(createGraphQLCaller(started.url), 'operator', 'operator passphrase');
    expect(admin.user.authorities).toEqual(['ROLE_ADMIN']);
  });
});

describe('npm start with a bad configuration', () => {
  it('stops with a message naming each bad variable and what is allowed', async () => {
    const child = spawn('npm', ['start'], {
      cwd: `${__dirname}/../..`,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: 'eighty', SESSION_CHECK: 'sometimes' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).not.toBe(0);
    expect(output).toContain('PORT="eighty": expected an integer from 0 to 65535');
    expect(output).toContain('SESSION_CHECK="sometimes": expected one of enforce, record, off');
    expect(output).not.toMatch(/\n\s+at /);
  }, 60_000);
});
