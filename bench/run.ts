import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import { type LocalCluster, startLocalCluster } from '../tools/redis-cluster/launcher';
import { createClusterCpuMeter } from './cluster-cpu';
import { measureJwt } from './jwt-micro';
import { CONNECTIONS, loginToken } from './load';
import { measureLoginThroughput } from './login-throughput';
import { measureSessionMemory } from './redis-memory';
import { type BenchResult, markdownReport, targetsOf } from './report';
import { runScenarios } from './scenarios';
import { type ServerChild, startServerChild } from './server-child';

const ROUNDS = 6;
const ROUND_SECONDS = 4;
const WARM_UP_SECONDS = 2;
const STORM_CONCURRENCY = 8;
const THROUGHPUT_PAIRS = 3;
const THROUGHPUT_LOGINS_PER_BATCH = 16;
const THROUGHPUT_CONCURRENCY = 8;
const MEMORY_SESSIONS = 100_000;
const BENCH_USERS = 64;
const PASSWORD = 'bench password 1';
/** The whole run (about 3 minutes) stops by itself past this, whatever happens. */
const RUN_DEADLINE_MS = 8 * 60_000;

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

/** Cleanups run last-registered first, each at most once: on success, error, deadline or signal. */
function createCleanups() {
  const cleanups: (() => Promise<void>)[] = [];
  return {
    add(cleanup: () => Promise<void>) {
      cleanups.push(cleanup);
    },
    async runAll() {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    },
  };
}

function writeResults(result: BenchResult): void {
  const markdown = markdownReport(result);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify({ ...result, targets: targetsOf(result) }, null, 2)}\n`);
  writeFileSync(join(dir, 'latest.md'), markdown);
  process.stdout.write(markdown);
}

/** The environment of every server under test. */
function serverEnv(cluster: LocalCluster, bcryptCost: string) {
  return {
    NODE_ENV: 'production',
    JWT_SECRET: 'a-bench-secret-of-at-least-thirty-two-bytes!',
    SERVER_SECRET: 'a-bench-server-secret-of-at-least-thirty-two-bytes',
    METRICS_PORT: '0',
    REDIS_CLUSTER_NODES: cluster.nodes.map((node) => `${node.host}:${node.port}`).join(','),
    // Its own prefix on the shared cluster: the memory measurement counts only its own keys.
    REDIS_KEY_PREFIX: 'load:',
    LOG_LEVEL: 'silent',
    MAX_SESSIONS_PER_USER: '0',
    BRUTE_FORCE_PROTECTION: 'false',
    BCRYPT_COST: bcryptCost,
    BENCH_USERS: String(BENCH_USERS),
    BENCH_PASSWORD: PASSWORD,
  };
}

function settingsOf(env: ReturnType<typeof serverEnv>): BenchResult['settings'] {
  return {
    BCRYPT_COST: env.BCRYPT_COST,
    connections: CONNECTIONS,
    rounds: ROUNDS,
    roundSeconds: ROUND_SECONDS,
    warmUpSeconds: WARM_UP_SECONDS,
    stormConcurrency: STORM_CONCURRENCY,
    loginUsers: BENCH_USERS,
    throughputPairs: THROUGHPUT_PAIRS,
    throughputLoginsPerBatch: THROUGHPUT_LOGINS_PER_BATCH,
    throughputConcurrency: THROUGHPUT_CONCURRENCY,
    LOG_LEVEL: env.LOG_LEVEL,
    BRUTE_FORCE_PROTECTION: env.BRUTE_FORCE_PROTECTION,
    MAX_SESSIONS_PER_USER: env.MAX_SESSIONS_PER_USER,
    NODE_ENV: env.NODE_ENV,
  };
}

async function bench(cleanups: ReturnType<typeof createCleanups>): Promise<BenchResult> {
  log('JWT sign/verify micro-benchmark');
  const jwt = measureJwt();

  log('starting a local 3-master, 3-replica cluster');
  const cluster = await startLocalCluster();
  cleanups.add(() => cluster.stop());
  const redisCpu = createClusterCpuMeter(cluster.nodes);
  cleanups.add(async () => redisCpu.close());
  const env = serverEnv(cluster, process.env.BENCH_BCRYPT_COST ?? '12');
  const users = Array.from({ length: BENCH_USERS }, (_, i) => `bench${i}`);
  const start = async (extra: Record<string, string>): Promise<ServerChild> => {
    const child = await startServerChild({ ...env, ...extra });
    cleanups.add(() => child.stop());
    return child;
  };

  // The pooled server starts first: it seeds the users, hashing on every core.
  log(`server with the bcrypt worker pool (the default), seeding ${BENCH_USERS} users`);
  const server = await start({});
  log('server with bcrypt on the event loop (BCRYPT_WORKERS=0)');
  const withoutPoolServer = await start({ BCRYPT_WORKERS: '0' });
  log(`login throughput, ${THROUGHPUT_PAIRS} pairs of batches alternating between the two`);
  const loginThroughput = await measureLoginThroughput(
    withoutPoolServer.url,
    server.url,
    { users, password: PASSWORD, pairs: THROUGHPUT_PAIRS, loginsPerBatch: THROUGHPUT_LOGINS_PER_BATCH, concurrency: THROUGHPUT_CONCURRENCY },
    availableParallelism(),
  );
  await withoutPoolServer.stop();

  const scenarios = await runScenarios({
    server,
    redisCpu,
    token: await loginToken(server.url, users[0], PASSWORD),
    rounds: ROUNDS,
    roundSeconds: ROUND_SECONDS,
    warmUpSeconds: WARM_UP_SECONDS,
    storm: { users, password: PASSWORD, concurrency: STORM_CONCURRENCY },
    log,
  });
  await server.stop();

  log(`${MEMORY_SESSIONS.toLocaleString('en')} sessions for the memory and check-latency measurement`);
  const redis = new Cluster(cluster.nodes.map(({ host, port }) => ({ host, port })), { scaleReads: 'master', enableAutoPipelining: true });
  cleanups.add(async () => void redis.disconnect());
  const memory = await measureSessionMemory(redis, MEMORY_SESSIONS);

  return {
    date: new Date().toISOString(),
    machine: { cores: availableParallelism(), node: process.versions.node, redis: execFileSync('redis-server', ['--version']).toString().match(/v=(\S+)/)?.[1] ?? 'unknown' },
    settings: settingsOf(env),
    ...scenarios,
    jwt,
    loginThroughput,
    memory,
  };
}

/** Resolves to the exit code: 0, or the signal's or the deadline's once the run was stopped. */
async function main(): Promise<number> {
  const cleanups = createCleanups();
  let stoppedWith: number | undefined;
  const stopWith = (code: number) => {
    stoppedWith ??= code;
    void cleanups.runAll().finally(() => process.exit(code));
  };
  const deadline = setTimeout(() => {
    log(`past ${RUN_DEADLINE_MS / 60_000} minutes, stopping`);
    stopWith(1);
  }, RUN_DEADLINE_MS);
  // Listeners that stay (not once), so the launcher's own signal handler leaves the exit to us.
  process.on('SIGINT', () => stopWith(130));
  process.on('SIGTERM', () => stopWith(143));
  try {
    writeResults(await bench(cleanups));
    return 0;
  } catch (error) {
    // Stopping pulls the cluster and the servers away under whatever was running: not a failure of its own.
    if (stoppedWith !== undefined) return stoppedWith;
    throw error;
  } finally {
    clearTimeout(deadline);
    await cleanups.runAll();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
