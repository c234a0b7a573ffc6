import {
  highestFirstPort,
  startLocalCluster,
  type LocalCluster,
  type LocalRedisAccess,
  type RedisAddress,
} from '../tools/redis-cluster/launcher';

const DEFAULT_MASTERS = 3;
const REPLICAS_PER_MASTER = 1;

const USAGE = `usage: npm run cluster -- [--masters N] [--port FIRST] [--tls] [--mutual-tls] [--password PW] [--verbose] [--help]

  --masters N     masters to start, each with one replica (default 3, at least 3)
  --port FIRST    nodes listen on FIRST, FIRST+1, ... and their cluster bus on port+10000;
                  all of them must be free (default: free ports picked at random)
  --tls           TLS only, on the client ports, the cluster bus and replication: a CA and a
                  server certificate (IP:127.0.0.1, DNS:localhost) are made with openssl
  --mutual-tls    as --tls, and the nodes require a client certificate, which is made too
  --password PW   every node requires this password (requirepass; masterauth for replicas)
  --verbose       print every step of the startup
  --help          print this help`;

interface ClusterScriptArgs {
  masters?: number;
  firstPort?: number;
  tls: false | 'server' | 'mutual';
  password?: string;
  verbose: boolean;
  help: boolean;
}

class UsageError extends Error {
  constructor(problem: string) {
    super(`${problem}\n${USAGE}`);
    this.name = 'UsageError';
  }
}

/** Accepts `--name value` and `--name=value`; returns the value and the index of the last argument used. */
function optionValue(argv: readonly string[], index: number, name: string): [string | undefined, number] {
  const arg = argv[index];
  return arg === name ? [argv[index + 1], index + 1] : [arg.slice(name.length + 1), index];
}

function parseArgs(argv: readonly string[]): ClusterScriptArgs {
  const args: ClusterScriptArgs = { tls: false, verbose: false, help: false };
  let portValue: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index];
    if (arg === '--verbose') {
      args.verbose = true;
    } else if (arg === '--help' || arg === '-h') {
      args.help = true;
    } else if (arg === '--tls') {
      if (args.tls !== 'mutual') args.tls = 'server';
    } else if (arg === '--mutual-tls') {
      args.tls = 'mutual';
    } else if (arg === '--password' || arg.startsWith('--password=')) {
      const [value, last] = optionValue(argv, index, '--password');
      index = last;
      if (!value || value.startsWith('--')) throw new UsageError('--password needs a value');
      args.password = value;
    } else if (arg === '--masters' || arg.startsWith('--masters=')) {
      const [value, last] = optionValue(argv, index, '--masters');
      index = last;
      const masters = Number(value);
      if (!Number.isInteger(masters) || masters < 3) {
        throw new UsageError(`--masters needs an integer >= 3, got ${value ?? 'nothing'}`);
      }
      args.masters = masters;
    } else if (arg === '--port' || arg.startsWith('--port=')) {
      const [value, last] = optionValue(argv, index, '--port');
      index = last;
      portValue = value ?? '';
    } else {
      throw new UsageError(`unknown argument: ${arg}`);
    }
  }
  if (portValue !== undefined) {
    // Checked once --masters is known: the last node's cluster bus port must stay below 65536.
    args.firstPort = parseFirstPort(portValue, (args.masters ?? DEFAULT_MASTERS) * (1 + REPLICAS_PER_MASTER));
  }
  return args;
}

function parseFirstPort(value: string, nodeCount: number): number {
  const highest = highestFirstPort(nodeCount);
  // Number('') is 0 and Number('0x1F90') is 8080; only plain digits are a port here.
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(port >= 1 && port <= highest)) {
    throw new UsageError(
      `--port needs a port from 1 to ${highest} (${nodeCount} nodes, each with its cluster bus port at port+10000), got ${value || 'nothing'}`,
    );
  }
  return port;
}

const formatAddress = ({ host, port }: RedisAddress): string => `${host}:${port}`;

/** The service's settings for this access, one `NAME=value` line each (values quoted for a shell when needed). */
function accessEnv({ tls, password }: LocalRedisAccess): string[] {
  const lines: string[] = [];
  if (tls) {
    lines.push('REDIS_TLS=true', `REDIS_TLS_CA_FILE=${shellWord(tls.caFile)}`);
    if (tls.certFile && tls.keyFile) {
      lines.push(`REDIS_TLS_CERT_FILE=${shellWord(tls.certFile)}`, `REDIS_TLS_KEY_FILE=${shellWord(tls.keyFile)}`);
    }
  }
  if (password !== undefined) lines.push(`REDIS_PASSWORD=${shellWord(password)}`);
  return lines;
}

function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

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
    ...accessEnv(cluster.access),
    '',
    'Press Ctrl-C to stop.',
  ].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
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

  const security = args.tls === 'mutual' ? ', mutual TLS' : args.tls === 'server' ? ', TLS' : '';
  const password = args.password === undefined ? '' : ', password';
  console.log(`Starting a local Redis Cluster (${args.masters ?? DEFAULT_MASTERS} masters, 1 replica each${security}${password})...`);
  const startedAt = Date.now();
  try {
    cluster = await startLocalCluster({
      masters: args.masters,
      replicasPerMaster: REPLICAS_PER_MASTER,
      firstPort: args.firstPort,
      tls: args.tls === false ? false : { clientCertificates: args.tls === 'mutual' },
      password: args.password,
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
