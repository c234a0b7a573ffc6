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

/** The server processes of the bench, each speaking bench/child-protocol.ts. */
export const SERVER_SCRIPTS = {
  /** The service itself. */
  service: 'server-process.ts',
  /** The hand-written reference: Apollo standalone, jsonwebtoken, one EXISTS. */
  reference: 'reference-process.ts',
  /** A subgraph built with the @auth kit as the quick start builds one. */
  kit: 'kit-subgraph-process.ts',
} as const;

/**
 * Starts one of the bench's server processes with this environment and waits for its URL line;
 * `nodeArgs` go to node itself (`--cpu-prof`, say).
 */
export function startServerChild(
  env: Record<string, string>,
  script: keyof typeof SERVER_SCRIPTS = 'service',
  nodeArgs: readonly string[] = [],
): Promise<ServerChild> {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, ...TS_NODE_ARGS, join(__dirname, SERVER_SCRIPTS[script])], {
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
      reject(new Error(`the ${script} server did not start within ${START_DEADLINE_MS} ms: ${stderr}`));
    }, START_DEADLINE_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the ${script} server exited with ${code}: ${stderr}`));
    });
    // The URL line is the one JSON line; anything else a server prints (Apollo announces
    // inline tracing in a subgraph) is kept with stderr for the error messages.
    let started = false;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (started || !line.startsWith('{"url":')) {
        stderr += `${line}\n`;
        return;
      }
      started = true;
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
