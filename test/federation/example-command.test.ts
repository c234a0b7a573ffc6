import { once } from 'node:events';
import { createGraphQLCaller, login } from '../support/graphql-caller';
import { spawnUntilReady } from '../support/spawn-until-ready';
import { clusterNodesFromSetup } from '../support/test-env';
import { TS_NODE_ARGS } from '../../tools/ts-node-args';

describe('npm run example:federation', () => {
  it('starts the auth subgraph, the orders subgraph and a gateway with one command, and stops on Ctrl-C', async () => {
    const { child, ready: gatewayUrl } = await spawnUntilReady(
      'example',
      process.execPath,
      [...TS_NODE_ARGS, 'examples/federation/start.ts'],
      {
        cwd: `${__dirname}/../..`,
        env: { PATH: process.env.PATH ?? '', REDIS_CLUSTER_NODES: clusterNodesFromSetup(), GATEWAY_PORT: '0', AUTH_PORT: '0', ORDERS_PORT: '0' },
      },
      (output) => {
        const match = /^gateway\s+(\S+)$/m.exec(output);
        return match && output.includes('Press Ctrl-C') ? match[1] : undefined;
      },
    );

    const gateway = createGraphQLCaller(gatewayUrl);
    const alice = await login(gateway, 'alice', 'federation demo');
    const orders = await gateway(`{ orders { item owner { username } } }`, { token: alice.accessToken });
    expect(orders.data?.orders[0]).toEqual({ item: 'Keyboard', owner: { username: 'alice' } });

    const exited = once(child, 'exit');
    child.kill('SIGINT');
    expect((await exited)[0]).toBe(0);
  }, 60_000);
});
