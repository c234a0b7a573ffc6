import { Router } from 'express';
import type { RedisClient } from '../redis/client';
import type { AuthMetrics } from './metrics';
import { checkReadiness } from './readiness';

/** /healthz (the process is up), /readyz (the store answers), /metrics (Prometheus). */
export function createOpsRouter(redis: RedisClient | undefined, metrics: AuthMetrics): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('cache-control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const readiness = await checkReadiness(redis);
    res
      .status(readiness.ready ? 200 : 503)
      .set('cache-control', 'no-store')
      .json({ status: readiness.ready ? 'ready' : 'not ready', ...readiness });
  });
  router.get('/metrics', async (_req, res) => {
    res.set('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
