import { expectMe, meLoad, type RoundResult, runRound } from './load';
import { perRoundRatios, roundRatio } from './report';
import { type ScenarioSummary, summarize } from './scenarios';
import type { ServerChild } from './server-child';
import { median } from './stats';
import { STORE_NAMES, type StoreName } from './stores-measure';

/** One server under `me` load, the token it answers, and a reading of its store's CPU. */
export interface MeTarget {
  readonly child: ServerChild;
  readonly token: string;
  /** CPU time the store's processes (every Redis node, or the PostgreSQL server) have used so far, in µs. */
  readonly storeCpuMicros: () => Promise<number>;
}

export interface MeFigures extends ScenarioSummary {
  /** The service process's CPU per request, median of rounds. */
  readonly serverCpuMicrosPerRequest: number;
  /** The store's CPU per request (replicas included on Redis), median of rounds. */
  readonly storeCpuMicrosPerRequest: number;
}

export interface MeComparison extends Record<StoreName, MeFigures> {
  /** PostgreSQL over Redis, round by round (the two ran seconds apart) and as the median of rounds. */
  readonly postgresOverRedis: {
    readonly requestsPerSecondPerRound: readonly number[];
    readonly requestsPerSecond: number;
    readonly p99PerRound: readonly number[];
    readonly p99: number;
  };
}

export interface MePlan {
  readonly rounds: number;
  readonly roundSeconds: number;
  readonly warmUpSeconds: number;
  readonly log: (line: string) => void;
}

/**
 * Authenticated `me` through the real service on each store, in rounds that alternate
 * Redis, PostgreSQL, Redis, ... after a warm-up of each, so the machine's drift touches
 * both alike; CPU per request of the service and of its store, read around each round.
 */
export async function measureMe(targets: Record<StoreName, MeTarget>, plan: MePlan): Promise<MeComparison> {
  for (const name of STORE_NAMES) await expectMe(targets[name].child.url, targets[name].token);
  plan.log(`me warm-up: ${STORE_NAMES.join(', ')} (${plan.warmUpSeconds} s each)`);
  for (const name of STORE_NAMES) await runRound(meLoad(targets[name].child.url, targets[name].token), plan.warmUpSeconds);
  const rounds = { redis: [] as RoundResult[], postgres: [] as RoundResult[] };
  const cpu = { redis: { server: [] as number[], store: [] as number[] }, postgres: { server: [] as number[], store: [] as number[] } };
  for (let round = 1; round <= plan.rounds; round += 1) {
    plan.log(`me round ${round} of ${plan.rounds}: ${STORE_NAMES.join(', ')} (${plan.roundSeconds} s each)`);
    for (const name of STORE_NAMES) {
      const { child, token, storeCpuMicros } = targets[name];
      const [serverBefore, storeBefore] = await Promise.all([child.cpuMicros(), storeCpuMicros()]);
      const result = await runRound(meLoad(child.url, token), plan.roundSeconds);
      const [serverAfter, storeAfter] = await Promise.all([child.cpuMicros(), storeCpuMicros()]);
      const requests = Math.max(1, result.requests);
      rounds[name].push(result);
      cpu[name].server.push((serverAfter - serverBefore) / requests);
      cpu[name].store.push((storeAfter - storeBefore) / requests);
    }
  }
  const figures = (name: StoreName): MeFigures => ({
    ...summarize(rounds[name]),
    serverCpuMicrosPerRequest: median(cpu[name].server),
    storeCpuMicrosPerRequest: median(cpu[name].store),
  });
  const redis = figures('redis');
  const postgres = figures('postgres');
  return {
    redis,
    postgres,
    postgresOverRedis: {
      requestsPerSecondPerRound: perRoundRatios(postgres, redis, (round) => round.requestsPerSecond),
      requestsPerSecond: roundRatio(postgres, redis, (round) => round.requestsPerSecond),
      p99PerRound: perRoundRatios(postgres, redis, (round) => round.p99Ms),
      p99: roundRatio(postgres, redis, (round) => round.p99Ms),
    },
  };
}
