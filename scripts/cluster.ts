import { startLocalCluster, type LocalCluster, type RedisAddress } from '../src/cluster/launcher';

const USAGE = 'usage: npm run cluster -- [--masters N] [--verbose]';

interface ClusterScriptArgs {
  masters?: number;
  verbose: boolean;
}

class UsageError extends Error {
  constructor(problem: string) {
    super(`${problem}\n${USAGE}`);
    this.name = 'UsageError';
  }
}

function parseArgs(argv: readonly string[]): ClusterScriptArgs {
  const args: ClusterScriptArgs = { verbose: false };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--verbose') {
      args.verbose = true;
    } else if (arg === '--masters' || arg.startsWith('--masters=')) {
      const value = arg === '--masters' ? argv[++index] : arg.slice('--masters='.length);
      const masters = Number(value);
      if (!Number.isInteger(masters) || masters < 3) {
        throw new UsageError(`--masters needs an integer >= 3, got ${value ?? 'nothing'}`);
      }
      args.masters = masters;
    } else {
      throw new UsageError(`unknown argument: ${arg}`);
    }
  }
  return args;
}

const formatAddress = ({ host, port }: RedisAddress): string => `${host}:${port}`;

function describeCluster(cluster: LocalCluster): string {
  const masterPorts = new Set(cluster.masters.map((master) => master.port));
  const nodeLines = cluster.nodes.map(
    (node) => `  ${masterPorts.has(node.port) ? 'master ' : 'replica'} ${formatAddress(node)}`,
  );
  return [
    `Redis Cluster is up (${cluster.masters.length} masters, ${cluster.nodes.length} nodes, data in ${cluster.dir}):`,
    ...nodeLines,
    '',
    `REDIS_CLUSTER_NODES=${cluster.nodes.map(formatAddress).join(',')}`,
    '',
    'Press Ctrl-C to stop.',
  ].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let cluster: LocalCluster | undefined;
  let stopRequested = false;

  const shutDown = (signal: NodeJS.Signals): void => {
    if (stopRequested) {
      // A second Ctrl-C: the launcher's 'exit' hook still SIGKILLs the nodes and removes the dir.
      console.error(`${signal} again, exiting immediately`);
      process.exit(1);
    }
    stopRequested = true;
    console.log(`\n${signal} received, stopping the cluster...`);
    // While starting, the launcher's own signal hook tears the nodes down and startup fails below.
    if (!cluster) return;
    cluster.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('failed to stop the cluster cleanly:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutDown);
  process.on('SIGTERM', shutDown);

  console.log(`Starting a local Redis Cluster (${args.masters ?? 3} masters, 1 replica each)...`);
  const startedAt = Date.now();
  try {
    cluster = await startLocalCluster({
      masters: args.masters,
      replicasPerMaster: 1,
      log: args.verbose ? (line) => console.log(line) : undefined,
    });
  } catch (error) {
    if (stopRequested) process.exit(0);
    throw error;
  }
  if (stopRequested) {
    await cluster.stop();
    process.exit(0);
  }
  console.log(`Started in ${Date.now() - startedAt} ms.`);
  console.log(describeCluster(cluster));
  // The redis-server child processes keep the event loop alive until a signal arrives.
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
