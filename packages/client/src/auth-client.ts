import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

/** One error of a GraphQL response, with the service's `extensions.code`. */
export interface GraphQLResponseError {
  readonly message: string;
  readonly extensions?: { readonly code?: string; readonly [key: string]: unknown };
  readonly path?: readonly (string | number)[];
}

export interface GraphQLResult<TData> {
  readonly status: number;
  readonly headers: Headers;
  readonly data?: TData | null;
  readonly errors?: readonly GraphQLResponseError[];
}

/** Thrown by `request` when the answer has errors; `code` is the first error's `extensions.code`. */
export class GraphQLRequestError extends Error {
  readonly code: string | undefined;

  constructor(
    readonly status: number,
    readonly errors: readonly GraphQLResponseError[],
  ) {
    super(errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('; '));
    this.name = 'GraphQLRequestError';
    this.code = errors[0]?.extensions?.code;
  }
}

export interface AuthClientOptions {
  /** The GraphQL endpoint, e.g. https://api.example.com/graphql. */
  readonly url: string;
  readonly fetch?: typeof fetch;
  /** `include` in SPA cookie mode, so the refresh cookie travels. */
  readonly credentials?: RequestInit['credentials'];
}

export interface CallOptions {
  /** The access token, sent as `Authorization: Bearer …`. */
  readonly token?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A small fetch-based client for the generated, typed operations (src/generated):
 * a schema change that breaks an operation breaks `npm run codegen:check` and the build.
 */
export function createAuthClient({ url, fetch: fetchImpl = fetch, credentials }: AuthClientOptions) {
  async function execute<TData, TVariables>(
    document: TypedDocumentNode<TData, TVariables>,
    variables?: TVariables,
    options: CallOptions = {},
  ): Promise<GraphQLResult<TData>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const response = await fetchImpl(url, {
      method: 'POST',
      headers,
      credentials,
      body: JSON.stringify({ query: print(document), variables }),
    });
    const body = (await response.json()) as { data?: TData | null; errors?: GraphQLResponseError[] };
    return { status: response.status, headers: response.headers, data: body.data, errors: body.errors };
  }

  return {
    execute,
    /** The operation's data, or a GraphQLRequestError. */
    async request<TData, TVariables>(
      document: TypedDocumentNode<TData, TVariables>,
      variables?: TVariables,
      options?: CallOptions,
    ): Promise<TData> {
      const result = await execute(document, variables, options);
      if (result.errors?.length || !result.data) throw new GraphQLRequestError(result.status, result.errors ?? []);
      return result.data;
    },
  };
}

export type AuthClient = ReturnType<typeof createAuthClient>;
