import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** A PostgreSQL server of Debian's package, in a temporary directory, on a free loopback port. */
export interface LocalPostgres {
  /** `postgres://auth:<password>@127.0.0.1:<port>/auth`: the database the service would use. */
  readonly url: string;
  readonly port: number;
  /** Stops the server (a fast shutdown) and removes its directory. */
  stop(): Promise<void>;
}

const BINARIES_ROOT = '/usr/lib/postgresql';
const USER = 'auth';
const DATABASE = 'auth';
const READY_WITHIN_MS = 30_000;
const STOP_WITHIN_MS = 10_000;

export class PostgresNotFoundError extends Error {
  constructor() {
    super('PostgreSQL was not found; install it with: apt-get install postgresql');
    this.name = 'PostgresNotFoundError';
  }
}

/**
 * Starts a throwaway PostgreSQL: `initdb` and `postgres` from the newest version under
 * /usr/lib/postgresql, run as the `postgres` user when this process is root (both refuse
 * to run as root), password authentication, a socket directory of its own, and settings
 * for tests (no fsync: nothing here must survive a crash of the machine).
 */
export async function startLocalPostgres(): Promise<LocalPostgres> {
  const bin = newestBinaries();
  const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
  const root = await mkdtemp(join(tmpdir(), 'auth-postgres-'));
  if (owner) await chown(root, owner.uid, owner.gid);
  const password = randomBytes(18).toString('base64url');
  const passwordFile = join(root, 'password');
  await writeFile(passwordFile, password, { mode: 0o600 });
  if (owner) await chown(passwordFile, owner.uid, owner.gid);
  const data = join(root, 'data');
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', USER, `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync'], {
    stdio: 'pipe',
    ...(owner && { uid: owner.uid, gid: owner.gid }),
  });
  await rm(passwordFile);

  const port = await freePort();
  const server = spawn(
    join(bin, 'postgres'),
    ['-D', data, '-p', String(port), '-k', root, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    { stdio: ['ignore', 'ignore', 'pipe'], ...(owner && { uid: owner.uid, gid: owner.gid }) },
  );
  const output: string[] = [];
  server.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const stop = async () => {
    await stopServer(server);
    await rm(root, { recursive: true, force: true });
  };
  try {
    await waitUntilReady({ port, password }, server, output);
    await createDatabase({ port, password });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `postgres://${USER}:${password}@127.0.0.1:${port}/${DATABASE}`, port, stop };
}

/** The bin directory of the newest PostgreSQL under /usr/lib/postgresql (initdb, postgres, pg_dump, ...). */
export function newestBinaries(): string {
  const versions = existsSync(BINARIES_ROOT)
    ? readdirSync(BINARIES_ROOT).filter((entry) => /^\d+$/.test(entry) && existsSync(join(BINARIES_ROOT, entry, 'bin', 'initdb')))
    : [];
  if (versions.length === 0) throw new PostgresNotFoundError();
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return join(BINARIES_ROOT, newest, 'bin');
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres']).toString().trim());
  return { uid: id('-u'), gid: id('-g') };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

interface Access {
  readonly port: number;
  readonly password: string;
}

async function waitUntilReady(access: Access, server: ChildProcess, output: readonly string[]): Promise<void> {
  const deadline = Date.now() + READY_WITHIN_MS;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`postgres exited with code ${server.exitCode}: ${output.join('').trim()}`);
    const client = new Client({ host: '127.0.0.1', port: access.port, user: USER, password: access.password, database: 'postgres' });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections within ${READY_WITHIN_MS / 1000} s: ${output.join('').trim()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function createDatabase(access: Access): Promise<void> {
  const client = new Client({ host: '127.0.0.1', port: access.port, user: USER, password: access.password, database: 'postgres' });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  // SIGINT is PostgreSQL's fast shutdown: clients are disconnected, the data written out.
  server.kill('SIGINT');
  const timer = setTimeout(() => server.kill('SIGKILL'), STOP_WITHIN_MS);
  await exited;
  clearTimeout(timer);
}
