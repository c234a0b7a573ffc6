import { spawn } from 'node:child_process';
import { constants as fsConstants, rmSync } from 'node:fs';
import { access, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

export interface RedisAddress {
  host: string;
  port: number;
}

export interface LocalCluster {
  /** Every node, in the order handed to `redis-cli --cluster create`. */
  nodes: RedisAddress[];
  /** The nodes that were masters once the cluster became ready. */
  masters: RedisAddress[];
  /** Temp dir holding one sub-directory per node; removed by stop(). */
  dir: string;
  /** Stops every node and removes `dir`. Safe to call more than once. */
  stop(): Promise<void>;
  /** Gracefully stops one node; its dir and nodes.conf are kept for startNode. */
  stopNode(port: number): Promise<void>;
  /** Restarts a stopped node with its previous dir and config; resolves once it answers PING. */
  startNode(port: number): Promise<void>;
}

export interface LocalClusterOptions {
  masters?: number;
  replicasPerMaster?: number;
  host?: string;
  redisServerPath?: string;
  log?: (line: string) => void;
}

export interface StandaloneRedis extends RedisAddress {
  /** Working dir of the server; removed by stop(). */
  dir: string;
  /** Stops the server and removes `dir`. Safe to call more than once. */
  stop(): Promise<void>;
}

export interface StandaloneRedisOptions {
  host?: string;
  redisServerPath?: string;
  log?: (line: string) => void;
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

export class LocalRedisError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class RedisServerMissingError extends LocalRedisError {
  constructor(
    readonly searchedPaths: readonly string[],
    options?: ErrorOptions,
  ) {
    super('redis-server was not found; install it with: apt-get install redis-server', options);
  }
}

export class RedisCliMissingError extends LocalRedisError {
  constructor(
    readonly searchedPaths: readonly string[],
    options?: ErrorOptions,
  ) {
    super('redis-cli was not found; install it with: apt-get install redis-tools', options);
  }
}

export class InvalidClusterOptionsError extends LocalRedisError {}

export class PortAllocationError extends LocalRedisError {}

export class RedisNodeStartError extends LocalRedisError {
  constructor(
    readonly address: RedisAddress,
    reason: string,
    readonly outputTail: string,
  ) {
    super(
      `redis-server on ${formatAddress(address)} failed to start: ${reason}` +
        (outputTail ? `\n--- last output ---\n${outputTail}` : ''),
    );
  }
}

/** The server lost the race for its port to another process; retrying on a fresh port is safe. */
export class RedisPortTakenError extends RedisNodeStartError {}

export class ClusterCreateError extends LocalRedisError {
  constructor(
    reason: string,
    readonly output: string,
  ) {
    super(`redis-cli --cluster create ${reason}` + (output ? `\n--- redis-cli output ---\n${output}` : ''));
  }
}

export class ClusterNotReadyError extends LocalRedisError {
  constructor(
    timeoutMs: number,
    readonly lastState: readonly NodeReadiness[],
  ) {
    super(
      `cluster did not become ready within ${timeoutMs} ms; last state:\n` +
        lastState.map((node) => `  ${describeReadiness(node)}`).join('\n'),
    );
  }
}

export class UnknownNodeError extends LocalRedisError {
  constructor(readonly port: number) {
    super(`no node of this local cluster listens on port ${port}`);
  }
}

export class LauncherStoppedError extends LocalRedisError {
  constructor() {
    super('the local cluster was stopped; start a new one instead');
  }
}

// ---------------------------------------------------------------------------
// Tunables
// ---------------------------------------------------------------------------

const DEFAULT_HOST = '127.0.0.1';
const CLUSTER_BUS_PORT_OFFSET = 10_000;
const TOTAL_SLOTS = 16_384;
const NODE_START_TIMEOUT_MS = 10_000;
const CLUSTER_CREATE_TIMEOUT_MS = 30_000;
const CLUSTER_READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
const COMMAND_TIMEOUT_MS = 1_000;
const PING_POLL_INTERVAL_MS = 20;
const READY_POLL_INTERVAL_MS = 50;
const PORT_RESERVATION_ATTEMPTS = 200;
const PORT_TAKEN_RETRIES = 3;
const OUTPUT_TAIL_LINES = 40;

const noopLog = (): void => {};

// ---------------------------------------------------------------------------
// Small utilities
// ---------------------------------------------------------------------------

function formatAddress({ host, port }: RedisAddress): string {
  return `${host}:${port}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves to `undefined` when `ms` elapses first; the timer never keeps the process alive afterwards. */
async function raceWithTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}

function createOutputTail(maxLines: number) {
  const lines: string[] = [];
  let partialLine = '';
  return {
    append(chunk: string): string[] {
      const pieces = (partialLine + chunk).split('\n');
      partialLine = pieces.pop() ?? '';
      const completeLines = pieces.filter((line) => line.trim() !== '');
      lines.push(...completeLines);
      lines.splice(0, Math.max(0, lines.length - maxLines));
      return completeLines;
    },
    text(): string {
      return [...lines, partialLine].filter((line) => line.trim() !== '').join('\n');
    },
  };
}

// ---------------------------------------------------------------------------
// Locating the redis binaries
// ---------------------------------------------------------------------------

// Debian installs redis-server in /usr/bin, but sbin dirs are often missing from PATH.
const FALLBACK_BINARY_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/bin', '/usr/local/sbin'];

async function isExecutableFile(filePath: string): Promise<boolean> {
  try {
    await access(filePath, fsConstants.X_OK);
    // Directories pass the X_OK check too.
    return (await stat(filePath)).isFile();
  } catch {
    return false;
  }
}

function candidatePaths(binaryName: string, preferredDirs: readonly string[]): string[] {
  const pathDirs = (process.env.PATH ?? '').split(path.delimiter).filter((dir) => dir !== '');
  const dirs = [...new Set([...preferredDirs, ...pathDirs, ...FALLBACK_BINARY_DIRS])];
  return dirs.map((dir) => path.join(dir, binaryName));
}

async function findFirstExecutable(candidates: readonly string[]): Promise<string | undefined> {
  for (const candidate of candidates) {
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

async function resolveRedisServer(explicitPath: string | undefined): Promise<string> {
  const candidates = explicitPath ? [explicitPath] : candidatePaths('redis-server', []);
  const found = await findFirstExecutable(candidates);
  if (!found) throw new RedisServerMissingError(candidates);
  return found;
}

async function resolveRedisCli(redisServerPath: string): Promise<string> {
  // Prefer the redis-cli shipped next to the chosen server so a custom build uses its own tools.
  const candidates = candidatePaths('redis-cli', [path.dirname(redisServerPath)]);
  const found = await findFirstExecutable(candidates);
  if (!found) throw new RedisCliMissingError(candidates);
  return found;
}

// ---------------------------------------------------------------------------
// Free port reservation
// ---------------------------------------------------------------------------

function listen(host: string, port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen({ host, port, exclusive: true }, () => resolve(server));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/**
 * Finds `count` ports on `host` that are free together with their cluster bus
 * port (port + 10000), none of them in `excluded`. Every probe socket stays
 * open until all ports are found, so the kernel cannot hand out the same port
 * twice within one reservation.
 */
async function reservePorts(host: string, count: number, excluded: ReadonlySet<number> = new Set()): Promise<number[]> {
  const heldServers: Server[] = [];
  const ports: number[] = [];
  try {
    for (let attempt = 0; ports.length < count; attempt++) {
      if (attempt >= PORT_RESERVATION_ATTEMPTS) {
        throw new PortAllocationError(
          `could not find ${count} free port pairs (port and port+${CLUSTER_BUS_PORT_OFFSET}) on ${host} after ${attempt} attempts`,
        );
      }
      const server = await listen(host, 0);
      if (!server) continue;
      heldServers.push(server);
      const address = server.address();
      if (address === null || typeof address === 'string') continue;
      const port = address.port;
      const busPort = port + CLUSTER_BUS_PORT_OFFSET;
      if (busPort > 65_535 || excluded.has(port) || excluded.has(busPort)) continue;
      const busServer = await listen(host, busPort);
      if (!busServer) continue;
      heldServers.push(busServer);
      ports.push(port);
    }
    return ports;
  } finally {
    await Promise.all(heldServers.map(closeServer));
  }
}

function portsWithBusPorts(ports: Iterable<number>): Set<number> {
  const all = new Set<number>();
  for (const port of ports) {
    all.add(port);
    all.add(port + CLUSTER_BUS_PORT_OFFSET);
  }
  return all;
}

// ---------------------------------------------------------------------------
// One redis-server process
// ---------------------------------------------------------------------------

interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  spawnError?: Error;
}

interface RedisServerProcess {
  readonly address: RedisAddress;
  readonly exited: Promise<ProcessExit>;
  isRunning(): boolean;
  outputTail(): string;
  /** SIGTERM, then SIGKILL once `graceMs` has passed; resolves when the process is gone. */
  terminate(graceMs: number): Promise<void>;
  /** Synchronous SIGKILL for contexts that cannot wait, such as process 'exit'. */
  killNow(): void;
}

function isMissingBinary(exit: ProcessExit): boolean {
  return isErrnoException(exit.spawnError) && exit.spawnError.code === 'ENOENT';
}

function describeExit(exit: ProcessExit): string {
  if (exit.spawnError) return `could not be spawned (${exit.spawnError.message})`;
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

function spawnRedisServer(binaryPath: string, address: RedisAddress, args: readonly string[]): RedisServerProcess {
  const child = spawn(binaryPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const tail = createOutputTail(OUTPUT_TAIL_LINES);
  // Always drain the pipes: a full pipe buffer would block redis-server on its next log write.
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => tail.append(chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => tail.append(chunk));

  let running = true;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
    child.once('error', (error) => {
      // 'error' also fires for failed kill() calls on a live process; only a failed spawn ends it.
      if (child.pid === undefined) {
        running = false;
        resolve({ code: null, signal: null, spawnError: error });
      }
    });
  });

  return {
    address,
    exited,
    isRunning: () => running,
    outputTail: () => tail.text(),
    async terminate(graceMs) {
      if (!running) return;
      child.kill('SIGTERM');
      const exitedInTime = await raceWithTimeout(exited, graceMs);
      if (exitedInTime === undefined) {
        child.kill('SIGKILL');
        await exited;
      }
    },
    killNow() {
      if (running) child.kill('SIGKILL');
    },
  };
}

// ---------------------------------------------------------------------------
// Talking to a node
// ---------------------------------------------------------------------------

/** Opens a short-lived connection that never retries, so a dead node fails fast instead of queueing. */
async function withConnection<T>(address: RedisAddress, use: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis({
    host: address.host,
    port: address.port,
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    connectTimeout: COMMAND_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    protocol: 2,
    disableClientInfo: true,
  });
  // ioredis rejects a refused connect() with a bare "Connection is closed."; keep the socket error that explains it.
  let socketError: Error | undefined;
  client.on('error', (error: Error) => {
    socketError = error;
  });
  try {
    try {
      await client.connect();
    } catch (error) {
      throw socketError ?? error;
    }
    return await use(client);
  } finally {
    // After a refused connection the client is already 'end'; disconnecting it again would arm
    // ioredis' 2 s socket-destroy timer on a closed socket and keep the process alive for nothing.
    if (client.status !== 'end') client.disconnect();
  }
}

async function waitUntilAnswersPing(server: RedisServerProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no attempt made';
  while (Date.now() < deadline) {
    if (!server.isRunning()) {
      const exit = await server.exited;
      // Give the pipes a moment to deliver the final log lines that explain the exit.
      await sleep(50);
      const output = server.outputTail();
      const ErrorType = /address already in use/i.test(output) ? RedisPortTakenError : RedisNodeStartError;
      throw new ErrorType(server.address, `process ${describeExit(exit)} before answering PING`, output);
    }
    try {
      const reply = await withConnection(server.address, (client) => client.ping());
      if (reply === 'PONG') return;
      lastError = `unexpected PING reply ${JSON.stringify(reply)}`;
    } catch (error) {
      lastError = errorMessage(error);
    }
    await sleep(PING_POLL_INTERVAL_MS);
  }
  throw new RedisNodeStartError(
    server.address,
    `no PONG within ${timeoutMs} ms (last error: ${lastError})`,
    server.outputTail(),
  );
}

// ---------------------------------------------------------------------------
// A group of supervised nodes sharing one temp dir
// ---------------------------------------------------------------------------

interface NodeLayout {
  /** Working dir of the node listening on `port`. */
  dirFor(port: number): string;
  /** redis-server arguments for the node listening on `port`. */
  argsFor(port: number): string[];
}

interface NodeGroupDependencies {
  redisServerPath: string;
  host: string;
  layout: NodeLayout;
  log: (line: string) => void;
  /** Aborted when the launch is stopped; no node may be spawned after that. */
  stopSignal: AbortSignal;
}

interface NodeGroup {
  /** Spawns a node in a fresh dir and waits for PING; moves to another port if this one was taken meanwhile. */
  launchOnReservedPort(port: number, portsInUse: ReadonlySet<number>): Promise<RedisAddress>;
  start(port: number): Promise<void>;
  stop(port: number): Promise<void>;
  stopAll(): Promise<void>;
  killAllNow(): void;
}

function createNodeGroup({ redisServerPath, host, layout, log, stopSignal }: NodeGroupDependencies): NodeGroup {
  const serversByPort = new Map<number, RedisServerProcess>();

  async function spawnAndAwaitPing(port: number): Promise<void> {
    // stopAll() only sees processes that exist when it runs; a later spawn would be orphaned.
    if (stopSignal.aborted) throw new LauncherStoppedError();
    const address = { host, port };
    const server = spawnRedisServer(redisServerPath, address, layout.argsFor(port));
    serversByPort.set(port, server);
    try {
      await waitUntilAnswersPing(server, NODE_START_TIMEOUT_MS);
    } catch (error) {
      const exit = server.isRunning() ? undefined : await server.exited;
      if (exit && isMissingBinary(exit)) throw new RedisServerMissingError([redisServerPath], { cause: exit.spawnError });
      throw error;
    }
    log(`redis-server ${formatAddress(address)} is up`);
  }

  return {
    async launchOnReservedPort(initialPort, portsInUse) {
      let port = initialPort;
      for (let attempt = 1; ; attempt++) {
        await mkdir(layout.dirFor(port), { recursive: true });
        try {
          await spawnAndAwaitPing(port);
          return { host, port };
        } catch (error) {
          if (!(error instanceof RedisPortTakenError) || attempt >= PORT_TAKEN_RETRIES) throw error;
          serversByPort.delete(port);
          await rm(layout.dirFor(port), { recursive: true, force: true });
          const excluded = portsWithBusPorts([...portsInUse, ...serversByPort.keys()]);
          [port] = await reservePorts(host, 1, excluded);
          log(`port ${initialPort} was taken before redis-server could bind it; retrying on ${port}`);
        }
      }
    },

    async start(port) {
      const existing = serversByPort.get(port);
      if (!existing) throw new UnknownNodeError(port);
      if (existing.isRunning()) return;
      await spawnAndAwaitPing(port);
    },

    async stop(port) {
      const server = serversByPort.get(port);
      if (!server) throw new UnknownNodeError(port);
      await server.terminate(STOP_GRACE_MS);
      log(`redis-server ${formatAddress(server.address)} stopped`);
    },

    async stopAll() {
      await Promise.all([...serversByPort.values()].map((server) => server.terminate(STOP_GRACE_MS)));
    },

    killAllNow() {
      for (const server of serversByPort.values()) server.killNow();
    },
  };
}

// ---------------------------------------------------------------------------
// Making sure redis-server never outlives this process
// ---------------------------------------------------------------------------

interface GuardedResource {
  /** Best-effort synchronous cleanup; the only kind that can run inside process 'exit'. */
  cleanUpNow(): void;
  stop(): Promise<void>;
}

type ProcessLike = Pick<NodeJS.Process, 'on' | 'off' | 'listenerCount' | 'kill' | 'pid'>;

const TERMINATING_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * One set of process handlers shared by every running launcher. Per-launcher
 * handlers would each see the others as "someone else handles this signal"
 * and nobody would ever re-raise it.
 */
function createOrphanGuard(proc: ProcessLike) {
  const resources = new Set<GuardedResource>();

  const onExit = (): void => {
    for (const resource of resources) resource.cleanUpNow();
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    void Promise.allSettled([...resources].map((resource) => resource.stop())).then(() => {
      // Listening to a signal cancels Node's default "terminate"; restore it unless
      // someone else (e.g. the cluster script) has taken responsibility for exiting.
      if (proc.listenerCount(signal) === 0) proc.kill(proc.pid, signal);
    });
  };

  function installHandlers(): void {
    proc.on('exit', onExit);
    for (const signal of TERMINATING_SIGNALS) proc.on(signal, onSignal);
  }

  function removeHandlers(): void {
    proc.off('exit', onExit);
    for (const signal of TERMINATING_SIGNALS) proc.off(signal, onSignal);
  }

  return {
    protect(resource: GuardedResource): () => void {
      if (resources.size === 0) installHandlers();
      resources.add(resource);
      return () => {
        if (resources.delete(resource) && resources.size === 0) removeHandlers();
      };
    },
  };
}

const orphanGuard = createOrphanGuard(process);

function removeDirNow(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 10 });
  } catch {
    // Best effort only: this runs while the process is exiting.
  }
}

interface LaunchDependencies {
  redisServerPath: string;
  host: string;
  layout: NodeLayout;
  log: (line: string) => void;
  /** Temp dir owned by this launch; removed on stop. */
  dir: string;
}

interface Launch {
  group: NodeGroup;
  /** Aborted as soon as stop() (or a process exit/signal) begins; cancels redis-cli and readiness polling. */
  stopSignal: AbortSignal;
  stop(): Promise<void>;
}

/** A node group plus its temp dir behind one idempotent stop(), registered with the orphan guard. */
function createLaunch({ dir, ...groupDependencies }: LaunchDependencies): Launch {
  const stopController = new AbortController();
  const group = createNodeGroup({ ...groupDependencies, stopSignal: stopController.signal });
  let stopping: Promise<void> | undefined;

  const resource: GuardedResource = {
    cleanUpNow() {
      stopController.abort();
      group.killAllNow();
      removeDirNow(dir);
    },
    stop() {
      stopping ??= (async () => {
        stopController.abort();
        try {
          await group.stopAll();
          await rm(dir, { recursive: true, force: true, maxRetries: 3 });
        } finally {
          releaseGuard();
        }
      })();
      return stopping;
    },
  };
  const releaseGuard = orphanGuard.protect(resource);
  return { group, stopSignal: stopController.signal, stop: () => resource.stop() };
}

/** Runs `start`; if it fails, stops whatever was started before rethrowing the original error. */
async function startOrCleanUp<T>(launch: Launch, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    await launch.stop().catch(noopLog);
    throw error;
  }
}

// ---------------------------------------------------------------------------
// redis-server command lines
// ---------------------------------------------------------------------------

function commonServerArgs(host: string, port: number, dir: string): string[] {
  return [
    '--port', String(port),
    '--bind', host,
    '--dir', dir,
    '--save', '',
    '--appendonly', 'no',
    '--daemonize', 'no',
    '--protected-mode', 'no',
  ];
}

function clusterServerArgs(host: string, port: number, dir: string): string[] {
  return [
    ...commonServerArgs(host, port, dir),
    '--cluster-enabled', 'yes',
    // Relative to --dir, so a restarted node finds its own config again.
    '--cluster-config-file', 'nodes.conf',
    '--cluster-node-timeout', '2000',
    // The default 5 s delay before a diskless full sync would leave replicas
    // unsynced (and so unable to fail over) for the first seconds of every test run.
    '--repl-diskless-sync-delay', '0',
  ];
}

// ---------------------------------------------------------------------------
// Cluster creation and readiness
// ---------------------------------------------------------------------------

async function createClusterWithRedisCli(
  redisCliPath: string,
  nodes: readonly RedisAddress[],
  replicasPerMaster: number,
  log: (line: string) => void,
  stopSignal: AbortSignal,
): Promise<void> {
  const args = [
    '--cluster', 'create',
    ...nodes.map(formatAddress),
    '--cluster-replicas', String(replicasPerMaster),
    '--cluster-yes',
  ];
  // redis-cli waits forever for nodes that have gone away, so stopping the launch must kill it too.
  const child = spawn(redisCliPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    signal: stopSignal,
    killSignal: 'SIGKILL',
    // redis-cli colours its output whenever TERM looks like xterm, even into a pipe.
    env: { ...process.env, TERM: 'dumb' },
  });
  const tail = createOutputTail(200);
  const forward = (chunk: string): void => {
    for (const line of tail.append(chunk)) log(`redis-cli: ${line}`);
  };
  child.stdout.setEncoding('utf8').on('data', forward);
  child.stderr.setEncoding('utf8').on('data', forward);

  const finished = new Promise<ProcessExit>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      if (child.pid === undefined) resolve({ code: null, signal: null, spawnError: error });
    });
  });
  const exit = await raceWithTimeout(finished, CLUSTER_CREATE_TIMEOUT_MS);
  if (exit === undefined) {
    child.kill('SIGKILL');
    throw new ClusterCreateError(`did not finish within ${CLUSTER_CREATE_TIMEOUT_MS} ms`, tail.text());
  }
  if (stopSignal.aborted) throw new LauncherStoppedError();
  if (isMissingBinary(exit)) {
    throw new RedisCliMissingError([redisCliPath], { cause: exit.spawnError });
  }
  if (exit.spawnError || exit.code !== 0) {
    throw new ClusterCreateError(describeExit(exit), tail.text());
  }
}

/** How one node sees the whole cluster, summarised from its CLUSTER NODES reply. */
export interface TopologyView {
  masters: number;
  replicas: number;
  /** Entries flagged fail, fail?, handshake or noaddr, or whose link is disconnected. */
  unhealthy: number;
  /** Replica count per master, sorted, e.g. [1, 1, 1]. */
  replicasPerMaster: number[];
  /** Role and master of every node; equal fingerprints mean two nodes agree on the topology. */
  fingerprint: string;
}

export interface NodeReadiness {
  address: RedisAddress;
  clusterState?: string;
  slotsAssigned?: number;
  knownNodes?: number;
  clusterSize?: number;
  role?: string;
  connectedReplicas?: number;
  masterLinkStatus?: string;
  view?: TopologyView;
  error?: string;
}

interface ClusterShape {
  totalNodes: number;
  masters: number;
  replicasPerMaster: number;
}

function parseInfoFields(info: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of info.split(/\r?\n/)) {
    const separator = line.indexOf(':');
    if (separator > 0) fields.set(line.slice(0, separator), line.slice(separator + 1).trim());
  }
  return fields;
}

function optionalNumber(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Number(value);
}

const UNHEALTHY_NODE_FLAGS = new Set(['fail', 'fail?', 'handshake', 'noaddr']);

/** Lines look like `<id> <ip:port@bus> <flags> <master-id|-> <ping> <pong> <epoch> <link-state> [slots...]`. */
function summariseClusterNodes(reply: string): TopologyView {
  const entries = reply
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [id = '', , flagList = '', masterId = '', , , , linkState = ''] = line.split(' ');
      const flags = flagList.split(',');
      const role = flags.includes('master') ? 'master' : flags.includes('slave') ? 'replica' : 'unknown';
      const healthy = linkState === 'connected' && !flags.some((flag) => UNHEALTHY_NODE_FLAGS.has(flag));
      return { id, role, masterId, healthy };
    });
  const masterIds = entries.filter((entry) => entry.role === 'master').map((entry) => entry.id);
  const replicas = entries.filter((entry) => entry.role === 'replica');
  return {
    masters: masterIds.length,
    replicas: replicas.length,
    unhealthy: entries.filter((entry) => !entry.healthy).length,
    replicasPerMaster: masterIds.map((id) => replicas.filter((replica) => replica.masterId === id).length).sort(),
    fingerprint: entries
      .map((entry) => `${entry.id}:${entry.role}:${entry.masterId}`)
      .sort()
      .join(','),
  };
}

async function readNodeReadiness(address: RedisAddress): Promise<NodeReadiness> {
  try {
    const [clusterInfo, clusterNodes, replicationInfo] = await withConnection(address, (client) =>
      Promise.all([client.cluster('INFO'), client.cluster('NODES'), client.info('replication')]),
    );
    if (typeof clusterNodes !== 'string') throw new Error('CLUSTER NODES did not return text');
    const cluster = parseInfoFields(clusterInfo);
    const replication = parseInfoFields(replicationInfo);
    return {
      address,
      clusterState: cluster.get('cluster_state'),
      slotsAssigned: optionalNumber(cluster.get('cluster_slots_assigned')),
      knownNodes: optionalNumber(cluster.get('cluster_known_nodes')),
      clusterSize: optionalNumber(cluster.get('cluster_size')),
      role: replication.get('role'),
      connectedReplicas: optionalNumber(replication.get('connected_slaves')),
      masterLinkStatus: replication.get('master_link_status'),
      view: summariseClusterNodes(clusterNodes),
    };
  } catch (error) {
    return { address, error: errorMessage(error) };
  }
}

function isNodeReady(node: NodeReadiness, shape: ClusterShape): boolean {
  const clusterStateOk =
    node.clusterState === 'ok' &&
    node.slotsAssigned === TOTAL_SLOTS &&
    node.knownNodes === shape.totalNodes &&
    node.clusterSize === shape.masters;
  // Each node learns the other nodes' roles by gossip, well after cluster_state turns ok.
  const viewComplete =
    node.view !== undefined &&
    node.view.unhealthy === 0 &&
    node.view.masters === shape.masters &&
    node.view.replicasPerMaster.every((count) => count === shape.replicasPerMaster);
  if (!clusterStateOk || !viewComplete) return false;
  if (node.role === 'master') return node.connectedReplicas === shape.replicasPerMaster;
  // A replica whose initial sync has not finished is not eligible for failover yet.
  return node.role === 'slave' && node.masterLinkStatus === 'up';
}

function isClusterReady(nodes: readonly NodeReadiness[], shape: ClusterShape): boolean {
  const masterCount = nodes.filter((node) => node.role === 'master').length;
  const fingerprints = new Set(nodes.map((node) => node.view?.fingerprint));
  return masterCount === shape.masters && fingerprints.size === 1 && nodes.every((node) => isNodeReady(node, shape));
}

function describeReadiness(node: NodeReadiness): string {
  const where = formatAddress(node.address);
  if (node.error !== undefined) return `${where} unreachable (${node.error})`;
  const fields = [
    `cluster_state=${node.clusterState}`,
    `slots_assigned=${node.slotsAssigned}`,
    `known_nodes=${node.knownNodes}`,
    `cluster_size=${node.clusterSize}`,
    `role=${node.role}`,
    node.role === 'master' ? `replicas=${node.connectedReplicas}` : `master_link=${node.masterLinkStatus}`,
    `sees=${node.view?.masters}m/${node.view?.replicas}r/${node.view?.unhealthy}unhealthy`,
  ];
  return `${where} ${fields.join(' ')}`;
}

async function waitForClusterReady(
  nodes: readonly RedisAddress[],
  shape: ClusterShape,
  timeoutMs: number,
  stopSignal: AbortSignal,
): Promise<NodeReadiness[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const states = await Promise.all(nodes.map(readNodeReadiness));
    if (isClusterReady(states, shape)) return states;
    // A signal can stop the nodes mid-startup; do not poll dead nodes until the deadline.
    if (stopSignal.aborted) throw new LauncherStoppedError();
    if (Date.now() >= deadline) throw new ClusterNotReadyError(timeoutMs, states);
    await sleep(READY_POLL_INTERVAL_MS);
  }
}

// ---------------------------------------------------------------------------
// Public entry points
// ---------------------------------------------------------------------------

function validateClusterShape(masters: number, replicasPerMaster: number): ClusterShape {
  if (!Number.isInteger(masters) || masters < 3) {
    throw new InvalidClusterOptionsError(`masters must be an integer >= 3 (Redis Cluster needs 3), got ${masters}`);
  }
  if (!Number.isInteger(replicasPerMaster) || replicasPerMaster < 0) {
    throw new InvalidClusterOptionsError(`replicasPerMaster must be an integer >= 0, got ${replicasPerMaster}`);
  }
  return { masters, replicasPerMaster, totalNodes: masters * (1 + replicasPerMaster) };
}

export async function startLocalCluster(options: LocalClusterOptions = {}): Promise<LocalCluster> {
  const startedAt = Date.now();
  const host = options.host ?? DEFAULT_HOST;
  const log = options.log ?? noopLog;
  const shape = validateClusterShape(options.masters ?? 3, options.replicasPerMaster ?? 1);
  const redisServerPath = await resolveRedisServer(options.redisServerPath);
  const redisCliPath = await resolveRedisCli(redisServerPath);

  const dir = await mkdtemp(path.join(tmpdir(), 'redis-cluster-'));
  const layout: NodeLayout = {
    dirFor: (port) => path.join(dir, `node-${port}`),
    argsFor: (port) => clusterServerArgs(host, port, path.join(dir, `node-${port}`)),
  };
  const launch = createLaunch({ redisServerPath, host, layout, log, dir });
  const { group, stopSignal } = launch;

  return startOrCleanUp(launch, async () => {
    const reservedPorts = await reservePorts(host, shape.totalNodes);
    log(`starting ${shape.totalNodes} redis-server nodes in ${dir}`);
    const portsInUse = new Set(reservedPorts);
    const nodes = await launchAll(reservedPorts.map((port) => group.launchOnReservedPort(port, portsInUse)));

    log(`creating cluster: ${shape.masters} masters, ${shape.replicasPerMaster} replica(s) each`);
    await createClusterWithRedisCli(redisCliPath, nodes, shape.replicasPerMaster, log, stopSignal);
    const readiness = await waitForClusterReady(nodes, shape, CLUSTER_READY_TIMEOUT_MS, stopSignal);
    const masters = readiness.filter((node) => node.role === 'master').map((node) => node.address);
    log(`cluster ready in ${Date.now() - startedAt} ms`);

    return {
      nodes,
      masters,
      dir,
      stop: () => launch.stop(),
      stopNode: async (port) => {
        // Every node is already down once the whole cluster is stopping.
        if (stopSignal.aborted) return;
        await group.stop(port);
      },
      startNode: (port) => group.start(port),
    };
  });
}

/** Like Promise.all, but waits for every launch to settle so cleanup never races a half-started node. */
async function launchAll(launches: Promise<RedisAddress>[]): Promise<RedisAddress[]> {
  const addresses: RedisAddress[] = [];
  for (const result of await Promise.allSettled(launches)) {
    if (result.status === 'rejected') throw result.reason;
    addresses.push(result.value);
  }
  return addresses;
}

export async function startStandaloneRedis(options: StandaloneRedisOptions = {}): Promise<StandaloneRedis> {
  const host = options.host ?? DEFAULT_HOST;
  const log = options.log ?? noopLog;
  const redisServerPath = await resolveRedisServer(options.redisServerPath);

  const dir = await mkdtemp(path.join(tmpdir(), 'redis-standalone-'));
  const layout: NodeLayout = {
    dirFor: () => dir,
    argsFor: (port) => commonServerArgs(host, port, dir),
  };
  const launch = createLaunch({ redisServerPath, host, layout, log, dir });

  return startOrCleanUp(launch, async () => {
    const [reservedPort] = await reservePorts(host, 1);
    const { port } = await launch.group.launchOnReservedPort(reservedPort, new Set());
    return { host, port, dir, stop: () => launch.stop() };
  });
}
