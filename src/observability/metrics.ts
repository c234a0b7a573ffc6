import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SessionCheckCounter } from '@graphql-auth-service/subgraph/auth/session-check-stats';

/** The service's Prometheus metrics, on a registry of its own (no global state to leak between instances). */
export interface AuthMetrics {
  readonly registry: Registry;
  readonly logins: Counter<'outcome'>;
  readonly tokenChecks: Counter<'outcome' | 'reason'>;
  readonly sessionsEvicted: Counter;
  readonly storeLatency: Histogram<'store' | 'operation'>;
}

export function createAuthMetrics(sessionCheckCounter: SessionCheckCounter): AuthMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const rollout = new Counter({
    name: 'auth_rollout_sessions_total',
    help: 'SESSION_CHECK=record: checked tokens whose session was known or unknown (and recorded)',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      const { known, unknown } = sessionCheckCounter.snapshot();
      this.reset();
      this.inc({ kind: 'known' }, known);
      this.inc({ kind: 'unknown' }, unknown);
    },
  });
  void rollout;
  return {
    registry,
    logins: new Counter({
      name: 'auth_logins_total',
      help: 'Login attempts by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    tokenChecks: new Counter({
      name: 'auth_token_checks_total',
      help: 'Requests by what their Authorization header gave: accepted, anonymous, rejected (with reason), unavailable',
      labelNames: ['outcome', 'reason'],
      registers: [registry],
    }),
    sessionsEvicted: new Counter({
      name: 'auth_sessions_evicted_total',
      help: 'Sessions ended by logins over MAX_SESSIONS_PER_USER',
      registers: [registry],
    }),
    storeLatency: new Histogram({
      name: 'auth_store_operation_duration_seconds',
      help: 'Latency of store operations (each one Redis command or script)',
      labelNames: ['store', 'operation'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5],
      registers: [registry],
    }),
  };
}
