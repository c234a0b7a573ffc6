import type { Histogram } from 'prom-client';

/**
 * The same store, each method timed into the histogram. Stores are objects of async
 * methods, so one wrapper serves both the user and the session store.
 */
export function instrumentStore<T extends object>(store: T, storeName: string, latency: Histogram<'store' | 'operation'>): T {
  const timed: Record<string, unknown> = {};
  for (const [operation, method] of Object.entries(store)) {
    if (typeof method !== 'function') {
      timed[operation] = method;
      continue;
    }
    timed[operation] = async (...args: unknown[]) => {
      const end = latency.startTimer({ store: storeName, operation });
      try {
        return await (method as (...a: unknown[]) => Promise<unknown>).apply(store, args);
      } finally {
        end();
      }
    };
  }
  return timed as T;
}
