import { spawn, type ChildProcess, type ChildProcessByStdio, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';
import type { Readable } from 'node:stream';

export interface ReadyProcess<T> {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Everything the process has written to stdout and stderr so far. */
  readonly output: () => string;
  /** What `ready` returned once the output showed the process was up. */
  readonly ready: T;
}

/**
 * Spawns a long-running command and waits until its output (stdout and stderr together)
 * makes `ready` return a value, checked on every stdout chunk. If the process exits
 * first, rejects with all of its output, so a failed start explains itself.
 */
export async function spawnUntilReady<T>(
  name: string,
  command: string,
  args: readonly string[],
  options: Omit<SpawnOptions, 'stdio'>,
  ready: (output: string) => T | undefined,
): Promise<ReadyProcess<T>> {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const value = await new Promise<T>((resolve, reject) => {
    child.stdout.on('data', () => {
      const result = ready(output);
      if (result !== undefined) resolve(result);
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${output}`)));
  });
  return { child, output: () => output, ready: value };
}

/** Sends `signal` to a child that is still running and waits until it has exited. */
export async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}
