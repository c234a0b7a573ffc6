import { type CpuProfile, layerOf, selfTimeByLayer } from '../../bench/profile-layers';

const ROOT = '/x';
const frames = {
  ours: { functionName: 'handle', url: 'file:///x/src/server/graphql-endpoint.ts' },
  express: { functionName: 'handle', url: 'file:///x/node_modules/express/lib/router.js' },
  http: { functionName: 'writeHead', url: 'node:_http_outgoing' },
  gc: { functionName: '(garbage collector)', url: '' },
  idle: { functionName: '(idle)', url: '' },
  graphqlUnderApollo: { functionName: 'execute', url: 'file:///x/node_modules/@apollo/server/node_modules/graphql/execution/execute.js' },
  program: { functionName: '(program)', url: '' },
};
const ids = Object.fromEntries(Object.keys(frames).map((name, i) => [name, i + 1])) as Record<keyof typeof frames, number>;

/** Samples at 5, 10, 20, 30, 35, 40, 50 and 70 µs; each lasts until the next, the last until 80. */
const profile: CpuProfile = {
  nodes: Object.entries(frames).map(([name, callFrame]) => ({ id: ids[name as keyof typeof frames], callFrame })),
  startTime: 0,
  endTime: 80,
  samples: [ids.ours, ids.express, ids.http, ids.gc, ids.idle, ids.ours, ids.graphqlUnderApollo, ids.http],
  timeDeltas: [5, 5, 10, 10, 5, 5, 10, 20],
};

describe('the CPU profile split by layer', () => {
  it('counts each sample in the window until the next sample, by the layer of its frame', () => {
    const split = selfTimeByLayer(profile, [10, 70], ROOT);
    expect(split).toEqual({
      "Node's HTTP, streams, sockets, timers, microtasks": 10,
      'express, its router, body-parser, helmet, cors and their helpers': 10,
      'garbage collection': 5,
      'Apollo Server': 0,
      ioredis: 0,
      'our code (endpoint, context, logging, the auth layer, the kit)': 10,
      'pino (the request log)': 0,
      'graphql-js and type-graphql': 20,
      'prom-client (metrics)': 0,
      'other packages': 0,
    });
  });

  it('leaves out the samples before and after the window, and idle time', () => {
    const busy = (window: [number, number]) => Object.values(selfTimeByLayer(profile, window, ROOT)).reduce((sum, time) => sum + time, 0);
    expect(busy([0, 80])).toBe(70);
    expect(busy([10, 70])).toBe(55);
    expect(busy([35, 40])).toBe(0);
  });

  it('names the layer of frames by their last node_modules package, or by where they are', () => {
    expect(layerOf(frames.program, ROOT)).toBe("Node's HTTP, streams, sockets, timers, microtasks");
    expect(layerOf({ functionName: 'exec', url: 'file:///x/node_modules/@ioredis/commands/built/index.js' }, ROOT)).toBe('ioredis');
    expect(layerOf({ functionName: 'parse', url: 'file:///x/node_modules/es-errors/index.js' }, ROOT)).toBe(
      'express, its router, body-parser, helmet, cors and their helpers',
    );
    expect(layerOf({ functionName: 'check', url: 'file:///x/packages/subgraph/src/auth-context.ts' }, ROOT)).toBe(
      'our code (endpoint, context, logging, the auth layer, the kit)',
    );
    expect(layerOf({ functionName: 'f', url: 'file:///x/node_modules/uuid/dist/index.js' }, ROOT)).toBe('other packages');
    expect(layerOf({ functionName: 'f', url: 'file:///elsewhere/script.js' }, ROOT)).toBe('other packages');
    expect(layerOf(frames.idle, ROOT)).toBeUndefined();
  });
});
