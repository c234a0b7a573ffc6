import { startStubServer } from '../../support/stub-server';

/** An HTTP server a forger controls: it serves `body` on every path and records every request it gets. */
export interface AttackerServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly origin: string;
  /** Method and path of every request received, in order. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

export async function startAttackerServer(body: string): Promise<AttackerServer> {
  const requests: string[] = [];
  const server = await startStubServer((req, res) => {
    requests.push(`${req.method ?? '?'} ${req.url ?? '?'}`);
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  return { origin: server.origin, requests, close: () => server.stop() };
}
