import type { ClusterCpuMeter } from './cluster-cpu';
import { expectMe, meLoad, runRound, startLoginStorm, type LoadTarget, type RoundResult } from './load';
import type { ServerChild } from './server-child';
import { median } from './stats';

export interface ScenarioSummary extends RoundResult {
  readonly rounds: readonly RoundResult[];
}

/** The scenarios measured with the CPU of the server that answers them. */
export type MeasuredScenario = 'A' | 'B' | 'R' | 'K';

/** CPU time per request of each measured scenario, median of rounds, in µs. */
export type CpuPerRequest = Readonly<Record<MeasuredScenario, number>>;

export interface ScenarioResults {
  /**
   * A and B on the service, R on the hand-written reference, K on the kit subgraph;
   * C (B during a login storm) only in the full run.
   */
  readonly scenarios: Readonly<Record<MeasuredScenario, ScenarioSummary>> & { readonly C?: ScenarioSummary };
  /** The CPU of the process that answered (the service, the reference or the kit subgraph): steadier than req/s on a shared machine. */
  readonly serverCpuMicrosPerRequest: CpuPerRequest;
  /** Every Redis node's CPU per request, replicas included. */
  readonly redisCpuMicrosPerRequest: CpuPerRequest;
  /** With C only. */
  readonly stormLoginsPerSecond?: number;
  readonly stormFailures?: number;
}

export interface ScenarioPlan {
  /** The service (A, B, C). */
  readonly server: ServerChild;
  /** The hand-written reference (R). */
  readonly reference: ServerChild;
  /** The subgraph built with the kit (K). */
  readonly kit: ServerChild;
  readonly redisCpu: ClusterCpuMeter;
  /** Logged in through the service: B, R, K and C all send it. */
  readonly token: string;
  readonly rounds: number;
  readonly roundSeconds: number;
  readonly warmUpSeconds: number;
  /** The login storm of C; without it there is no C. */
  readonly storm?: { readonly users: readonly string[]; readonly password: string; readonly concurrency: number };
  readonly log: (line: string) => void;
}

/** Rounds of one scenario: the medians of their req/s, p50 and p99, and the totals. */
export function summarize(rounds: readonly RoundResult[]): ScenarioSummary {
  return {
    requests: rounds.reduce((sum, round) => sum + round.requests, 0),
    requestsPerSecond: median(rounds.map((round) => round.requestsPerSecond)),
    p50Ms: median(rounds.map((round) => round.p50Ms)),
    p99Ms: median(rounds.map((round) => round.p99Ms)),
    failures: rounds.reduce((sum, round) => sum + round.failures, 0),
    rounds,
  };
}

const MEASURED: readonly MeasuredScenario[] = ['A', 'B', 'R', 'K'];

const perScenario = <T>(make: () => T): Record<MeasuredScenario, T> => ({ A: make(), B: make(), R: make(), K: make() });

/**
 * A, B, R, K (and C) alternate round after round (after an unreported warm-up of each
 * but C), so a drift of the machine's speed touches all of them alike. Every server
 * has its own process; only the one under load is busy.
 */
export async function runScenarios(plan: ScenarioPlan): Promise<ScenarioResults> {
  const { server, redisCpu, token } = plan;
  const targets: Record<MeasuredScenario, { readonly child: ServerChild; readonly load: LoadTarget }> = {
    A: { child: server, load: { url: server.url, query: '{ __typename }' } },
    B: { child: server, load: meLoad(server.url, token) },
    R: { child: plan.reference, load: meLoad(plan.reference.url, token) },
    K: { child: plan.kit, load: meLoad(plan.kit.url, token) },
  };
  // The same answer from every server, or the comparison means nothing.
  for (const child of [server, plan.reference, plan.kit]) await expectMe(child.url, token);
  plan.log(`warm-up: ${MEASURED.join(', ')} (${plan.warmUpSeconds} s each)`);
  for (const name of MEASURED) await runRound(targets[name].load, plan.warmUpSeconds);

  const rounds = { ...perScenario(() => [] as RoundResult[]), C: [] as RoundResult[] };
  const cpu = { server: perScenario(() => [] as number[]), redis: perScenario(() => [] as number[]) };
  const stormRates: number[] = [];
  let stormFailures = 0;
  const measured = async (name: MeasuredScenario): Promise<RoundResult> => {
    const { child, load } = targets[name];
    const [serverBefore, redisBefore] = await Promise.all([child.cpuMicros(), redisCpu.read()]);
    const round = await runRound(load, plan.roundSeconds);
    const [serverAfter, redisAfter] = await Promise.all([child.cpuMicros(), redisCpu.read()]);
    const requests = Math.max(1, round.requests);
    cpu.server[name].push((serverAfter - serverBefore) / requests);
    cpu.redis[name].push((redisAfter - redisBefore) / requests);
    return round;
  };
  const names = [...MEASURED, ...(plan.storm ? ['C'] : [])].join(', ');
  for (let round = 1; round <= plan.rounds; round += 1) {
    plan.log(`round ${round} of ${plan.rounds}: ${names} (${plan.roundSeconds} s each)`);
    for (const name of MEASURED) rounds[name].push(await measured(name));
    if (plan.storm) {
      const storm = startLoginStorm(server.url, plan.storm.users, plan.storm.password, plan.storm.concurrency);
      rounds.C.push(await runRound(targets.B.load, plan.roundSeconds));
      const stormResult = await storm.stop();
      stormRates.push(stormResult.loginsPerSecond);
      stormFailures += stormResult.failures;
    }
  }
  const medians = (values: Record<MeasuredScenario, number[]>): CpuPerRequest =>
    ({ A: median(values.A), B: median(values.B), R: median(values.R), K: median(values.K) });
  return {
    scenarios: {
      A: summarize(rounds.A),
      B: summarize(rounds.B),
      R: summarize(rounds.R),
      K: summarize(rounds.K),
      ...(plan.storm && { C: summarize(rounds.C) }),
    },
    serverCpuMicrosPerRequest: medians(cpu.server),
    redisCpuMicrosPerRequest: medians(cpu.redis),
    ...(plan.storm && { stormLoginsPerSecond: median(stormRates), stormFailures }),
  };
}
