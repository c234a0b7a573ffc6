import type { RequestHandler } from 'express';
import type { KeyRing } from '@graphql-auth-service/subgraph/tokens/key-ring';
import { jwksDocument } from '../tokens/jwks';

export const JWKS_PATH = '/.well-known/jwks.json';
/** Long enough to spare the service, short enough that a rotation's new key is seen soon (docs/signing-keys.md). */
const CACHE_SECONDS = 300;

/** The public keys of the ring (never a secret), built once: the ring does not change while running. */
export function createJwksRoute(keyRing: KeyRing): RequestHandler {
  const body = JSON.stringify(jwksDocument(keyRing));
  return (_req, res) => {
    res
      .status(200)
      .set({ 'content-type': 'application/jwk-set+json', 'cache-control': `public, max-age=${CACHE_SECONDS}` })
      .send(body);
  };
}
