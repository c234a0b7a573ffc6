import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import { startLocalCluster } from '../tools/redis-cluster/launcher';
import { type Cleanups, runBounded } from './bounded-run';
import { createClusterCpuMeter } from './cluster-cpu';
import { measureJwt } from './jwt-micro';
import { CONNECTIONS, loginToken } from './load';
import { measureLoginThroughput } from './login-throughput';
import { measureSessionMemory } from './redis-memory';
import { type BenchMode, type BenchResult, jsonReport, markdownReport } from './report';
import { runScenarios } from './scenarios';
import { type ServerChild, startServerChild } from './server-child';
import { BENCH_PASSWORD, type ServerEnv, serverEnv } from './server-env';

const ROUNDS = 6;
const ROUND_SECONDS = 4;
const WARM_UP_SECONDS = 2;
const STORM_CONCURRENCY = 8;
const THROUGHPUT_PAIRS = 3;
const THROUGHPUT_LOGINS_PER_BATCH = 16;
const THROUGHPUT_CONCURRENCY = 8;
const MEMORY_SESSIONS = 100_000;
const BENCH_USERS = 64;
/** The whole run (about 3.5 minutes; 2 with --only requests) stops by itself past this, whatever happens. */
const RUN_DEADLINE_MS = 8 * 60_000;
/** Where each mode writes its results: a requests-only run leaves the full run's latest.* alone. */
const RESULTS_NAME: Record<BenchMode, string> = { full: 'latest', requests: 'requests' };
const USAGE = 'usage: npm run bench [-- --only requests]  (or BENCH_ONLY=requests npm run bench)';

const log = (line: string) => process.stderr.write(`bench: ${line}\n`);

/**
 * `full` (the default) runs everything; `requests` (`--only requests`, or BENCH_ONLY=requests)
 * only the request scenarios A, B, R and K, for iterating on the request pipeline.
 */
function modeOf(args: readonly string[], only = process.env.BENCH_ONLY): BenchMode {
  const rest = [...args];
  while (rest.length > 0) {
    const arg = rest.shift() as string;
    if (arg === '--only' && rest.length > 0) only = rest.shift();
    else if (arg.startsWith('--only=')) only = arg.slice('--only='.length);
    else throw new Error(`unknown argument ${arg}; ${USAGE}`);
  }
  if (only === undefined || only === '' || only === 'full') return 'full';
  if (only === 'requests') return 'requests';
  throw new Error(`--only ${only}: only "requests" runs alone; ${USAGE}`);
}

function writeResults(result: BenchResult): void {
  const markdown = markdownReport(result);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${RESULTS_NAME[result.mode]}.json`), `${JSON.stringify(jsonReport(result), null, 2)}\n`);
  writeFileSync(join(dir, `${RESULTS_NAME[result.mode]}.md`), markdown);
  process.stdout.write(markdown);
}

function settingsOf(env: ServerEnv, mode: BenchMode): BenchResult['settings'] {
  return {
    BCRYPT_COST: env.BCRYPT_COST,
    connections: CONNECTIONS,
    rounds: ROUNDS,
    roundSeconds: ROUND_SECONDS,
    warmUpSeconds: WARM_UP_SECONDS,
    ...(mode === 'full' && { stormConcurrency: STORM_CONCURRENCY }),
    loginUsers: Number(env.BENCH_USERS),
    ...(mode === 'full' && {
      throughputPairs: THROUGHPUT_PAIRS,
      throughputLoginsPerBatch: THROUGHPUT_LOGINS_PER_BATCH,
      throughputConcurrency: THROUGHPUT_CONCURRENCY,
    }),
    LOG_LEVEL: env.LOG_LEVEL,
    BRUTE_FORCE_PROTECTION: env.BRUTE_FORCE_PROTECTION,
    MAX_SESSIONS_PER_USER: env.MAX_SESSIONS_PER_USER,
    NODE_ENV: env.NODE_ENV,
  };
}

async function bench(cleanups: Cleanups, mode: BenchMode): Promise<BenchResult> {
  const full = mode === 'full';
  const jwt = full ? (log('JWT sign/verify micro-benchmark'), measureJwt()) : undefined;

  log('starting a local 3-master, 3-replica cluster');
  const cluster = await startLocalCluster();
  cleanups.add(() => cluster.stop());
  const redisCpu = createClusterCpuMeter(cluster.nodes);
  cleanups.add(async () => redisCpu.close());
  // Requests only: one user, whose token B, R and K send; the full run's logins cycle over all of them.
  const env = serverEnv(cluster, process.env.BENCH_BCRYPT_COST ?? '12', full ? BENCH_USERS : 1);
  const users = Array.from({ length: Number(env.BENCH_USERS) }, (_, i) => `bench${i}`);
  const start = async (extra: Record<string, string>, script: Parameters<typeof startServerChild>[1] = 'service'): Promise<ServerChild> => {
    const child = await startServerChild({ ...env, ...extra }, script);
    cleanups.add(() => child.stop());
    return child;
  };

  // The pooled server starts first: it seeds the users, hashing on every core.
  log(`server with the bcrypt worker pool (the default), seeding ${users.length} user${users.length === 1 ? '' : 's'}`);
  const server = await start({});
  let loginThroughput: BenchResult['loginThroughput'];
  if (full) {
    log('server with bcrypt on the event loop (BCRYPT_WORKERS=0)');
    const withoutPoolServer = await start({ BCRYPT_WORKERS: '0' });
    log(`login throughput, ${THROUGHPUT_PAIRS} pairs of batches alternating between the two`);
    loginThroughput = await measureLoginThroughput(
      withoutPoolServer.url,
      server.url,
      { users, password: BENCH_PASSWORD, pairs: THROUGHPUT_PAIRS, loginsPerBatch: THROUGHPUT_LOGINS_PER_BATCH, concurrency: THROUGHPUT_CONCURRENCY },
      availableParallelism(),
    );
    await withoutPoolServer.stop();
  }
  log('the hand-written reference server (R)');
  const reference = await start({}, 'reference');
  log('the subgraph built with the kit (K)');
  const kit = await start({}, 'kit');

  const scenarios = await runScenarios({
    server,
    reference,
    kit,
    redisCpu,
    token: await loginToken(server.url, users[0], BENCH_PASSWORD),
    rounds: ROUNDS,
    roundSeconds: ROUND_SECONDS,
    warmUpSeconds: WARM_UP_SECONDS,
    ...(full && { storm: { users, password: BENCH_PASSWORD, concurrency: STORM_CONCURRENCY } }),
    log,
  });
  await Promise.all([server.stop(), reference.stop(), kit.stop()]);

  let memory: BenchResult['memory'];
  if (full) {
    log(`${MEMORY_SESSIONS.toLocaleString('en')} sessions for the memory and check-latency measurement`);
    const redis = new Cluster(cluster.nodes.map(({ host, port }) => ({ host, port })), { scaleReads: 'master', enableAutoPipelining: true });
    cleanups.add(async () => void redis.disconnect());
    memory = await measureSessionMemory(redis, MEMORY_SESSIONS);
  }

  return {
    date: new Date().toISOString(),
    mode,
    machine: { cores: availableParallelism(), node: process.versions.node, redis: execFileSync('redis-server', ['--version']).toString().match(/v=(\S+)/)?.[1] ?? 'unknown' },
    settings: settingsOf(env, mode),
    ...scenarios,
    ...(jwt && { jwt }),
    ...(loginThroughput && { loginThroughput }),
    ...(memory && { memory }),
  };
}

runBounded({ name: 'bench', deadlineMs: RUN_DEADLINE_MS, log }, async (cleanups) => writeResults(await bench(cleanups, modeOf(process.argv.slice(2)))));
