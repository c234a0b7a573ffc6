import { fileURLToPath } from 'node:url';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that the split reads; times in µs. */
export interface CpuProfile {
  readonly nodes: readonly { readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string } }[];
  readonly startTime: number;
  readonly endTime: number;
  /** The node on top of the stack at each sample. */
  readonly samples: readonly number[];
  /** Each sample's time after the one before (the first's after startTime). */
  readonly timeDeltas: readonly number[];
}

/** The layers of the service's request path, in the order docs/performance.md lists them. */
export const LAYERS = [
  "Node's HTTP, streams, sockets, timers, microtasks",
  'express, its router, body-parser, helmet, cors and their helpers',
  'garbage collection',
  'Apollo Server',
  'ioredis',
  'our code (endpoint, context, logging, the auth layer, the kit)',
  'pino (the request log)',
  'graphql-js and type-graphql',
  'prom-client (metrics)',
  'other packages',
] as const;

export type Layer = (typeof LAYERS)[number];

const [NODE, EXPRESS, GC, APOLLO, IOREDIS, OURS, PINO, GRAPHQL, PROM_CLIENT, OTHER] = LAYERS;

const PACKAGE_LAYERS: readonly (readonly [Layer, readonly (string | RegExp)[]])[] = [
  [
    EXPRESS,
    [
      'express', 'router', 'body-parser', 'raw-body', 'type-is', 'negotiator', 'content-type', 'parseurl', 'iconv-lite',
      'safer-buffer', 'on-finished', 'ee-first', 'finalhandler', 'unpipe', 'qs', 'vary', 'cors', 'object-assign',
      'path-to-regexp', 'helmet', 'accepts', 'mime-types', 'mime-db', 'media-typer', 'depd', 'http-errors', 'statuses',
      'inherits', 'setprototypeof', 'toidentifier', 'encodeurl', 'escape-html', 'fresh', 'send', 'serve-static', 'etag',
      'proxy-addr', 'forwarded', 'ipaddr.js', 'range-parser', 'content-disposition', 'bytes', 'cookie', 'cookie-signature',
      'merge-descriptors', 'once', 'wrappy', 'utils-merge', /^@as-integrations\//,
      // What qs and side-channel read their intrinsics through.
      /^es-/, 'get-intrinsic', 'get-proto', 'dunder-proto', 'gopd', 'hasown', 'has-symbols', 'has-tostringtag',
      'function-bind', 'call-bind', 'call-bind-apply-helpers', 'call-bound', 'math-intrinsics', 'object-inspect', /^side-channel/,
    ],
  ],
  [IOREDIS, ['ioredis', 'cluster-key-slot', '@ioredis/commands', 'denque', 'redis-parser', 'redis-errors', 'standard-as-callback', 'debug', 'ms']],
  [APOLLO, [/^@apollo\//, 'whatwg-mimetype', /^@graphql-tools\//, 'lru-cache']],
  [GRAPHQL, ['graphql', 'type-graphql', 'graphql-scalars', 'class-validator']],
  [
    PINO,
    [
      'pino', /^@pinojs\//, 'pino-std-serializers', 'pino-abstract-transport', 'sonic-boom', 'fast-redact', 'quick-format-unescaped',
      'atomic-sleep', 'on-exit-leak-free', 'thread-stream', 'safe-stable-stringify', 'real-require', 'process-warning',
    ],
  ],
  [PROM_CLIENT, ['prom-client', 'tdigest', 'bintrees']],
];

const NODE_MODULES = '/node_modules/';

/** The package a script belongs to: the one after its path's last node_modules (a scope takes two segments). */
function packageOf(path: string): string | undefined {
  const at = path.lastIndexOf(NODE_MODULES);
  if (at < 0) return undefined;
  const segments = path.slice(at + NODE_MODULES.length).split('/');
  return segments[0].startsWith('@') ? `${segments[0]}/${segments[1]}` : segments[0];
}

function layerOfPackage(name: string): Layer {
  const owner = PACKAGE_LAYERS.find(([, names]) => names.some((pattern) => (typeof pattern === 'string' ? pattern === name : pattern.test(name))));
  return owner?.[0] ?? OTHER;
}

/** The layer a frame's self time counts to; undefined for `(idle)`, which is no one's busy time. */
export function layerOf(callFrame: { readonly functionName: string; readonly url: string }, repositoryRoot: string): Layer | undefined {
  const { functionName, url } = callFrame;
  if (functionName === '(idle)') return undefined;
  if (functionName === '(garbage collector)') return GC;
  // Native frames ((program), writev, runMicrotasks) have no url.
  if (url === '' || url.startsWith('node:')) return NODE;
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const name = packageOf(path);
  if (name !== undefined) return layerOfPackage(name);
  return path.startsWith(`${repositoryRoot}/`) ? OURS : OTHER;
}

/**
 * Self time by layer, in µs, of the samples taken in [start, end) on the profile's clock; a
 * sample lasts until the next one (the last until endTime), as Chrome DevTools counts it.
 */
export function selfTimeByLayer(profile: CpuProfile, [start, end]: readonly [number, number], repositoryRoot: string): Record<Layer, number> {
  const layerOfNode = new Map(profile.nodes.map((node) => [node.id, layerOf(node.callFrame, repositoryRoot)]));
  const selfTime = Object.fromEntries(LAYERS.map((layer) => [layer, 0])) as Record<Layer, number>;
  let sampledAt = profile.startTime;
  profile.samples.forEach((nodeId, i) => {
    sampledAt += profile.timeDeltas[i];
    if (sampledAt < start || sampledAt >= end) return;
    const layer = layerOfNode.get(nodeId);
    const nextAt = i + 1 < profile.samples.length ? sampledAt + profile.timeDeltas[i + 1] : profile.endTime;
    if (layer !== undefined) selfTime[layer] += nextAt - sampledAt;
  });
  return selfTime;
}
