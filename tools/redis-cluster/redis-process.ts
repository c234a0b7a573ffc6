import { spawn } from 'node:child_process';
import type { RedisAddress } from './address';
import type { ProcessExit } from './child-exit';
import { createOutputTail } from './output-tail';
import { raceWithTimeout } from './timing';

const OUTPUT_TAIL_LINES = 40;

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

export function spawnRedisServer(
  binaryPath: string,
  address: RedisAddress,
  args: readonly string[],
): RedisServerProcess {
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
