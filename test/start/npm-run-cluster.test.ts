import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Cluster } from 'ioredis';
import { spawnUntilReady } from '../support/spawn-until-ready';
import { tryToConnect } from '../support/try-to-connect';
import { TS_NODE_ARGS } from '../../tools/ts-node-args';

const ROOT = `${__dirname}/../..`;
const SCRIPT = [...TS_NODE_ARGS, 'scripts/cluster.ts'];
const CLUSTER_BUS_PORT_OFFSET = 10_000;

/** `npm run cluster -- ...args` until it prints REDIS_CLUSTER_NODES; the nodes it names. */
async function startClusterScript(args: readonly string[] = []) {
  const started = await spawnUntilReady(
    'cluster script',
    process.execPath,
    [...SCRIPT, ...args],
    { cwd: ROOT },
    (output) => /^REDIS_CLUSTER_NODES=(\S+)$/m.exec(output)?.[1],
  );
  const nodes = started.ready.split(',').map((entry) => ({ host: entry.split(':')[0], port: Number(entry.split(':')[1]) }));
  return { child: started.child, nodes };
}

/** `npm run cluster -- ...args` for a run that is expected to end by itself. */
async function runClusterScript(args: readonly string[]) {
  const child = spawn(process.execPath, [...SCRIPT, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * A first port for `count` nodes whose ports and cluster bus ports are all free now. Drawn
 * from 20000-21999, so the bus ports (30000-32004) too stay below the kernel's ephemeral
 * range, where the global setup's cluster and every outgoing connection take their ports.
 */
async function freeFirstPort(count: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * 2_000);
    const ports = Array.from({ length: count }, (_, index) => first + index);
    const wanted = [...ports, ...ports.map((port) => port + CLUSTER_BUS_PORT_OFFSET)];
    const free = await Promise.all(wanted.map(canListen));
    if (free.every(Boolean)) return first;
  }
  throw new Error(`found no ${count} consecutive free ports from 20000 to 21999`);
}

async function stopWithCtrlC(child: ChildProcess): Promise<number | null> {
  const exited = once(child, 'exit');
  child.kill('SIGINT');
  const [code] = (await exited) as [number | null];
  return code;
}

describe('npm run cluster', () => {
  it('starts a 3-master, 3-replica cluster, prints REDIS_CLUSTER_NODES, and cleans up on Ctrl-C', async () => {
    const { child, nodes } = await startClusterScript();
    expect(nodes).toHaveLength(6);

    const client = new Cluster(nodes);
    try {
      await client.set('npm-run-cluster:probe', 'works');
      expect(await client.get('npm-run-cluster:probe')).toBe('works');
      expect(client.nodes('master')).toHaveLength(3);
    } finally {
      client.disconnect();
    }

    expect(await stopWithCtrlC(child)).toBe(0);
    for (const node of nodes) expect(await tryToConnect(node)).toMatchObject({ code: 'ECONNREFUSED' });
  }, 60_000);

  it('with --port, puts the nodes on that port and the ones after it', async () => {
    const firstPort = await freeFirstPort(6);
    const { child, nodes } = await startClusterScript(['--port', String(firstPort)]);
    expect(nodes.map((node) => node.port)).toEqual([0, 1, 2, 3, 4, 5].map((offset) => firstPort + offset));

    const client = new Cluster(nodes);
    try {
      await client.set('npm-run-cluster:fixed-port-probe', 'works');
      expect(await client.get('npm-run-cluster:fixed-port-probe')).toBe('works');
    } finally {
      client.disconnect();
    }

    expect(await stopWithCtrlC(child)).toBe(0);
    for (const node of nodes) expect(await tryToConnect(node)).toMatchObject({ code: 'ECONNREFUSED' });
  }, 60_000);

  it('with --tls --password, serves TLS only and prints the settings the service needs', async () => {
    const started = await spawnUntilReady(
      'cluster script',
      process.execPath,
      [...SCRIPT, '--tls', '--password', 'local secret'],
      { cwd: ROOT },
      (output) => (/^REDIS_PASSWORD=.*$/m.test(output) ? output : undefined),
    );
    const output = started.ready;
    const setting = (name: string) => new RegExp(`^${name}=(.+)$`, 'm').exec(output)?.[1];
    expect(setting('REDIS_TLS')).toBe('true');
    expect(setting('REDIS_PASSWORD')).toBe(`'local secret'`);
    const caFile = setting('REDIS_TLS_CA_FILE') as string;
    expect(caFile).toMatch(/\/tls\/local-redis-ca\.crt$/);
    const nodes = (setting('REDIS_CLUSTER_NODES') as string).split(',').map((entry) => ({ host: entry.split(':')[0], port: Number(entry.split(':')[1]) }));

    const client = new Cluster(nodes, { redisOptions: { password: 'local secret', tls: { ca: readFileSync(caFile) } } });
    try {
      await client.set('npm-run-cluster:tls-probe', 'works');
      expect(await client.get('npm-run-cluster:tls-probe')).toBe('works');
    } finally {
      client.disconnect();
    }

    expect(await stopWithCtrlC(started.child)).toBe(0);
    expect(existsSync(caFile)).toBe(false);
  }, 60_000);

  it.each([
    ['is not a number', ['--port', 'seven']],
    ['is missing', ['--port']],
    ['would put a cluster bus port beyond 65535', ['--port=60000']],
  ])('refuses a --port that %s with a usage error and exit code 2', async (_why, args) => {
    const run = await runClusterScript(args);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(run.stderr).toContain('--port needs a port from 1 to 55530 (6 nodes, each with its cluster bus port at port+10000)');
    expect(run.stderr).toContain('usage: npm run cluster -- [--masters N] [--port FIRST] [--tls] [--mutual-tls] [--password PW] [--verbose] [--help]');
  }, 30_000);

  it('refuses a --port range that another process holds a port of, naming that port', async () => {
    const firstPort = await freeFirstPort(6);
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen({ host: '127.0.0.1', port: firstPort + 2 }, resolve));
    try {
      const run = await runClusterScript(['--port', String(firstPort)]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`not available: ${firstPort + 2} (EADDRINUSE)`);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  }, 30_000);

  it('explains its options on --help', async () => {
    const run = await runClusterScript(['--help']);
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toContain('usage: npm run cluster -- [--masters N] [--port FIRST] [--tls] [--mutual-tls] [--password PW] [--verbose] [--help]');
    expect(run.stdout).toMatch(/--port FIRST +nodes listen on FIRST, FIRST\+1, \.\.\./);
  }, 30_000);
});
