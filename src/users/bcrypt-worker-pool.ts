import { join } from 'node:path';
import { ServiceUnavailableError } from '@graphql-auth-service/subgraph/errors';
import { Piscina } from 'piscina';

/** bcrypt work that runs off the event loop. */
export interface BcryptEngine {
  hash(password: string, cost: number): Promise<string>;
  compare(password: string, hash: string): Promise<boolean>;
  close(): Promise<void>;
}

type Job =
  | { readonly op: 'hash'; readonly password: string; readonly cost: number }
  | { readonly op: 'compare'; readonly password: string; readonly hash: string };

type Reply = { readonly ok: true; readonly result: string | boolean } | { readonly ok: false; readonly message: string };

/**
 * Niceness of the worker threads. On Linux a thread's niceness is its own, so the
 * event loop keeps its priority and answers requests while a login storm keeps
 * every core hashing.
 */
const WORKER_NICENESS = 10;

/**
 * The task piscina runs, a CommonJS file next to this module (the build copies it to
 * dist/): worker threads load it without a loader, from sources under ts-node and jest
 * as from dist/.
 */
const WORKER_FILE = join(__dirname, 'bcrypt-worker.js');

const closedError = () => new Error('bcrypt worker pool is closed');

/**
 * A fixed set of piscina worker threads, one job each at a time, at most `maxQueue`
 * jobs waiting in order. Past that a login storm gets SERVICE_UNAVAILABLE at once
 * instead of a wait longer than any client holds on. A worker that dies fails its job
 * and is replaced. Idle workers do not keep the process alive.
 */
export function createBcryptWorkerPool(size: number, maxQueue: number): BcryptEngine {
  const pool = new Piscina<Job, Reply>({
    filename: WORKER_FILE,
    minThreads: size,
    maxThreads: size,
    maxQueue,
    niceIncrement: WORKER_NICENESS,
    // For the worker's fallback when piscina cannot set the niceness (see bcrypt-worker.js).
    workerData: { niceness: WORKER_NICENESS },
  });
  let closed = false;

  async function run<T extends string | boolean>(job: Job): Promise<T> {
    if (closed) throw closedError();
    if (pool.queueSize >= maxQueue) throw new ServiceUnavailableError('The server is busy checking passwords: try again shortly', { logReason: 'bcrypt queue full' });
    let reply: Reply;
    try {
      reply = await pool.run(job);
    } catch (error) {
      // Jobs still queued or running when the pool closes: piscina's "Terminating worker thread".
      if (closed) throw closedError();
      throw error;
    }
    if (!reply.ok) throw new Error(`bcrypt: ${reply.message}`);
    return reply.result as T;
  }

  return {
    hash: (password, cost) => run<string>({ op: 'hash', password, cost }),
    compare: (password, hash) => run<boolean>({ op: 'compare', password, hash }),
    async close() {
      closed = true;
      await pool.destroy();
    },
  };
}
