import { createHash, createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';

/** `t=<unix ms>,v1=<base64url HMAC-SHA256(secret, "<t>.<canonical body>")>`. */
export const GATEWAY_SIGNATURE_HEADER = 'x-gateway-signature';
/** The secret itself, for routers that can only add static headers (compared in constant time). */
export const GATEWAY_SECRET_HEADER = 'x-gateway-secret';
/** How far a signature's time may be from the subgraph's clock, either way. */
export const GATEWAY_SIGNATURE_TOLERANCE_MS = 60_000;

/** What a gateway sends a subgraph: the parts of a GraphQL request the signature covers. */
export interface SignedRequestBody {
  readonly query?: unknown;
  readonly operationName?: unknown;
  readonly variables?: unknown;
}

/**
 * The text a signature covers. Built from the parsed body rather than its raw bytes,
 * so a subgraph behind any body parser can check it: JSON.stringify of what JSON.parse
 * gave back is the same text the gateway stringified. `extensions` is left out:
 * gateways and clients add to it on their way.
 */
export function canonicalRequest(body: SignedRequestBody): string {
  return JSON.stringify([body.query ?? null, body.operationName ?? null, body.variables ?? null]);
}

function sign(key: KeyObject, timestamp: string, body: SignedRequestBody): Buffer {
  return createHmac('sha256', key).update(`${timestamp}.${canonicalRequest(body)}`).digest();
}

/** The header a gateway adds to each subgraph request (the example gateway does). */
export function gatewaySignatureHeaders(secret: string, body: SignedRequestBody, now = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(now));
  const signature = sign(createSecretKey(Buffer.from(secret, 'utf8')), timestamp, body).toString('base64url');
  return { [GATEWAY_SIGNATURE_HEADER]: `t=${timestamp},v1=${signature}` };
}

export interface GatewayRequest {
  readonly method?: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body?: unknown;
}

/** Tells whether a request carries the gateway's proof: a fresh signature over its body, or the secret itself. */
export type GatewayVerifier = (request: GatewayRequest) => boolean;

const SIGNATURE = /^t=(\d{1,16}),v1=([A-Za-z0-9_-]{43})$/;

export function createGatewayVerifier(secret: string, now: () => number = Date.now): GatewayVerifier {
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  const secretDigest = createHash('sha256').update(secret, 'utf8').digest();

  function signedBy(header: string, body: unknown): boolean {
    const match = SIGNATURE.exec(header.replace(/\s+/g, ''));
    if (!match || !isRequestBody(body)) return false;
    if (Math.abs(now() - Number(match[1])) > GATEWAY_SIGNATURE_TOLERANCE_MS) return false;
    let expected: Buffer;
    try {
      expected = sign(key, match[1], body);
    } catch {
      // Variables nested deeper than JSON.stringify can follow: no gateway sent that.
      return false;
    }
    return timingSafeEqual(expected, Buffer.from(match[2], 'base64url'));
  }

  function carriesSecret(header: string): boolean {
    return timingSafeEqual(createHash('sha256').update(header, 'utf8').digest(), secretDigest);
  }

  return ({ method, headers, body }) => {
    // A GET carries its operation in the URL, which the signature does not cover.
    if (method !== undefined && method.toUpperCase() !== 'POST') return false;
    const signature = single(headers[GATEWAY_SIGNATURE_HEADER]);
    if (signature !== undefined) return signedBy(signature, body);
    const given = single(headers[GATEWAY_SECRET_HEADER]);
    return given !== undefined && carriesSecret(given);
  };
}

function single(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function isRequestBody(body: unknown): body is SignedRequestBody {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

/**
 * The proof check of one request, run on first use and remembered: only the requests
 * that reach `_entities` or `_service` need it, and the signature costs a
 * serialization and an HMAC of the whole body.
 */
export function proofCheckOf(verify: GatewayVerifier | undefined, request: GatewayRequest): () => boolean {
  if (verify === undefined) return () => false;
  let proven: boolean | undefined;
  return () => (proven ??= verify(request));
}
