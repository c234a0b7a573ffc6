/**
 * Local Redis for tests and `npm run cluster`: a Redis Cluster or a standalone
 * server in a temp dir, torn down on stop() and on process exit or signals.
 */
export type { RedisAddress } from './address';
export { startLocalCluster, type LocalCluster, type LocalClusterOptions } from './cluster';
export { startStandaloneRedis, type StandaloneRedis, type StandaloneRedisOptions } from './standalone';
export type { NodeReadiness } from './node-readiness';
export type { TopologyView } from './topology';
export {
  LocalRedisError,
  RedisServerMissingError,
  RedisCliMissingError,
  InvalidClusterOptionsError,
  PortAllocationError,
  RedisNodeStartError,
  RedisPortTakenError,
  ClusterCreateError,
  ClusterNotReadyError,
  UnknownNodeError,
  LauncherStoppedError,
} from './errors';
