import type { GraphQLRequestContext } from '@apollo/server';
import helmet from 'helmet';
import { createRepresentationCheck } from '@graphql-auth-service/subgraph/limits/representation-check';
import { createCorsPolicy } from '../../src/server/cors';
import { SECURITY_HEADER_OPTIONS, securityHeaderList } from '../../src/server/security-headers';

/**
 * What is the same for every request is decided once, when the server starts: a
 * request only looks the answer up. Each case below was once recomputed per request.
 */
describe('work done at start-up, not per request', () => {
  it('decides CORS once per listed origin: each request of an origin gets the same prepared headers', () => {
    const cors = createCorsPolicy(['https://app.example']);
    const first = cors.headersFor('https://app.example');
    expect(first).toEqual([
      ['vary', 'Origin'],
      ['access-control-allow-origin', 'https://app.example'],
      ['access-control-allow-credentials', 'true'],
    ]);
    expect(cors.headersFor('https://app.example')).toBe(first);
    // Unlisted and absent origins share one answer too, with no allow headers.
    expect(cors.headersFor('https://evil.example')).toEqual([['vary', 'Origin']]);
    expect(cors.headersFor(undefined)).toBe(cors.headersFor('https://evil.example'));
  });

  it('records the security headers from helmet once, with exactly what helmet would set on a response', () => {
    const set = new Map<string, string>();
    const response = {
      setHeader: (name: string, value: unknown) => set.set(name.toLowerCase(), String(value)),
      removeHeader: (name: string) => set.delete(name.toLowerCase()),
    };
    const list = securityHeaderList();
    // The same options, run the per-request way.
    helmet(SECURITY_HEADER_OPTIONS)({} as never, response as never, () => undefined);
    expect(new Map(list)).toEqual(set);
    expect(new Map(list).get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'");
  });

  it('gives every request the same representation-check hooks instead of building them per request', async () => {
    const plugin = createRepresentationCheck(100);
    const context = {} as GraphQLRequestContext<object>;
    const first = await plugin.requestDidStart?.(context);
    expect(first?.didResolveOperation).toBeInstanceOf(Function);
    expect(await plugin.requestDidStart?.(context)).toBe(first);
  });
});
