import { generateKeyPairSync, randomBytes } from 'node:crypto';
import pino from 'pino';
import { startLocalCluster, type LocalCluster } from '../../tools/redis-cluster/launcher';
import { loadConfig } from '../../src/config/load-config';
import { createServer } from '../../src/server/create-server';
import { createDependencies } from '../../src/server/dependencies';
import { closeRedisClient, createRedisClient, createSubgraphAuthenticator } from '@graphql-auth-service/subgraph';
import { startGateway } from './gateway';
import { startOrdersSubgraph } from './orders-subgraph';

/**
 * `npm run example:federation`: the auth subgraph, the orders subgraph and a gateway,
 * on REDIS_CLUSTER_NODES or on a local cluster started here, until Ctrl-C.
 */
const DEMO_PASSWORD = 'federation demo';

async function main(): Promise<void> {
  const ownCluster = process.env.REDIS_CLUSTER_NODES ? undefined : await startLocalCluster();
  const nodes = process.env.REDIS_CLUSTER_NODES ?? clusterNodes(ownCluster as LocalCluster);
  const { privateKey } = generateKeyPairSync('ed25519');
  // Shared by the gateway and both subgraphs: `_entities` and `_service` answer only to the gateway.
  const gatewaySecret = process.env.GATEWAY_SECRET ?? randomBytes(32).toString('base64url');
  const config = loadConfig({
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    REDIS_CLUSTER_NODES: nodes,
    REDIS_KEY_PREFIX: 'federation-example:',
    BCRYPT_COST: '10',
    GATEWAY_SECRET: gatewaySecret,
    JWT_KEYS: JSON.stringify([{ kid: 'example-ed', alg: 'EdDSA', active: true, privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }) }]),
  });
  const deps = await createDependencies(config, pino({ level: config.logLevel }));
  const auth = await createServer(deps);
  const authUrl = await auth.listen(Number(process.env.AUTH_PORT ?? 4001), '127.0.0.1');
  await seedUsers(deps.accounts);

  const sessionRedis = createRedisClient(config.redis as Exclude<typeof config.redis, { kind: 'memory' }>);
  await sessionRedis.connect();
  const kit = () =>
    createSubgraphAuthenticator({
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      keys: { jwksUrl: new URL('/.well-known/jwks.json', authUrl).toString() },
      sessions: { redis: sessionRedis, keyPrefix: config.redisKeyPrefix },
    });
  const orders = await startOrdersSubgraph({ authenticate: kit(), gatewaySecret, port: Number(process.env.ORDERS_PORT ?? 4002) });
  const gateway = await startGateway({
    subgraphs: [
      { name: 'auth', url: authUrl },
      { name: 'orders', url: orders.url },
    ],
    gatewaySecret,
    authenticate: kit(),
    port: Number(process.env.GATEWAY_PORT ?? 4000),
  });

  process.stdout.write(
    [
      `gateway  ${gateway.url}`,
      `auth     ${authUrl}`,
      `orders   ${orders.url}`,
      `users    alice (orders:read), bob (none), admin (ROLE_ADMIN); password "${DEMO_PASSWORD}"`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await gateway.stop();
    await orders.stop();
    await auth.close();
    await deps.close();
    await closeRedisClient(sessionRedis);
    await ownCluster?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

function clusterNodes(cluster: LocalCluster): string {
  return cluster.nodes.map(({ host, port }) => `${host}:${port}`).join(',');
}

async function seedUsers(accounts: Awaited<ReturnType<typeof createDependencies>>['accounts']): Promise<void> {
  const users = [
    { username: 'alice', authorities: ['orders:read'] },
    { username: 'bob', authorities: [] },
    { username: 'admin', authorities: ['ROLE_ADMIN'] },
  ];
  for (const user of users) {
    if (!(await accounts.findByUsername(user.username))) await accounts.create({ ...user, password: DEMO_PASSWORD });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`federation example failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
