import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Cluster } from 'ioredis';
import { startLocalCluster, type LocalCluster } from '../src/cluster/launcher';
import { measureJwt } from './jwt-micro';
import { loginThroughput, loginToken, runRound, startLoginStorm, type LoadTarget, type RoundResult } from './load';
import { measureSessionMemory } from './redis-memory';
import { type BenchResult, markdownReport, type ScenarioSummary, targetsOf } from './report';
import { type ServerChild, startServerChild } from './server-child';

const ROUNDS = 6;
const ROUND_SECONDS = 4;
const WARM_UP_SECONDS = 2;
const STORM_CONCURRENCY = 8;
const THROUGHPUT_LOGINS = 32;
const THROUGHPUT_CONCURRENCY = 8;
const MEMORY_SESSIONS = 100_000;
const BENCH_USERS = 64;
const PASSWORD = 'bench password 1';
/** The whole run stops by itself past this, whatever happens. */
const RUN_DEADLINE_MS = 12 * 60_000;

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function summarize(rounds: readonly RoundResult[]): ScenarioSummary {
  return {
    requests: rounds.reduce((sum, round) => sum + round.requests, 0),
    requestsPerSecond: median(rounds.map((round) => round.requestsPerSecond)),
    p50Ms: median(rounds.map((round) => round.p50Ms)),
    p99Ms: median(rounds.map((round) => round.p99Ms)),
    failures: rounds.reduce((sum, round) => sum + round.failures, 0),
    rounds,
  };
}

async function main(): Promise<void> {
  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  const deadline = setTimeout(() => {
    process.stderr.write(`bench: past ${RUN_DEADLINE_MS / 60_000} minutes, stopping\n`);
    void cleanUp().finally(() => process.exit(1));
  }, RUN_DEADLINE_MS);
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));

  try {
    const log = (line: string) => process.stderr.write(`bench: ${line}\n`);
    log('JWT sign/verify micro-benchmark');
    const jwt = measureJwt();

    log('starting a local 3-master, 3-replica cluster');
    const cluster: LocalCluster = await startLocalCluster();
    cleanups.push(() => cluster.stop());
    const bcryptCost = process.env.BENCH_BCRYPT_COST ?? '12';
    const env = {
      NODE_ENV: 'production',
      JWT_SECRET: 'a-bench-secret-of-at-least-thirty-two-bytes!',
      REDIS_CLUSTER_NODES: cluster.nodes.map((node) => `${node.host}:${node.port}`).join(','),
      LOG_LEVEL: 'silent',
      MAX_SESSIONS_PER_USER: '0',
      BRUTE_FORCE_PROTECTION: 'false',
      BCRYPT_COST: bcryptCost,
      BENCH_USERS: String(BENCH_USERS),
      BENCH_PASSWORD: PASSWORD,
    };
    const users = Array.from({ length: BENCH_USERS }, (_, i) => `bench${i}`);

    const start = async (extra: Record<string, string>): Promise<ServerChild> => {
      const child = await startServerChild({ ...env, ...extra });
      cleanups.push(() => child.stop());
      return child;
    };

    log('login throughput with bcrypt on the event loop (BCRYPT_WORKERS=0)');
    const withoutPoolServer = await start({ BCRYPT_WORKERS: '0' });
    const withoutPool = await loginThroughput(withoutPoolServer.url, users, PASSWORD, THROUGHPUT_LOGINS, THROUGHPUT_CONCURRENCY);
    await withoutPoolServer.stop();

    log('server with the bcrypt worker pool (the default)');
    const server = await start({});
    const withPool = await loginThroughput(server.url, users, PASSWORD, THROUGHPUT_LOGINS, THROUGHPUT_CONCURRENCY);
    const token = await loginToken(server.url, users[0], PASSWORD);
    const A: LoadTarget = { url: server.url, query: '{ __typename }' };
    const B: LoadTarget = { url: server.url, query: '{ me { id } }', token };

    log('warm-up');
    await runRound(A, WARM_UP_SECONDS);
    await runRound(B, WARM_UP_SECONDS);
    const rounds = { A: [] as RoundResult[], B: [] as RoundResult[] };
    const cpuPerRequest = { A: [] as number[], B: [] as number[] };
    const stormRounds: RoundResult[] = [];
    const stormRates: number[] = [];
    const measured = async (target: LoadTarget, cpu: number[]): Promise<RoundResult> => {
      const before = await server.cpuMicros();
      const round = await runRound(target, ROUND_SECONDS);
      cpu.push((await server.cpuMicros() - before) / Math.max(1, round.requests));
      return round;
    };
    for (let round = 1; round <= ROUNDS; round += 1) {
      log(`round ${round} of ${ROUNDS}: A, B, C (${ROUND_SECONDS} s each)`);
      rounds.A.push(await measured(A, cpuPerRequest.A));
      rounds.B.push(await measured(B, cpuPerRequest.B));
      const storm = startLoginStorm(server.url, users, PASSWORD, STORM_CONCURRENCY);
      stormRounds.push(await runRound(B, ROUND_SECONDS));
      stormRates.push((await storm.stop()).loginsPerSecond);
    }
    await server.stop();

    log(`${MEMORY_SESSIONS.toLocaleString('en')} sessions for the memory and check-latency measurement`);
    const redis = new Cluster(cluster.nodes.map(({ host, port }) => ({ host, port })), { scaleReads: 'master', enableAutoPipelining: true });
    cleanups.push(async () => void redis.disconnect());
    const memory = await measureSessionMemory(redis, MEMORY_SESSIONS);

    const result: BenchResult = {
      date: new Date().toISOString(),
      machine: { cores: availableParallelism(), node: process.versions.node, redis: execFileSync('redis-server', ['--version']).toString().match(/v=(\S+)/)?.[1] ?? 'unknown' },
      settings: { BCRYPT_COST: bcryptCost, connections: 32, rounds: ROUNDS, roundSeconds: ROUND_SECONDS, stormConcurrency: STORM_CONCURRENCY, LOG_LEVEL: 'silent', BRUTE_FORCE_PROTECTION: 'false' },
      scenarios: { A: summarize(rounds.A), B: summarize(rounds.B), C: summarize(stormRounds) },
      serverCpuMicrosPerRequest: { A: median(cpuPerRequest.A), B: median(cpuPerRequest.B) },
      stormLoginsPerSecond: median(stormRates),
      jwt,
      loginThroughput: { withoutPool, withPool, workers: availableParallelism() },
      memory,
    };
    const markdown = markdownReport(result);
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'latest.json'), `${JSON.stringify({ ...result, targets: targetsOf(result) }, null, 2)}\n`);
    writeFileSync(join(dir, 'latest.md'), markdown);
    process.stdout.write(markdown);
  } finally {
    clearTimeout(deadline);
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
