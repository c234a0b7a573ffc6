import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startLocalCluster } from '../tools/redis-cluster/launcher';
import { runBounded } from './bounded-run';
import { CONNECTIONS, expectMe, loginToken, meLoad, runRound } from './load';
import { type CpuProfile, LAYERS, type Layer, selfTimeByLayer } from './profile-layers';
import { startServerChild } from './server-child';
import { BENCH_PASSWORD, serverEnv } from './server-env';

const WARM_UP_SECONDS = 3;
const MEASURED_SECONDS = 10;
/** The run takes about a minute; past this it stops by itself, whatever happens. */
const RUN_DEADLINE_MS = 4 * 60_000;
const REPOSITORY_ROOT = resolve(__dirname, '..');

const log = (line: string) => process.stderr.write(`bench:profile: ${line}\n`);

/**
 * Now on the clock of the profile's timestamps: V8 stamps samples with the same monotonic
 * clock as process.hrtime, in µs, and it is one clock for every process of the machine.
 */
const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

/** The main thread's profile: the largest; each worker thread of the bcrypt pool writes a small one of its own. */
function mainThreadProfile(dir: string): string {
  const profiles = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(dir, name));
  if (profiles.length === 0) throw new Error(`the service wrote no .cpuprofile to ${dir}`);
  return profiles.reduce((largest, path) => (statSync(path).size > statSync(largest).size ? path : largest));
}

interface Measurement {
  readonly selfTime: Record<Layer, number>;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly profilePath: string;
}

function markdownReport({ selfTime, requests, requestsPerSecond, profilePath }: Measurement): string {
  const busy = LAYERS.reduce((sum, layer) => sum + selfTime[layer], 0);
  const row = (name: string, micros: number) => `| ${name} | ${(micros / requests).toFixed(1)} | ${((100 * micros) / busy).toFixed(1)}% |`;
  return [
    `CPU profile of the service's event-loop thread (\`node --cpu-prof\`) under ${CONNECTIONS} connections of authenticated`,
    `\`{ me { id } }\` for ${MEASURED_SECONDS} s after a ${WARM_UP_SECONDS} s warm-up: ${requests} requests (${Math.round(requestsPerSecond)} req/s).`,
    'Self time by layer over the measured round only, idle left out, divided by the requests it served.',
    '',
    '| layer | µs per request | share of busy time |',
    '| --- | --- | --- |',
    ...LAYERS.map((layer) => row(layer, selfTime[layer])),
    row('**total**', busy),
    '',
    `Raw profile (open it in Chrome DevTools, Performance tab): ${profilePath}`,
    '',
  ].join('\n');
}

function writeReport(measurement: Measurement): void {
  const markdown = markdownReport(measurement);
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'profile.md'), markdown);
  process.stdout.write(markdown);
}

runBounded({ name: 'bench:profile', deadlineMs: RUN_DEADLINE_MS, log }, async (cleanups) => {
  log('starting a local 3-master, 3-replica cluster');
  const cluster = await startLocalCluster();
  cleanups.add(() => cluster.stop());
  const profileDir = await mkdtemp(join(tmpdir(), 'graphql-auth-service-profile-'));
  // A finished run leaves its profiles in place, to open in DevTools; a failed or stopped one takes them away.
  let finished = false;
  cleanups.add(async () => {
    if (!finished) await rm(profileDir, { recursive: true, force: true });
  });
  log(`starting the service with --cpu-prof, seeding bench0; profiles go to ${profileDir}`);
  const server = await startServerChild(serverEnv(cluster, process.env.BENCH_BCRYPT_COST ?? '12', 1), 'service', [
    '--cpu-prof',
    `--cpu-prof-dir=${profileDir}`,
  ]);
  cleanups.add(() => server.stop());

  const token = await loginToken(server.url, 'bench0', BENCH_PASSWORD);
  await expectMe(server.url, token);
  const load = meLoad(server.url, token);
  log(`warm-up, ${WARM_UP_SECONDS} s`);
  await runRound(load, WARM_UP_SECONDS);
  log(`measured round, ${MEASURED_SECONDS} s`);
  const start = monotonicMicros();
  const round = await runRound(load, MEASURED_SECONDS);
  const end = monotonicMicros();
  if (round.failures > 0) throw new Error(`${round.failures} of the measured round's requests failed`);
  // Node writes the profile as the service exits.
  await server.stop();

  const profilePath = mainThreadProfile(profileDir);
  const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as CpuProfile;
  if (start < profile.startTime || end > profile.endTime) {
    throw new Error(`the measured round [${start}, ${end}] µs is not inside the profile's [${profile.startTime}, ${profile.endTime}]: not the same clock?`);
  }
  writeReport({ selfTime: selfTimeByLayer(profile, [start, end], REPOSITORY_ROOT), requests: round.requests, requestsPerSecond: round.requestsPerSecond, profilePath });
  finished = true;
});
