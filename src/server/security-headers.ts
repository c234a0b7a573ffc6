import type { ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { RequestHandler } from 'express';

export type HeaderList = readonly (readonly [name: string, value: string])[];

/**
 * Headers on every response. API answers are JSON for programs, never pages: nothing
 * may load, frame or sniff them, and no Referer leaves with their links. The GraphiQL
 * page sets its own, looser policy on top.
 *
 * The policy is static, so helmet runs once, at start-up, against a recorder: each
 * request then gets the recorded list instead of helmet deciding all of it again.
 */
export const SECURITY_HEADER_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
  },
  referrerPolicy: { policy: 'no-referrer' },
  // An SPA on another origin reads the answers through CORS; same-site would hide them from no-cors loads only.
  crossOriginResourcePolicy: { policy: 'same-site' },
  // HTTPS is the proxy's to announce; a plain-HTTP development server has no business with HSTS.
  strictTransportSecurity: false,
};

export function securityHeaderList(): HeaderList {
  const middleware = helmet(SECURITY_HEADER_OPTIONS);
  const recorded = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: unknown) => recorded.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => recorded.delete(name.toLowerCase()),
  };
  let finished = false;
  middleware({} as never, recorder as never, () => {
    finished = true;
  });
  // A helmet that decided per request (a nonce, say) would not call back at once: refuse to freeze its answer.
  if (!finished) throw new Error('helmet did not answer synchronously; its headers cannot be computed once');
  return [...recorded];
}

export function setHeaders(res: ServerResponse, headers: HeaderList): void {
  for (const [name, value] of headers) res.setHeader(name, value);
}

/** The recorded headers, for the routes express serves. */
export function createSecurityHeaders(headers: HeaderList): RequestHandler {
  return (_req, res, next) => {
    setHeaders(res, headers);
    next();
  };
}
