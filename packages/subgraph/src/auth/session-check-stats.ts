/**
 * Rollout-mode counters: how many checked tokens had a known session and how many
 * were unknown (and recorded). When `unknown` stops growing, `enforce` is safe.
 */
export interface SessionCheckStats {
  readonly known: number;
  readonly unknown: number;
}

export interface SessionCheckCounter {
  countKnown(): void;
  countUnknown(): void;
  snapshot(): SessionCheckStats;
}

export function createSessionCheckCounter(): SessionCheckCounter {
  let known = 0;
  let unknown = 0;
  return {
    countKnown: () => void (known += 1),
    countUnknown: () => void (unknown += 1),
    snapshot: () => ({ known, unknown }),
  };
}
