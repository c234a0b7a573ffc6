import { print } from 'graphql';
import { createAuthClient, LoginDocument, type LoginMutation } from '@graphql-auth-service/client';
export interface GraphQLErrorBody {
  readonly message: string;
  readonly extensions?: { readonly code?: string; readonly [key: string]: unknown };
  readonly path?: readonly (string | number)[];
}

export interface GraphQLResponse<TData = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly data?: TData | null;
  readonly errors?: readonly GraphQLErrorBody[];
}

export interface CallOptions {
  readonly variables?: Record<string, unknown>;
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read response data by path
export type GraphQLCaller = (<TData = any>(query: string, options?: CallOptions) => Promise<GraphQLResponse<TData>>) & {
  readonly url: string;
};

/** POSTs an operation over real HTTP, as a client would. */
export function createGraphQLCaller(url: string): GraphQLCaller {
  const call = async <TData>(query: string, options: CallOptions = {}): Promise<GraphQLResponse<TData>> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables: options.variables }),
    });
    const body = (await response.json()) as { data?: never; errors?: GraphQLErrorBody[] };
    return { status: response.status, headers: response.headers, data: body.data, errors: body.errors };
  };
  return Object.assign(call, { url });
}

/** The SPA's own Login operation, as generated from packages/client/operations by codegen.yml. */
export const LOGIN = print(LoginDocument);

export type LoginData = LoginMutation['login'];

/**
 * Logs in through the generated, typed client, as an SPA would; fails the test with
 * the server's error otherwise. A schema change that breaks the SPA's Login breaks this.
 */
export async function login(
  call: GraphQLCaller,
  username: string,
  password: string,
  userAgent = 'jest',
): Promise<LoginData> {
  const data = await createAuthClient({ url: call.url }).request(
    LoginDocument,
    { input: { username, password } },
    { headers: { 'user-agent': userAgent } },
  );
  return data.login;
}

export const CREATE_USER = `mutation CreateUser($input: CreateUserInput!) {
  createUser(input: $input) { id username authorities disabled }
}`;

/** The refresh token of a body-mode login (null only in cookie mode). */
export function refreshTokenOf(payload: LoginData): string {
  if (!payload.refreshToken) throw new Error('expected the refresh token in the body (cookie mode is off)');
  return payload.refreshToken;
}
