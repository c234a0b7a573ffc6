import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthMetrics } from './metrics';
import { METRICS_PATH } from './ops-routes';

export interface MetricsListener {
  /** The full URL of the metrics endpoint. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Prometheus on a port of its own (METRICS_PORT), so the API port never tells the
 * public why tokens fail; firewall it to the scraper. Answers GET /metrics and 404.
 */
export function startMetricsListener(metrics: AuthMetrics, port: number, host: string): Promise<MetricsListener> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== METRICS_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: bound } = server.address() as AddressInfo;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      resolve({
        url: `http://${shownHost}:${bound}${METRICS_PATH}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}
