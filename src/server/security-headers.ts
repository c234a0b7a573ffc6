import helmet from 'helmet';
import type { RequestHandler } from 'express';

/**
 * Headers on every response. API answers are JSON for programs, never pages: nothing
 * may load, frame or sniff them, and no Referer leaves with their links. The GraphiQL
 * page sets its own, looser policy on top.
 */
export function createSecurityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
    },
    referrerPolicy: { policy: 'no-referrer' },
    // An SPA on another origin reads the answers through CORS; same-site would hide them from no-cors loads only.
    crossOriginResourcePolicy: { policy: 'same-site' },
    // HTTPS is the proxy's to announce; a plain-HTTP development server has no business with HSTS.
    strictTransportSecurity: false,
  });
}
