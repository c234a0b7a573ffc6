import { connect } from 'node:net';

/** Resolves with the socket error once a TCP connection attempt fails, or undefined if it connects. */
export function tryToConnect({ host, port }: { host: string; port: number }): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error));
  });
}
