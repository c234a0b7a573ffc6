import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A real HTTP server on a free loopback port, answering with `handle`: a JWKS host, a remote directory, an attacker. */
export interface StubServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  readonly origin: string;
  /**
   * Keeps a response open without answering (a hanging peer); `stop` ends it. Call it
   * from `handle` instead of ending the response.
   */
  hold(res: ServerResponse): void;
  /** Ends held responses and open connections, then closes; safe to call twice. */
  stop(): Promise<void>;
}

export type StubHandler = (req: IncomingMessage, res: ServerResponse, server: StubServer) => void | Promise<void>;

export async function startStubServer(handle: StubHandler): Promise<StubServer> {
  const held = new Set<ServerResponse>();
  const server = createServer((req, res) => void handle(req, res, stub));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const stub: StubServer = {
    origin: `http://127.0.0.1:${port}`,
    hold: (res) => void held.add(res),
    async stop() {
      for (const res of held) res.destroy();
      held.clear();
      server.closeAllConnections();
      if (server.listening) await new Promise((resolve) => server.close(resolve));
    },
  };
  return stub;
}
