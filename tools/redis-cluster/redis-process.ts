import { spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { RedisCliMissingError, RedisNodeStartError, RedisPortTakenError, RedisServerMissingError } from './errors';
import { errorMessage, withConnection } from './node-probe';
import { listenArgs, passwordArgs, PLAIN, type NodeSecurity } from './node-security';
import type { LocalRedisAccess, RedisAddress } from './options';

const OUTPUT_TAIL_LINES = 40;
const NODE_START_TIMEOUT_MS = 10_000;
const PING_POLL_INTERVAL_MS = 20;

/** How a child process ended: an exit code, a signal, or a failure to spawn at all. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  spawnError?: Error;
}

export interface RedisServerProcess {
  readonly address: RedisAddress;
  readonly exited: Promise<ProcessExit>;
  isRunning(): boolean;
  outputTail(): string;
  /** SIGTERM, then SIGKILL once `graceMs` has passed; resolves when the process is gone. */
  terminate(graceMs: number): Promise<void>;
  /** Synchronous SIGKILL for contexts that cannot wait, such as process 'exit'. */
  killNow(): void;
}

export interface NodeStartup {
  redisServerPath: string;
  address: RedisAddress;
  args: readonly string[];
  /** How to get in once it runs (TLS, password); plain TCP when absent. */
  access?: LocalRedisAccess;
  /** Sees the process before the PING wait, so cleanup can reach a node that is still starting. */
  onSpawned(server: RedisServerProcess): void;
}

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

export async function resolveRedisServer(explicitPath: string | undefined): Promise<string> {
  const candidates = explicitPath ? [explicitPath] : candidatePaths('redis-server', []);
  const found = await findFirstExecutable(candidates);
  if (!found) throw new RedisServerMissingError(candidates);
  return found;
}

export async function resolveRedisCli(redisServerPath: string): Promise<string> {
  // Prefer the redis-cli shipped next to the chosen server so a custom build uses its own tools.
  const candidates = candidatePaths('redis-cli', [path.dirname(redisServerPath)]);
  const found = await findFirstExecutable(candidates);
  if (!found) throw new RedisCliMissingError(candidates);
  return found;
}

export function serverArgs(host: string, port: number, dir: string, security: NodeSecurity = PLAIN): string[] {
  return [
    ...listenArgs(port, security),
    ...passwordArgs(security),
    '--bind', host,
    '--dir', dir,
    '--save', '',
    '--appendonly', 'no',
    '--daemonize', 'no',
    '--protected-mode', 'no',
  ];
}

/** Spawns redis-server and resolves once it answers PING; a failed start rejects with the server's last output. */
export async function spawnAndAwaitPing({ redisServerPath, address, args, access, onSpawned }: NodeStartup): Promise<void> {
  const server = spawnRedisServer(redisServerPath, address, args);
  onSpawned(server);
  try {
    await waitUntilAnswersPing(server, NODE_START_TIMEOUT_MS, access);
  } catch (error) {
    const exit = server.isRunning() ? undefined : await server.exited;
    if (exit && isMissingBinary(exit)) throw new RedisServerMissingError([redisServerPath], { cause: exit.spawnError });
    throw error;
  }
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

async function waitUntilAnswersPing(server: RedisServerProcess, timeoutMs: number, access: LocalRedisAccess = {}): Promise<void> {
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
      const reply = await withConnection(server.address, (client) => client.ping(), access);
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

/** Keeps the last `maxLines` non-blank lines of a child's output, which arrives in arbitrary chunks. */
export function createOutputTail(maxLines: number) {
  const lines: string[] = [];
  let partialLine = '';
  return {
    /** Returns the lines this chunk completed. */
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

/** By shape: under jest a spawn error is not `instanceof` the test's own Error (another realm). */
function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return typeof error === 'object' && error !== null && 'code' in error;
}

export function isMissingBinary(exit: ProcessExit): boolean {
  return isErrnoException(exit.spawnError) && exit.spawnError.code === 'ENOENT';
}

export function describeExit(exit: ProcessExit): string {
  if (exit.spawnError) return `could not be spawned (${exit.spawnError.message})`;
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves to `undefined` when `ms` elapses first; the timer never keeps the process alive afterwards. */
export async function raceWithTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
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
