import { spawn } from 'node:child_process';
import { formatAddress, type RedisAddress } from './address';
import { describeExit, isMissingBinary, type ProcessExit } from './child-exit';
import { ClusterCreateError, LauncherStoppedError, RedisCliMissingError } from './errors';
import { createOutputTail } from './output-tail';
import { raceWithTimeout } from './timing';

const CLUSTER_CREATE_TIMEOUT_MS = 30_000;

export async function createClusterWithRedisCli(
  redisCliPath: string,
  nodes: readonly RedisAddress[],
  replicasPerMaster: number,
  log: (line: string) => void,
  stopSignal: AbortSignal,
): Promise<void> {
  const args = [
    '--cluster', 'create',
    ...nodes.map(formatAddress),
    '--cluster-replicas', String(replicasPerMaster),
    '--cluster-yes',
  ];
  // redis-cli waits forever for nodes that have gone away, so stopping the launch must kill it too.
  const child = spawn(redisCliPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    signal: stopSignal,
    killSignal: 'SIGKILL',
    // redis-cli colours its output whenever TERM looks like xterm, even into a pipe.
    env: { ...process.env, TERM: 'dumb' },
  });
  const tail = createOutputTail(200);
  const forward = (chunk: string): void => {
    for (const line of tail.append(chunk)) log(`redis-cli: ${line}`);
  };
  child.stdout.setEncoding('utf8').on('data', forward);
  child.stderr.setEncoding('utf8').on('data', forward);

  const finished = new Promise<ProcessExit>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      if (child.pid === undefined) resolve({ code: null, signal: null, spawnError: error });
    });
  });
  const exit = await raceWithTimeout(finished, CLUSTER_CREATE_TIMEOUT_MS);
  if (exit === undefined) {
    child.kill('SIGKILL');
    throw new ClusterCreateError(`did not finish within ${CLUSTER_CREATE_TIMEOUT_MS} ms`, tail.text());
  }
  if (stopSignal.aborted) throw new LauncherStoppedError();
  if (isMissingBinary(exit)) {
    throw new RedisCliMissingError([redisCliPath], { cause: exit.spawnError });
  }
  if (exit.spawnError || exit.code !== 0) {
    throw new ClusterCreateError(describeExit(exit), tail.text());
  }
}
