import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';
import type { HttpConfig } from '../config/config';

/** The client's address: the socket's peer, or the X-Forwarded-For entry that TRUST_PROXY makes believable. */
export type ClientAddress = (req: IncomingMessage) => string | undefined;

/** Compiles TRUST_PROXY once, as express does for `req.ip`. */
export function createClientAddress(trustProxy: HttpConfig['trustProxy']): ClientAddress {
  if (trustProxy === false) return (req) => req.socket.remoteAddress;
  const trust = typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : proxyAddr.compile([...trustProxy]);
  return (req) => proxyAddr(req, trust);
}
