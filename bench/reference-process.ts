import { createSecretKey } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createRedisKeys } from '@graphql-auth-service/subgraph/redis/keys';
import { Cluster } from 'ioredis';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import { serveAsChild } from './child-protocol';

/**
 * The hand-written reference B and K are measured against: Apollo's standalone server,
 * jsonwebtoken with a KeyObject built once, one EXISTS on the session the service wrote
 * (its key from the kit's key layout). No logs, no limits, nothing cached.
 */
serveAsChild(async () => {
  const env = process.env as Record<string, string>;
  const key = createSecretKey(Buffer.from(env.JWT_SECRET, 'utf8'));
  const checks = { algorithms: ['HS256' as const], issuer: env.JWT_ISSUER ?? 'graphql-auth-service', audience: env.JWT_AUDIENCE ?? 'graphql-api' };
  const keys = createRedisKeys(env.REDIS_KEY_PREFIX);
  const nodes = env.REDIS_CLUSTER_NODES.split(',').map((node) => ({ host: node.split(':')[0], port: Number(node.split(':')[1]) }));
  const redis = new Cluster(nodes, { scaleReads: 'master', enableAutoPipelining: true, lazyConnect: true });
  await redis.connect();
  type Context = { userId?: string };
  const server = new ApolloServer<Context>({
    typeDefs: 'type Query { me: User } type User { id: ID! }',
    resolvers: { Query: { me: (_: unknown, __: unknown, { userId }: Context) => (userId ? { id: userId } : null) } },
  });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }): Promise<Context> => {
      const token = req.headers.authorization?.replace(/^Bearer /, '');
      if (!token) return {};
      const { sub, sid } = jwt.verify(token, key, checks) as JwtPayload & { sid: string };
      return (await redis.exists(keys.session(sub as string, sid))) === 1 ? { userId: sub } : {};
    },
  });
  return { url, close: () => server.stop().finally(() => redis.disconnect()) };
});
