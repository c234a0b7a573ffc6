import type { LockoutPolicy, SlowdownPolicy } from './policy';

/** Past this many doublings every sensible maximum wait has long been reached. */
const MAX_DOUBLINGS = 40;

/**
 * How long the subject stays locked after its n-th consecutive failure: nothing
 * below the failure factor, then the wait increment, doubled with each further
 * failure, up to the maximum wait. `end-attempt.lua` computes the same.
 */
export function lockoutWaitMs(failures: number, policy: LockoutPolicy): number {
  if (failures < policy.failureFactor) return 0;
  const doublings = Math.min(failures - policy.failureFactor, MAX_DOUBLINGS);
  return Math.min(policy.maxWaitMs, policy.waitIncrementMs * 2 ** doublings);
}

/**
 * How far a spaced attempt of a username with this many failures moves its next
 * slot: the increment (also below the threshold, when attempts in flight brought the
 * spacing on), doubled with each failure past the threshold, up to the maximum.
 * `reserve-slot.lua` computes the same.
 */
export function slowdownDelayMs(failures: number, policy: SlowdownPolicy): number {
  const doublings = Math.min(Math.max(0, failures - policy.failureFactor), MAX_DOUBLINGS);
  return Math.min(policy.maxDelayMs, policy.incrementMs * 2 ** doublings);
}
