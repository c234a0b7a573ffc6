import type { LockoutPolicy } from '../config/config';

/** Past this many doublings every sensible maximum wait has long been reached. */
const MAX_DOUBLINGS = 40;

/**
 * How long the subject stays locked after its n-th consecutive failure: nothing
 * below the failure factor, then the wait increment, doubled with each further
 * failure, up to the maximum wait. `attempt.lua` computes the same.
 */
export function lockoutWaitMs(failures: number, policy: LockoutPolicy): number {
  if (failures < policy.failureFactor) return 0;
  const doublings = Math.min(failures - policy.failureFactor, MAX_DOUBLINGS);
  return Math.min(policy.maxWaitMs, policy.waitIncrementMs * 2 ** doublings);
}
