import type { JwtTiming } from './jwt-micro';
import type { LoginThroughput } from './login-throughput';
import type { RoundResult } from './load';
import type { SessionMemory } from './redis-memory';
import type { ScenarioResults, ScenarioSummary } from './scenarios';
import { median } from './stats';

/**
 * Ratios are taken round by round (A, B and C of one round ran seconds apart) and
 * then their median: the machine's speed drifts between rounds, much less within one.
 */
export function roundRatio(over: ScenarioSummary, under: ScenarioSummary, measure: (round: RoundResult) => number): number {
  return median(over.rounds.map((round, i) => measure(round) / measure(under.rounds[i])));
}

export interface BenchResult extends ScenarioResults {
  readonly date: string;
  readonly machine: { readonly cores: number; readonly node: string; readonly redis: string };
  readonly settings: Record<string, string | number>;
  readonly jwt: readonly JwtTiming[];
  readonly loginThroughput: LoginThroughput;
  readonly memory: SessionMemory;
}

interface Target {
  readonly name: string;
  readonly value: number;
  readonly goal: string;
  readonly met: boolean;
}

const fixed = (value: number, digits = 2) => value.toFixed(digits);
const count = (value: number) => value.toLocaleString('en');

/** Not one of the performance targets: how much the check's p50 moves from the first step to the last. */
export function checkLatencyGrowth(memory: SessionMemory): number {
  const steps = memory.checkLatency;
  return steps[steps.length - 1].p50Micros / steps[0].p50Micros;
}

export function targetsOf(result: BenchResult): Target[] {
  const { A, B, C } = result.scenarios;
  const hs = result.jwt.find((timing) => timing.algorithm === 'HS256') as JwtTiming;
  const poolRatio = result.loginThroughput.ratio;
  const throughputRatio = roundRatio(B, A, (round) => round.requestsPerSecond);
  const p99Ratio = roundRatio(B, A, (round) => round.p99Ms);
  const stormRatio = roundRatio(C, B, (round) => round.p99Ms);
  return [
    { name: 'B/A throughput (median of rounds)', value: throughputRatio, goal: '≥ 0.90', met: throughputRatio >= 0.9 },
    { name: 'B p99 / A p99 (median of rounds)', value: p99Ratio, goal: '≤ 1.2', met: p99Ratio <= 1.2 },
    { name: 'JWT verify µs/op (HS256)', value: hs.verifyMicros, goal: '≤ 15', met: hs.verifyMicros <= 15 },
    { name: 'JWT sign µs/op (HS256)', value: hs.signMicros, goal: '≤ 20', met: hs.signMicros <= 20 },
    { name: 'login throughput, pool / no pool (median of pairs)', value: poolRatio, goal: '≥ 1.7', met: poolRatio >= 1.7 },
    { name: 'C p99 / B p99 (median of rounds)', value: stormRatio, goal: '≤ 2', met: stormRatio <= 2 },
    { name: 'Redis bytes per live session (MEMORY USAGE)', value: result.memory.memoryUsageBytesPerSession, goal: '≤ 300', met: result.memory.memoryUsageBytesPerSession <= 300 },
  ];
}

function scenarioLines(result: BenchResult): string[] {
  const { A, B, C } = result.scenarios;
  const row = (name: string, s: ScenarioSummary) =>
    `| ${name} | ${fixed(s.requestsPerSecond, 0)} | ${fixed(s.p50Ms)} | ${fixed(s.p99Ms)} | ${s.rounds.map((r) => fixed(r.requestsPerSecond, 0)).join(' / ')} | ${s.failures} |`;
  const cpu = result.serverCpuMicrosPerRequest;
  const redisCpu = result.redisCpuMicrosPerRequest;
  return [
    '| scenario | req/s | p50 ms | p99 ms | req/s per round | failures |',
    '| --- | --- | --- | --- | --- | --- |',
    row('A `{ __typename }`, no token', A),
    row('B `{ me { id } }`, valid token', B),
    row('C = B during a login storm', C),
    '',
    `req/s is the median of the rounds' averages; p50 and p99 are the medians of the rounds' own p50 and p99 (autocannon's per-round histogram, 1 ms resolution). Ratios are taken within each round, then their median is reported.`,
    `B/A throughput per round: ${A.rounds.map((round, i) => fixed(B.rounds[i].requestsPerSecond / round.requestsPerSecond)).join(' / ')}.`,
    `Server CPU per request (median of rounds): A ${fixed(cpu.A, 0)} µs, B ${fixed(cpu.B, 0)} µs: the auth layer and the me resolver cost ${fixed(cpu.B - cpu.A, 0)} µs of CPU per request (A/B CPU ratio ${fixed(cpu.A / cpu.B)}). The Redis nodes' CPU per request: A ${fixed(redisCpu.A, 0)} µs, B ${fixed(redisCpu.B, 0)} µs, on the same 2 cores.`,
    `B sends one token over and over, so after its first request the signature check is answered by the service's verified-token cache; the session check in Redis runs on every request.`,
    '',
    `Login storm during C: ${fixed(result.stormLoginsPerSecond, 1)} logins/s (median of rounds, ${result.settings.stormConcurrency} concurrent, ${result.stormFailures} failed).`,
    ...loginLines(result),
  ];
}

function loginLines(result: BenchResult): string[] {
  const { withoutPool, withPool, workers, pairRatios } = result.loginThroughput;
  const { throughputPairs, throughputLoginsPerBatch, throughputConcurrency } = result.settings;
  return [
    `Login throughput, ${throughputPairs} pairs of ${throughputLoginsPerBatch}-login batches at concurrency ${throughputConcurrency}, alternating between two servers: ` +
      `${fixed(withoutPool, 1)}/s with bcrypt on the event loop (BCRYPT_WORKERS=0), ${fixed(withPool, 1)}/s with the default pool of ${workers} worker threads; ratio per pair ${pairRatios.map((ratio) => fixed(ratio)).join(' / ')}.`,
  ];
}

function jwtLines(result: BenchResult): string[] {
  return [
    '| JWT (the service\'s sign and verify, uncached) | sign µs/op | verify µs/op |',
    '| --- | --- | --- |',
    ...result.jwt.map((timing) => `| ${timing.algorithm} | ${fixed(timing.signMicros)} | ${fixed(timing.verifyMicros)} |`),
    '',
    'Each figure is the fastest of five trials after a warm-up (HS256 50,000 ops in all, ES256 and EdDSA 10,000), in the bench process.',
  ];
}

function memoryLines(memory: SessionMemory): string[] {
  const { sessionRecords, sessionSets, other } = memory.keysCounted;
  return [
    `Redis: ${count(memory.sessions)} sessions (${memory.sessions / sessionSets} per user, created through the service's session store in ${fixed(memory.secondsToCreate, 0)} s${memory.reachedTarget ? '' : ', stopped by the time budget before the planned count'}): ` +
      `${fixed(memory.memoryUsageBytesPerSession, 0)} bytes each by MEMORY USAGE summed over ${count(sessionRecords)} session records and ${count(sessionSets)} per-user session sets${other ? ` and ${count(other)} other keys` : ''} (no user records), ` +
      `${fixed(memory.usedMemoryBytesPerSession, 0)} bytes each by the masters' used_memory growth (which also holds the keyspace's and the expiry table's entries, not part of MEMORY USAGE).`,
    '',
    '| sessions in the cluster | session check p50 µs (fastest of 5 trials) | p99 µs (all trials) |',
    '| --- | --- | --- |',
    ...memory.checkLatency.map((step) => `| ${count(step.sessions)} | ${fixed(step.p50Micros, 0)} | ${fixed(step.p99Micros, 0)} |`),
    '',
    `The check (one Lua script, one round trip, awaited one at a time) at ${count(memory.checkLatency[memory.checkLatency.length - 1].sessions)} sessions takes ${fixed(checkLatencyGrowth(memory))} × its p50 at 1 session.`,
  ];
}

export function markdownReport(result: BenchResult): string {
  const settings = Object.entries(result.settings).map(([key, value]) => `${key}=${value}`).join(', ');
  const lines = [
    `Benchmark of ${result.date} on ${result.machine.cores} cores, Node ${result.machine.node}, redis-server ${result.machine.redis} (a local 3-master, 3-replica cluster).`,
    `Settings: ${settings}.`,
    'The server runs in its own process with LOG_LEVEL=silent (a log line per request to a pipe would dominate); brute-force protection is off and logins cycle over distinct users; bcrypt at the cost shown.',
    'This machine is shared and small: absolute times drift, so read the ratios.',
    '',
    ...scenarioLines(result),
    '',
    ...jwtLines(result),
    '',
    ...memoryLines(result.memory),
    '',
    '| target | measured | goal | |',
    '| --- | --- | --- | --- |',
    ...targetsOf(result).map((target) => `| ${target.name} | ${fixed(target.value)} | ${target.goal} | ${target.met ? 'met' : '**missed**'} |`),
  ];
  return `${lines.join('\n')}\n`;
}
