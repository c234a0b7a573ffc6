import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Env } from '../support/test-env';
import { TS_NODE_ARGS } from '../../tools/ts-node-args';

export interface CliRun {
  readonly args: readonly string[];
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const ROOT = join(__dirname, '..', '..');
const RUN_DEADLINE_MS = 20_000;

/**
 * Runs the CLI as `npm run users` does (ts-node with the workspace
 * packages read from source, `scripts/users.ts`) in a child process with only `env` (plus PATH and HOME), writes
 * `stdin` to it and closes it: a pipe, never a terminal.
 */
export async function spawnUsersCli(args: readonly string[], env: Env, stdin = ''): Promise<CliRun> {
  const child = spawn(process.execPath, [...TS_NODE_ARGS, 'scripts/users.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // A CLI that refuses its arguments exits without reading stdin: EPIPE here is expected.
  child.stdin.on('error', () => undefined);
  child.stdin.end(stdin);
  const deadline = setTimeout(() => child.kill('SIGKILL'), RUN_DEADLINE_MS);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(deadline);
  return { args, code, stdout, stderr };
}

/** One line on stderr, no stack trace. */
export function expectOneLineError(run: CliRun, code: number, message: string | RegExp): void {
  expect({ args: run.args, code: run.code, stdout: run.stdout }).toEqual({ args: run.args, code, stdout: '' });
  expect(run.stderr).toMatch(/^error: [^\n]+\n$/);
  expect(run.stderr).toMatch(message);
}
