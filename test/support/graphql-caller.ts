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
export type GraphQLCaller = <TData = any>(query: string, options?: CallOptions) => Promise<GraphQLResponse<TData>>;

/** POSTs an operation over real HTTP, as a client would. */
export function createGraphQLCaller(url: string): GraphQLCaller {
  return async (query, options = {}) => {
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
}

export const LOGIN = `mutation Login($input: LoginInput!) {
  login(input: $input) {
    accessToken tokenType expiresIn refreshToken evictedSessions
    session { id createdAt expiresAt lastSeenAt ip userAgent current }
    user { id username authorities disabled }
  }
}`;

export interface LoginData {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly evictedSessions: number;
  readonly session: { readonly id: string; readonly userAgent: string | null };
  readonly user: { readonly id: string; readonly username: string; readonly authorities: string[] };
}

/** Logs in and returns the payload; fails the test with the server's error otherwise. */
export async function login(
  call: GraphQLCaller,
  username: string,
  password: string,
  userAgent = 'jest',
): Promise<LoginData> {
  const response = await call<{ login: LoginData }>(LOGIN, {
    variables: { input: { username, password } },
    headers: { 'user-agent': userAgent },
  });
  if (!response.data?.login) throw new Error(`login failed: ${JSON.stringify(response.errors)}`);
  return response.data.login;
}

export const CREATE_USER = `mutation CreateUser($input: CreateUserInput!) {
  createUser(input: $input) { id username authorities disabled }
}`;
