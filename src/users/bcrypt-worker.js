'use strict';

/**
 * The task of the bcrypt worker pool (bcrypt-worker-pool.ts), run by piscina in a worker
 * thread: one hash or compare per call. Plain CommonJS rather than TypeScript, so worker
 * threads load it with Node's own require: no loader under ts-node or jest, and the build
 * copies it to dist/ as it is. In a thread whose only job is hashing, the synchronous form
 * is the fast one; nothing else waits on this thread.
 */
const { setPriority } = require('node:os');
const { workerData } = require('node:worker_threads');
const bcrypt = require('bcryptjs');

// piscina's niceIncrement has already lowered this thread's priority, through its optional
// native dependency @napi-rs/nice. Where that package did not install (no build for the
// platform, --omit=optional), Node's own call does the same: it sets the calling thread's
// niceness on Linux.
try {
  require('@napi-rs/nice');
} catch {
  try {
    setPriority(workerData.niceness);
  } catch {
    // Not permitted here: the thread keeps the event loop's priority.
  }
}

module.exports = function bcryptTask(job) {
  try {
    const result =
      job.op === 'hash'
        ? // eslint-disable-next-line no-restricted-syntax -- a worker thread of its own: blocking it is the point
          bcrypt.hashSync(job.password, job.cost)
        : // eslint-disable-next-line no-restricted-syntax -- a worker thread of its own: blocking it is the point
          bcrypt.compareSync(job.password, job.hash);
    return { ok: true, result };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
};
