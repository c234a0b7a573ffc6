import { request } from 'node:http';
import type { GraphQLErrorBody, GraphQLResponse } from '../../support/graphql-caller';

/**
 * POSTs a GraphQL operation from a chosen loopback source address (127.0.0.2,
 * 127.0.0.3, ...: Linux routes all of 127.0.0.0/8 to the loopback interface). A
 * server listening on 127.0.0.1 without TRUST_PROXY then sees that address as the
 * client's, exactly as it would see two real clients on two machines; fetch cannot
 * pick its source address.
 */
export function postFrom<TData = Record<string, unknown>>(
  url: string,
  localAddress: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<TData>> {
  const payload = Buffer.from(JSON.stringify({ query, variables }), 'utf8');
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        localAddress,
        // A fresh connection per request: a pooled socket would keep the address of whoever opened it.
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: TData | null; errors?: GraphQLErrorBody[] };
            resolve({ status: incoming.statusCode ?? 0, headers, data: body.data, errors: body.errors });
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}
