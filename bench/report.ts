import type { JwtTiming } from './jwt-micro';
import type { LoginThroughput } from './login-throughput';
import type { RoundResult } from './load';
import type { SessionMemory } from './redis-memory';
import type { ScenarioResults, ScenarioSummary } from './scenarios';
import { median } from './stats';

/** Each round's ratio of one scenario's measure over another's (both ran seconds apart in that round). */
export function perRoundRatios(over: ScenarioSummary, under: ScenarioSummary, measure: (round: RoundResult) => number): number[] {
  return over.rounds.map((round, i) => measure(round) / measure(under.rounds[i]));
}

/**
 * Ratios are taken round by round (the scenarios of one round ran seconds apart) and
 * then their median: the machine's speed drifts between rounds, much less within one.
 */
export function roundRatio(over: ScenarioSummary, under: ScenarioSummary, measure: (round: RoundResult) => number): number {
  return median(perRoundRatios(over, under, measure));
}

/** `full`: everything (the default); `requests`: only A, B, R and K (`--only requests`). */
export type BenchMode = 'full' | 'requests';

export interface BenchResult extends ScenarioResults {
  readonly date: string;
  readonly mode: BenchMode;
  readonly machine: { readonly cores: number; readonly node: string; readonly redis: string };
  readonly settings: Record<string, string | number>;
  /** The parts below run in the full mode only. */
  readonly jwt?: readonly JwtTiming[];
  readonly loginThroughput?: LoginThroughput;
  readonly memory?: SessionMemory;
}

/** One server's `me` over the reference's, round by round and as the median of rounds. */
export interface RatioSeries {
  readonly requestsPerSecondPerRound: readonly number[];
  readonly requestsPerSecond: number;
  readonly p99PerRound: readonly number[];
  readonly p99: number;
  /** Server CPU per request over the reference's (medians of rounds). */
  readonly serverCpuPerRequest: number;
}

export interface ReferenceRatios {
  /** B/R: the service's `me` over the hand-written reference's. */
  readonly serviceOverReference: RatioSeries;
  /** K/R: the kit subgraph's `me` over the reference's. */
  readonly kitOverReference: RatioSeries;
}

export function referenceRatios(result: BenchResult): ReferenceRatios {
  const { B, R, K } = result.scenarios;
  const cpu = result.serverCpuMicrosPerRequest;
  const series = (over: ScenarioSummary, overCpu: number): RatioSeries => ({
    requestsPerSecondPerRound: perRoundRatios(over, R, (round) => round.requestsPerSecond),
    requestsPerSecond: roundRatio(over, R, (round) => round.requestsPerSecond),
    p99PerRound: perRoundRatios(over, R, (round) => round.p99Ms),
    p99: roundRatio(over, R, (round) => round.p99Ms),
    serverCpuPerRequest: overCpu / cpu.R,
  });
  return { serviceOverReference: series(B, cpu.B), kitOverReference: series(K, cpu.K) };
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

/** A target whose goal reads `≥ 0.90` or `≤ 1.2`. */
function target(name: string, value: number, goal: `${'≥' | '≤'} ${number}`): Target {
  const bound = Number(goal.slice(2));
  return { name, value, goal, met: goal.startsWith('≥') ? value >= bound : value <= bound };
}

/** The targets of what ran: a requests-only run has no JWT, login, storm or memory targets. */
export function targetsOf(result: BenchResult): Target[] {
  const { A, B, C } = result.scenarios;
  const { serviceOverReference, kitOverReference } = referenceRatios(result);
  const hs = result.jwt?.find((timing) => timing.algorithm === 'HS256');
  const memory = result.memory;
  return [
    target('B/A throughput (median of rounds)', roundRatio(B, A, (round) => round.requestsPerSecond), '≥ 0.90'),
    target('B p99 / A p99 (median of rounds)', roundRatio(B, A, (round) => round.p99Ms), '≤ 1.2'),
    target('service/reference throughput, B/R (median of rounds)', serviceOverReference.requestsPerSecond, '≥ 0.80'),
    target('service p99 / reference p99, B/R (median of rounds)', serviceOverReference.p99, '≤ 1.5'),
    target('kit/reference throughput, K/R (median of rounds)', kitOverReference.requestsPerSecond, '≥ 0.90'),
    ...(hs ? [target('JWT verify µs/op (HS256)', hs.verifyMicros, '≤ 15'), target('JWT sign µs/op (HS256)', hs.signMicros, '≤ 20')] : []),
    ...(result.loginThroughput ? [target('login throughput, pool / no pool (median of pairs)', result.loginThroughput.ratio, '≥ 1.7')] : []),
    ...(C ? [target('C p99 / B p99 (median of rounds)', roundRatio(C, B, (round) => round.p99Ms), '≤ 2')] : []),
    ...(memory ? [target('Redis bytes per live session (MEMORY USAGE)', memory.memoryUsageBytesPerSession, '≤ 300')] : []),
  ];
}

/** What bench/results/*.json hold: the result, its targets and the ratios to the reference. */
export function jsonReport(result: BenchResult) {
  return { ...result, referenceRatios: referenceRatios(result), targets: targetsOf(result) };
}

function scenarioLines(result: BenchResult): string[] {
  const { A, B, R, K, C } = result.scenarios;
  const row = (name: string, s: ScenarioSummary) =>
    `| ${name} | ${fixed(s.requestsPerSecond, 0)} | ${fixed(s.p50Ms)} | ${fixed(s.p99Ms)} | ${s.rounds.map((r) => fixed(r.requestsPerSecond, 0)).join(' / ')} | ${s.failures} |`;
  const cpu = result.serverCpuMicrosPerRequest;
  const redisCpu = result.redisCpuMicrosPerRequest;
  const { serviceOverReference: service, kitOverReference: kit } = referenceRatios(result);
  const series = (ratios: readonly number[], middle: number) => `${ratios.map((ratio) => fixed(ratio)).join(' / ')} (median ${fixed(middle)})`;
  return [
    '| scenario | req/s | p50 ms | p99 ms | req/s per round | failures |',
    '| --- | --- | --- | --- | --- | --- |',
    row('A `{ __typename }`, no token', A),
    row('B `{ me { id } }`, valid token', B),
    row('R `{ me { id } }` on the hand-written reference', R),
    row('K `{ me { id } }` on a subgraph built with the kit', K),
    ...(C ? [row('C = B during a login storm', C)] : []),
    '',
    `req/s is the median of the rounds' averages; p50 and p99 are the medians of the rounds' own p50 and p99 (autocannon's per-round histogram, 1 ms resolution). Ratios are taken within each round, then their median is reported.`,
    `B/A throughput per round: ${A.rounds.map((round, i) => fixed(B.rounds[i].requestsPerSecond / round.requestsPerSecond)).join(' / ')}. ` +
      `For scale, the reference's \`me\` against the service's \`{ __typename }\` (R/A): ${A.rounds.map((round, i) => fixed(R.rounds[i].requestsPerSecond / round.requestsPerSecond)).join(' / ')}; ` +
      `the least a JWT check and a Redis round trip can add, written by hand, with nothing else.`,
    `Service/reference (B/R) throughput per round: ${series(service.requestsPerSecondPerRound, service.requestsPerSecond)}; p99 per round: ${series(service.p99PerRound, service.p99)}.`,
    `Kit/reference (K/R) throughput per round: ${series(kit.requestsPerSecondPerRound, kit.requestsPerSecond)}; p99 per round: ${series(kit.p99PerRound, kit.p99)}.`,
    `Server CPU per request (median of rounds): A ${fixed(cpu.A, 0)} µs, B ${fixed(cpu.B, 0)} µs: the auth layer and the me resolver cost ${fixed(cpu.B - cpu.A, 0)} µs of CPU per request (A/B CPU ratio ${fixed(cpu.A / cpu.B)}). ` +
      `\`me\` on the reference, R ${fixed(cpu.R, 0)} µs; on the kit subgraph, K ${fixed(cpu.K, 0)} µs (CPU ratios B/R ${fixed(service.serverCpuPerRequest)}, K/R ${fixed(kit.serverCpuPerRequest)}). ` +
      `The Redis nodes' CPU per request: A ${fixed(redisCpu.A, 0)} µs, B ${fixed(redisCpu.B, 0)} µs, R ${fixed(redisCpu.R, 0)} µs, K ${fixed(redisCpu.K, 0)} µs, on the same ${result.machine.cores} cores.`,
    `B, R, K${C ? ' and C' : ''} send one token, logged in through the service, over and over: after its first request the service's and the kit's signature check is answered by their verified-token cache, while the reference verifies with jsonwebtoken every time. ` +
      `The session check runs on every request: the service and the kit run their one read-only Lua script (session, account, revocation marks; one round trip; lastSeenAt is written by a second script at most once a minute per session), the reference one EXISTS on the session's key.`,
    ...(C
      ? ['', `Login storm during C: ${fixed(result.stormLoginsPerSecond ?? 0, 1)} logins/s (median of rounds, ${result.settings.stormConcurrency} concurrent, ${result.stormFailures ?? 0} failed).`]
      : []),
    ...(result.loginThroughput ? loginLines(result.loginThroughput, result.settings) : []),
  ];
}

function loginLines(throughput: LoginThroughput, settings: BenchResult['settings']): string[] {
  const { withoutPool, withPool, workers, pairRatios } = throughput;
  const { throughputPairs, throughputLoginsPerBatch, throughputConcurrency } = settings;
  return [
    `Login throughput, ${throughputPairs} pairs of ${throughputLoginsPerBatch}-login batches at concurrency ${throughputConcurrency}, alternating between two servers: ` +
      `${fixed(withoutPool, 1)}/s with bcrypt on the event loop (BCRYPT_WORKERS=0), ${fixed(withPool, 1)}/s with the default pool of ${workers} worker threads; ratio per pair ${pairRatios.map((ratio) => fixed(ratio)).join(' / ')}.`,
  ];
}

function jwtLines(jwt: readonly JwtTiming[]): string[] {
  return [
    '| JWT (the service\'s sign and verify, uncached) | sign µs/op | verify µs/op |',
    '| --- | --- | --- |',
    ...jwt.map((timing) => `| ${timing.algorithm} | ${fixed(timing.signMicros)} | ${fixed(timing.verifyMicros)} |`),
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
    ...(result.mode === 'requests' ? ['Requests only (`--only requests`): A, B, R and K; no login storm (C), JWT, login-throughput or memory measurement.'] : []),
    `Settings: ${settings}.`,
    'Each server (the service, the hand-written reference, the kit subgraph) runs in its own process, the service with every production feature on: a request log line at LOG_LEVEL=info for each request (written to /dev/null, so what is measured is building and writing the line, not a log pipeline), metrics, query limits, CORS; brute-force protection is off and logins cycle over distinct users; bcrypt at the cost shown.',
    'This machine is shared and small: absolute times drift, so read the ratios.',
    '',
    ...scenarioLines(result),
    ...(result.jwt ? ['', ...jwtLines(result.jwt)] : []),
    ...(result.memory ? ['', ...memoryLines(result.memory)] : []),
    '',
    '| target | measured | goal | |',
    '| --- | --- | --- | --- |',
    ...targetsOf(result).map((target) => `| ${target.name} | ${fixed(target.value)} | ${target.goal} | ${target.met ? 'met' : '**missed**'} |`),
  ];
  return `${lines.join('\n')}\n`;
}
