import { LimitExceededError } from '@graphql-auth-service/subgraph/errors';

/**
 * Refuses a JSON array body with more operations than GRAPHQL_MAX_BATCH (with 1,
 * any array: batching is off) before Apollo parses any of them.
 */
export function checkBatchLimit(body: unknown, maxBatch: number): void {
  if (!Array.isArray(body) || (maxBatch > 1 && body.length <= maxBatch)) return;
  const message =
    maxBatch === 1
      ? 'Batched requests are off on this server; send one operation per request'
      : `A batched request carries at most ${maxBatch} operations; this one has ${body.length}`;
  throw new LimitExceededError(message, 'maxBatch', maxBatch, body.length);
}
