import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { TS_NODE_ARGS } from '../tools/ts-node-args';

export interface ServerChild {
  readonly url: string;
  /** CPU time (user + system) the server process has used so far, in µs. */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

const START_DEADLINE_MS = 60_000;
const STOP_DEADLINE_MS = 10_000;

/** Starts bench/server-process.ts with this environment and waits for its URL line. */
export function startServerChild(env: Record<string, string>): Promise<ServerChild> {
  const child: ChildProcess = spawn(process.execPath, [...TS_NODE_ARGS, join(__dirname, 'server-process.ts')], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS);
      child.once('exit', () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within ${START_DEADLINE_MS} ms: ${stderr}`));
    }, START_DEADLINE_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}: ${stderr}`));
    });
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const cpuMicros = () =>
        new Promise<number>((answer) => {
          child.once('message', (usage) => answer((usage as NodeJS.CpuUsage).user + (usage as NodeJS.CpuUsage).system));
          child.send('cpu');
        });
      resolve({ url: (JSON.parse(line) as { url: string }).url, cpuMicros, stop });
    });
  });
}
