import { startStandaloneRedis, type StandaloneRedis } from '../../tools/redis-cluster/launcher';
import { clusterEnv } from '../support/test-env';
import { login } from '../support/graphql-caller';
import { startTestServer, type TestServer } from '../support/test-server';

const PASSWORD = 'correct horse battery';

describe('Redis unreachable: fail closed with SERVICE_UNAVAILABLE', () => {
  let redis: StandaloneRedis;
  let server: TestServer;

  beforeAll(async () => {
    redis = await startStandaloneRedis();
    const env = clusterEnv({ REDIS_URL: `redis://${redis.host}:${redis.port}` });
    delete env.REDIS_CLUSTER_NODES;
    server = await startTestServer(env);
    await server.deps.accounts.create({ username: 'mallory', password: PASSWORD });
  });
  afterAll(async () => {
    await server.close();
    await redis.stop();
  });

  it('refuses a valid token and a login with 503 SERVICE_UNAVAILABLE, never letting anyone in', async () => {
    const payload = await login(server.call, 'mallory', PASSWORD);
    expect((await server.call(`{ me { username } }`, { token: payload.accessToken })).status).toBe(200);

    await redis.stop();

    const checked = await server.call(`{ me { username } }`, { token: payload.accessToken });
    expect(checked.status).toBe(503);
    expect(checked.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(checked.data).toBeUndefined();

    const loggingIn = await server.call(`mutation { login(input: { username: "mallory", password: "${PASSWORD}" }) { accessToken } }`);
    expect(loggingIn.errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(loggingIn.data).toBeNull();

    const anonymous = await server.call(`{ __typename }`);
    expect(anonymous.data).toEqual({ __typename: 'Query' });
  });
});
