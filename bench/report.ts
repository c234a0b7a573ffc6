import type { JwtTiming } from './jwt-micro';
import type { RoundResult } from './load';
import type { SessionMemory } from './redis-memory';

export interface ScenarioSummary extends RoundResult {
  readonly rounds: readonly RoundResult[];
}

export interface BenchResult {
  readonly date: string;
  readonly machine: { readonly cores: number; readonly node: string; readonly redis: string };
  readonly settings: Record<string, string | number>;
  readonly scenarios: { readonly A: ScenarioSummary; readonly B: ScenarioSummary; readonly C: ScenarioSummary };
  readonly stormLoginsPerSecond: number;
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
  return [
    { name: 'B/A throughput', value: B.requestsPerSecond / A.requestsPerSecond, goal: '≥ 0.90', met: B.requestsPerSecond / A.requestsPerSecond >= 0.9 },
    { name: 'B p99 / A p99', value: B.p99Ms / A.p99Ms, goal: '≤ 1.2', met: B.p99Ms / A.p99Ms <= 1.2 },
    { name: 'JWT verify µs/op (HS256)', value: hs.verifyMicros, goal: '≤ 15', met: hs.verifyMicros <= 15 },
    { name: 'JWT sign µs/op (HS256)', value: hs.signMicros, goal: '≤ 20', met: hs.signMicros <= 20 },
    { name: 'login throughput, pool / no pool', value: poolRatio, goal: '≥ 1.7', met: poolRatio >= 1.7 },
    { name: 'C p99 / B p99', value: C.p99Ms / B.p99Ms, goal: '≤ 2', met: C.p99Ms / B.p99Ms <= 2 },
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
