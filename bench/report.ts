import type { JwtTiming } from './jwt-micro';
import type { RoundResult } from './load';
import type { SessionMemory } from './redis-memory';

export interface ScenarioSummary extends RoundResult {
  readonly rounds: readonly RoundResult[];
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Ratios are taken round by round (A, B and C of one round ran seconds apart) and
 * then their median: the machine's speed drifts between rounds, much less within one.
 */
export function roundRatio(over: ScenarioSummary, under: ScenarioSummary, measure: (round: RoundResult) => number): number {
  return median(over.rounds.map((round, i) => measure(round) / measure(under.rounds[i])));
}

export interface BenchResult {
  readonly date: string;
  readonly machine: { readonly cores: number; readonly node: string; readonly redis: string };
  readonly settings: Record<string, string | number>;
  readonly scenarios: { readonly A: ScenarioSummary; readonly B: ScenarioSummary; readonly C: ScenarioSummary };
  readonly stormLoginsPerSecond: number;
  /** The server process's CPU time per request, median of rounds: steadier than req/s on a shared machine. */
  readonly serverCpuMicrosPerRequest: { readonly A: number; readonly B: number };
  readonly jwt: readonly JwtTiming[];
  readonly loginThroughput: { readonly withoutPool: number; readonly withPool: number; readonly workers: number };
  readonly memory: SessionMemory;
}

interface Target {
  readonly name: string;
  readonly value: number;
  readonly goal: string;
  readonly met: boolean;
}

const fixed = (value: number, digits = 2) => value.toFixed(digits);

export function targetsOf(result: BenchResult): Target[] {
  const { A, B, C } = result.scenarios;
  const hs = result.jwt.find((timing) => timing.algorithm === 'HS256') as JwtTiming;
  const poolRatio = result.loginThroughput.withPool / result.loginThroughput.withoutPool;
  const throughputRatio = roundRatio(B, A, (round) => round.requestsPerSecond);
  const p99Ratio = roundRatio(B, A, (round) => round.p99Ms);
  const stormRatio = roundRatio(C, B, (round) => round.p99Ms);
  return [
    { name: 'B/A throughput (median of rounds)', value: throughputRatio, goal: '≥ 0.90', met: throughputRatio >= 0.9 },
    { name: 'B p99 / A p99 (median of rounds)', value: p99Ratio, goal: '≤ 1.2', met: p99Ratio <= 1.2 },
    { name: 'JWT verify µs/op (HS256)', value: hs.verifyMicros, goal: '≤ 15', met: hs.verifyMicros <= 15 },
    { name: 'JWT sign µs/op (HS256)', value: hs.signMicros, goal: '≤ 20', met: hs.signMicros <= 20 },
    { name: 'login throughput, pool / no pool', value: poolRatio, goal: '≥ 1.7', met: poolRatio >= 1.7 },
    { name: 'C p99 / B p99 (median of rounds)', value: stormRatio, goal: '≤ 2', met: stormRatio <= 2 },
    { name: 'Redis bytes per live session (MEMORY USAGE)', value: result.memory.memoryUsageBytesPerSession, goal: '≤ 300', met: result.memory.memoryUsageBytesPerSession <= 300 },
  ];
}

export function markdownReport(result: BenchResult): string {
  const { A, B, C } = result.scenarios;
  const row = (name: string, s: ScenarioSummary) =>
    `| ${name} | ${fixed(s.requestsPerSecond, 0)} | ${fixed(s.p50Ms)} | ${fixed(s.p99Ms)} | ${s.rounds.map((r) => fixed(r.requestsPerSecond, 0)).join(' / ')} | ${s.failures} |`;
  const lines = [
    `Benchmark of ${result.date} on ${result.machine.cores} cores, Node ${result.machine.node}, redis-server ${result.machine.redis}.`,
    `Settings: ${Object.entries(result.settings).map(([key, value]) => `${key}=${value}`).join(', ')}.`,
    '',
    '| scenario | req/s (median of rounds) | p50 ms | p99 ms | req/s per round | failures |',
    '| --- | --- | --- | --- | --- | --- |',
    row('A `{ __typename }`, no token', A),
    row('B `{ me { id } }`, valid token', B),
    row('C = B during a login storm', C),
    '',
    `B/A throughput per round: ${A.rounds.map((round, i) => fixed(B.rounds[i].requestsPerSecond / round.requestsPerSecond)).join(' / ')}.`,
    `Server CPU per request (median of rounds): A ${fixed(result.serverCpuMicrosPerRequest.A, 0)} µs, B ${fixed(result.serverCpuMicrosPerRequest.B, 0)} µs: the auth layer and the me resolver cost ${fixed(result.serverCpuMicrosPerRequest.B - result.serverCpuMicrosPerRequest.A, 0)} µs of CPU per request (A/B CPU ratio ${fixed(result.serverCpuMicrosPerRequest.A / result.serverCpuMicrosPerRequest.B)}).`,
    '',
    `Login storm during C: ${fixed(result.stormLoginsPerSecond, 1)} logins/s. Login throughput (fixed batch): ${fixed(result.loginThroughput.withoutPool, 1)}/s with bcrypt on the event loop, ${fixed(result.loginThroughput.withPool, 1)}/s with ${result.loginThroughput.workers} worker threads.`,
    '',
    '| JWT | sign µs/op | verify µs/op |',
    '| --- | --- | --- |',
    ...result.jwt.map((timing) => `| ${timing.algorithm} | ${fixed(timing.signMicros)} | ${fixed(timing.verifyMicros)} |`),
    '',
    `Redis: ${result.memory.sessions.toLocaleString('en')} sessions, ${fixed(result.memory.memoryUsageBytesPerSession, 0)} bytes each by MEMORY USAGE (records and per-user sets), ${fixed(result.memory.usedMemoryBytesPerSession, 0)} bytes each by the masters' used_memory growth.`,
    '',
    '| sessions in the cluster | session check p50 µs | p99 µs |',
    '| --- | --- | --- |',
    ...result.memory.checkLatency.map((step) => `| ${step.sessions.toLocaleString('en')} | ${fixed(step.p50Micros, 0)} | ${fixed(step.p99Micros, 0)} |`),
    '',
    '| target | measured | goal | |',
    '| --- | --- | --- | --- |',
    ...targetsOf(result).map((target) => `| ${target.name} | ${fixed(target.value)} | ${target.goal} | ${target.met ? 'met' : '**missed**'} |`),
  ];
  return `${lines.join('\n')}\n`;
}
