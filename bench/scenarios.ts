import type { ClusterCpuMeter } from './cluster-cpu';
import { runRound, startLoginStorm, type LoadTarget, type RoundResult } from './load';
import type { ServerChild } from './server-child';
import { median } from './stats';

export interface ScenarioSummary extends RoundResult {
  readonly rounds: readonly RoundResult[];
}

/** CPU time per request of one scenario, median of rounds, in µs. */
export interface CpuPerRequest {
  readonly A: number;
  readonly B: number;
}

export interface ScenarioResults {
  readonly scenarios: { readonly A: ScenarioSummary; readonly B: ScenarioSummary; readonly C: ScenarioSummary };
  /** The server process's CPU per request: steadier than req/s on a shared machine. */
  readonly serverCpuMicrosPerRequest: CpuPerRequest;
  /** Every Redis node's CPU per request, replicas included. */
  readonly redisCpuMicrosPerRequest: CpuPerRequest;
  readonly stormLoginsPerSecond: number;
  readonly stormFailures: number;
}

export interface ScenarioPlan {
  readonly server: ServerChild;
  readonly redisCpu: ClusterCpuMeter;
  readonly token: string;
  readonly rounds: number;
  readonly roundSeconds: number;
  readonly warmUpSeconds: number;
  readonly storm: { readonly users: readonly string[]; readonly password: string; readonly concurrency: number };
  readonly log: (line: string) => void;
}

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

/**
 * A, B and C alternate round after round against one server (after an unreported
 * warm-up of A and B), so a drift of the machine's speed touches all three alike.
 */
export async function runScenarios(plan: ScenarioPlan): Promise<ScenarioResults> {
  const { server, redisCpu } = plan;
  const A: LoadTarget = { url: server.url, query: '{ __typename }' };
  const B: LoadTarget = { url: server.url, query: '{ me { id } }', token: plan.token };
  plan.log('warm-up');
  await runRound(A, plan.warmUpSeconds);
  await runRound(B, plan.warmUpSeconds);

  const rounds = { A: [] as RoundResult[], B: [] as RoundResult[], C: [] as RoundResult[] };
  const cpu = { server: { A: [] as number[], B: [] as number[] }, redis: { A: [] as number[], B: [] as number[] } };
  const stormRates: number[] = [];
  let stormFailures = 0;
  const measured = async (name: 'A' | 'B', target: LoadTarget): Promise<RoundResult> => {
    const [serverBefore, redisBefore] = await Promise.all([server.cpuMicros(), redisCpu.read()]);
    const round = await runRound(target, plan.roundSeconds);
    const [serverAfter, redisAfter] = await Promise.all([server.cpuMicros(), redisCpu.read()]);
    const requests = Math.max(1, round.requests);
    cpu.server[name].push((serverAfter - serverBefore) / requests);
    cpu.redis[name].push((redisAfter - redisBefore) / requests);
    return round;
  };
  for (let round = 1; round <= plan.rounds; round += 1) {
    plan.log(`round ${round} of ${plan.rounds}: A, B, C (${plan.roundSeconds} s each)`);
    rounds.A.push(await measured('A', A));
    rounds.B.push(await measured('B', B));
    const storm = startLoginStorm(server.url, plan.storm.users, plan.storm.password, plan.storm.concurrency);
    rounds.C.push(await runRound(B, plan.roundSeconds));
    const stormResult = await storm.stop();
    stormRates.push(stormResult.loginsPerSecond);
    stormFailures += stormResult.failures;
  }
  return {
    scenarios: { A: summarize(rounds.A), B: summarize(rounds.B), C: summarize(rounds.C) },
    serverCpuMicrosPerRequest: { A: median(cpu.server.A), B: median(cpu.server.B) },
    redisCpuMicrosPerRequest: { A: median(cpu.redis.A), B: median(cpu.redis.B) },
    stormLoginsPerSecond: median(stormRates),
    stormFailures,
  };
}
