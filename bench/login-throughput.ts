import { loginToken } from './load';
import { median } from './stats';

export interface LoginThroughput {
  /** Logins per second over every measured batch of the server with BCRYPT_WORKERS=0. */
  readonly withoutPool: number;
  /** The same for the server with the default pool. */
  readonly withPool: number;
  /** Median of the pairs' with/without ratios: each pair ran seconds apart. */
  readonly ratio: number;
  readonly pairRatios: readonly number[];
  readonly workers: number;
}

export interface LoginThroughputPlan {
  readonly users: readonly string[];
  readonly password: string;
  readonly pairs: number;
  readonly loginsPerBatch: number;
  readonly concurrency: number;
}

const WARM_UP_LOGINS = 4;

/** `total` logins at a fixed concurrency, cycling over distinct users: seconds taken. */
async function timeBatch(url: string, plan: LoginThroughputPlan, total: number): Promise<number> {
  let next = 0;
  const startedAt = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: plan.concurrency }, async () => {
      while (next < total) {
        const i = next;
        next += 1;
        await loginToken(url, plan.users[i % plan.users.length], plan.password);
      }
    }),
  );
  return Number(process.hrtime.bigint() - startedAt) / 1e9;
}

/**
 * Alternates batches between a server without the bcrypt pool and one with it
 * (ABBA order, so a steady drift of the machine's speed favours neither), after one
 * unreported batch each that starts the workers and warms bcrypt up.
 */
export async function measureLoginThroughput(withoutPoolUrl: string, withPoolUrl: string, plan: LoginThroughputPlan, workers: number): Promise<LoginThroughput> {
  await timeBatch(withoutPoolUrl, plan, WARM_UP_LOGINS);
  await timeBatch(withPoolUrl, plan, WARM_UP_LOGINS);
  const seconds = { withoutPool: 0, withPool: 0 };
  const pairRatios: number[] = [];
  for (let pair = 0; pair < plan.pairs; pair += 1) {
    const order = pair % 2 === 0 ? (['withoutPool', 'withPool'] as const) : (['withPool', 'withoutPool'] as const);
    const taken = { withoutPool: 0, withPool: 0 };
    for (const mode of order) taken[mode] = await timeBatch(mode === 'withPool' ? withPoolUrl : withoutPoolUrl, plan, plan.loginsPerBatch);
    seconds.withoutPool += taken.withoutPool;
    seconds.withPool += taken.withPool;
    pairRatios.push(taken.withoutPool / taken.withPool);
  }
  const logins = plan.pairs * plan.loginsPerBatch;
  return { withoutPool: logins / seconds.withoutPool, withPool: logins / seconds.withPool, ratio: median(pairRatios), pairRatios, workers };
}
