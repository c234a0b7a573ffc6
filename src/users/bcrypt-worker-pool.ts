import { Worker } from 'node:worker_threads';

/** bcrypt work that runs off the event loop. */
export interface BcryptEngine {
  hash(password: string, cost: number): Promise<string>;
  compare(password: string, hash: string): Promise<boolean>;
  close(): Promise<void>;
}

type Job =
  | { readonly op: 'hash'; readonly password: string; readonly cost: number }
  | { readonly op: 'compare'; readonly password: string; readonly hash: string };

interface PendingJob {
  readonly job: Job;
  resolve(value: string | boolean): void;
  reject(error: Error): void;
}

interface PoolWorker {
  readonly worker: Worker;
  current: PendingJob | undefined;
}

/**
 * Niceness of the worker threads. On Linux a thread's niceness is its own, so the
 * event loop keeps its priority and answers requests while a login storm keeps
 * every core hashing.
 */
const WORKER_NICENESS = 10;

/**
 * The worker is evaluated from source: it needs no build step or loader under ts-node
 * and jest, and bcryptjs is passed as an absolute path. In a worker whose only job is
 * hashing, the synchronous form is the fast one; nothing else waits on that thread.
 */
const workerSource = (bcryptPath: string) => `
const { parentPort } = require('node:worker_threads');
const { setPriority } = require('node:os');
const bcrypt = require(${JSON.stringify(bcryptPath)});
try { setPriority(${WORKER_NICENESS}); } catch {}
parentPort.on('message', (job) => {
  try {
    const result = job.op === 'hash' ? bcrypt.hashSync(job.password, job.cost) : bcrypt.compareSync(job.password, job.hash);
    parentPort.postMessage({ ok: true, result });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
`;

/**
 * A fixed set of worker threads, one job each at a time, jobs queued in order. A
 * worker that dies fails its job and is replaced. Idle workers do not keep the
 * process alive.
 */
export function createBcryptWorkerPool(size: number): BcryptEngine {
  const source = workerSource(require.resolve('bcryptjs'));
  const queue: PendingJob[] = [];
  const workers: PoolWorker[] = [];
  let closed = false;

  function spawn(): PoolWorker {
    const entry: PoolWorker = { worker: new Worker(source, { eval: true }), current: undefined };
    entry.worker.unref();
    entry.worker.on('message', (reply: { ok: true; result: string | boolean } | { ok: false; message: string }) => {
      const pending = entry.current;
      entry.current = undefined;
      entry.worker.unref();
      if (reply.ok) pending?.resolve(reply.result);
      else pending?.reject(new Error(`bcrypt: ${reply.message}`));
      dispatch();
    });
    entry.worker.on('error', (error) => fail(entry, error));
    entry.worker.on('exit', (code) => fail(entry, new Error(`bcrypt worker exited with code ${code}`)));
    return entry;
  }

  function fail(entry: PoolWorker, error: Error): void {
    const index = workers.indexOf(entry);
    if (index === -1) return;
    entry.current?.reject(error);
    entry.current = undefined;
    if (closed) return;
    workers[index] = spawn();
    dispatch();
  }

  function dispatch(): void {
    for (const entry of workers) {
      if (queue.length === 0) return;
      if (entry.current) continue;
      const next = queue.shift() as PendingJob;
      entry.current = next;
      // A job in flight keeps the process alive until its answer arrives.
      entry.worker.ref();
      entry.worker.postMessage(next.job);
    }
  }

  function run<T extends string | boolean>(job: Job): Promise<T> {
    if (closed) return Promise.reject(new Error('bcrypt worker pool is closed'));
    return new Promise<T>((resolve, reject) => {
      queue.push({ job, resolve: resolve as (value: string | boolean) => void, reject });
      dispatch();
    });
  }

  for (let i = 0; i < size; i += 1) workers.push(spawn());

  return {
    hash: (password, cost) => run<string>({ op: 'hash', password, cost }),
    compare: (password, hash) => run<boolean>({ op: 'compare', password, hash }),
    async close() {
      closed = true;
      for (const pending of queue.splice(0)) pending.reject(new Error('bcrypt worker pool is closed'));
      await Promise.all(workers.splice(0).map(({ worker }) => worker.terminate()));
    },
  };
}
