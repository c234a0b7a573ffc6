import { type RequestHandler, Router } from 'express';
import type { AuthMetrics } from './metrics';
import type { Readiness } from './readiness';

export const METRICS_PATH = '/metrics';

/** /healthz (the process is up) and /readyz (the store answers, and which store it is; if not, why, when it can tell). */
export function createOpsRouter(checkReadiness: () => Promise<Readiness>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('cache-control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const readiness = await checkReadiness();
    res
      .status(readiness.ready ? 200 : 503)
      .set('cache-control', 'no-store')
      .json({ status: readiness.ready ? 'ready' : 'not ready', ...readiness });
  });
  return router;
}

/** Prometheus exposition of the service's registry. */
export function createMetricsRoute(metrics: AuthMetrics): RequestHandler {
  return async (_req, res) => {
    res.set('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}
