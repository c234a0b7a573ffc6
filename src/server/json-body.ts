import type { IncomingMessage } from 'node:http';
import { parse as parseContentType } from 'content-type';
import { UnreadableBodyError } from '@graphql-auth-service/subgraph/errors';

const UTF8 = /^utf-?8$/i;

/**
 * The body of a JSON request, parsed; undefined when the request does not say it is
 * JSON (Apollo then refuses it, as its CSRF prevention wants). Refuses before reading
 * what it can: a declared length over the limit (413), a charset other than UTF-8 or
 * a compressed body (415); then a body that grows past the limit (413) or is not a
 * JSON object or array (400). An empty JSON body reads as `{}`.
 *
 * Kept by hand rather than body-parser: the GraphQL endpoint takes one media type in
 * one charset, and body-parser's type matching, charset decoding and inflation were a
 * measurable part of every request for cases this endpoint refuses anyway.
 */
export type JsonBodyReader = (req: IncomingMessage) => Promise<unknown>;

/** Clients send a handful of distinct Content-Type values: each is parsed once (up to this many are kept). */
const MAX_REMEMBERED_CONTENT_TYPES = 64;

export function createJsonBodyReader(limitBytes: number): JsonBodyReader {
  const jsonContentTypes = new Map<string, boolean>();
  const isJson = (declared: string): boolean => {
    const known = jsonContentTypes.get(declared);
    if (known !== undefined) return known;
    const verdict = parseIsJson(declared);
    if (jsonContentTypes.size < MAX_REMEMBERED_CONTENT_TYPES) jsonContentTypes.set(declared, verdict);
    return verdict;
  };
  return (req) => readJsonBody(req, limitBytes, isJson);
}

async function readJsonBody(req: IncomingMessage, limitBytes: number, isJson: (declared: string) => boolean): Promise<unknown> {
  const declared = req.headers['content-type'];
  if (declared === undefined || !isJson(declared)) return undefined;
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    throw new UnreadableBodyError('Unsupported content encoding: send the body uncompressed', 415);
  }
  const length = req.headers['content-length'];
  if (length !== undefined && Number(length) > limitBytes) throw tooLarge();
  return new Promise<unknown>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limitBytes) {
        stop();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      try {
        resolve(parseJson(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received)));
      } catch (error) {
        reject(error);
      }
    };
    const onFailure = () => {
      stop();
      reject(new UnreadableBodyError('Malformed request body', 400));
    };
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onFailure);
      req.off('aborted', onFailure);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onFailure);
    req.on('aborted', onFailure);
  });
}

/** Throws for a malformed header or a charset other than UTF-8: those are never remembered. */
function parseIsJson(declared: string): boolean {
  let type;
  try {
    type = parseContentType(declared);
  } catch {
    throw new UnreadableBodyError('Malformed Content-Type header', 400);
  }
  if (type.type !== 'application/json') return false;
  const charset = type.parameters.charset;
  if (charset !== undefined && !UTF8.test(charset)) throw new UnreadableBodyError(`Unsupported charset "${charset}": send UTF-8`, 415);
  return true;
}

function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  // As body-parser's strict mode: a GraphQL request is an object, or an array of them.
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) return {};
  if (first !== '{' && first !== '[') throw new UnreadableBodyError('Malformed request body', 400);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UnreadableBodyError('Malformed request body', 400);
  }
}

function tooLarge(): UnreadableBodyError {
  return new UnreadableBodyError('Request body is too large', 413);
}
