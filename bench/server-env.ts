import type { LocalCluster } from '../tools/redis-cluster/launcher';

/** The password of every seeded bench user (bench0, bench1, ...). */
export const BENCH_PASSWORD = 'bench password 1';

/** The environment of every server under test. */
export function serverEnv(cluster: LocalCluster, bcryptCost: string, users: number) {
  return {
    NODE_ENV: 'production',
    JWT_SECRET: 'a-bench-secret-of-at-least-thirty-two-bytes!',
    SERVER_SECRET: 'a-bench-server-secret-of-at-least-thirty-two-bytes',
    METRICS_PORT: '0',
    REDIS_CLUSTER_NODES: cluster.nodes.map((node) => `${node.host}:${node.port}`).join(','),
    // Its own prefix on the shared cluster: the memory measurement counts only its own keys.
    REDIS_KEY_PREFIX: 'load:',
    LOG_LEVEL: 'info',
    // Production features on, though the load sends no Origin and no gateway signature.
    CORS_ORIGINS: 'https://app.example',
    GATEWAY_SECRET: 'a-bench-gateway-secret-of-at-least-thirty-two-bytes',
    MAX_SESSIONS_PER_USER: '0',
    BRUTE_FORCE_PROTECTION: 'false',
    BCRYPT_COST: bcryptCost,
    BENCH_USERS: String(users),
    BENCH_PASSWORD,
  };
}

export type ServerEnv = ReturnType<typeof serverEnv>;
