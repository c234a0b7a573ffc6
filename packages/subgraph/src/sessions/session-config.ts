import type { SessionLimitPolicy } from './session';

/** `enforce` refuses a token whose session is unknown; `record` (rollout) records it; `off` checks signatures only. */
export type SessionCheckMode = 'enforce' | 'record' | 'off';

export interface SessionConfig {
  /** Absolute lifetime from login; no refresh extends it. */
  readonly maxTtlMs: number;
  /** A session not refreshed for this long ends; each refresh extends it, up to maxTtlMs. */
  readonly idleTtlMs: number;
  /** 0 means no cap. */
  readonly maxPerUser: number;
  readonly limitPolicy: SessionLimitPolicy;
  readonly check: SessionCheckMode;
  /** `lastSeenAt` is written at most once per this interval per session. */
  readonly touchIntervalMs: number;
}
