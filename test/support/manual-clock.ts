import type { Clock } from '@graphql-auth-service/subgraph/clock';

/** A clock the test moves by hand, so expiry is tested without sleeping. */
export class ManualClock implements Clock {
  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
