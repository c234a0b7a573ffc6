import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RedisAddress } from './address';
import { resolveRedisServer } from './binaries';
import { DEFAULT_HOST, noopLog } from './defaults';
import { createLaunch, startOrCleanUp } from './launch';
import type { NodeLayout } from './node-group';
import { reservePorts } from './ports';
import { commonServerArgs } from './server-args';

export interface StandaloneRedis extends RedisAddress {
  /** Working dir of the server; removed by stop(). */
  dir: string;
  /** Stops the server and removes `dir`. Safe to call more than once. */
  stop(): Promise<void>;
}

export interface StandaloneRedisOptions {
  host?: string;
  redisServerPath?: string;
  log?: (line: string) => void;
}

export async function startStandaloneRedis(options: StandaloneRedisOptions = {}): Promise<StandaloneRedis> {
  const host = options.host ?? DEFAULT_HOST;
  const log = options.log ?? noopLog;
  const redisServerPath = await resolveRedisServer(options.redisServerPath);

  const dir = await mkdtemp(path.join(tmpdir(), 'redis-standalone-'));
  const layout: NodeLayout = {
    dirFor: () => dir,
    argsFor: (port) => commonServerArgs(host, port, dir),
  };
  const launch = createLaunch({ redisServerPath, host, layout, log, dir });

  return startOrCleanUp(launch, async () => {
    const [reservedPort] = await reservePorts(host, 1);
    const { port } = await launch.group.launchOnReservedPort(reservedPort, new Set());
    return { host, port, dir, stop: () => launch.stop() };
  });
}
