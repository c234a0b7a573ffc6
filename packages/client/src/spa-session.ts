import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type AuthClient, GraphQLRequestError } from './auth-client';
import { RefreshDocument } from './generated/graphql';

/**
 * The SPA flow of docs/spa.md: the access token lives in memory only; on a 401 the session
 * refreshes once (the refresh cookie travels by itself in cookie mode) and retries.
 * Concurrent 401s share one refresh: a second refresh with the same token would look
 * like theft and end the session.
 */
export function createSpaSession(client: AuthClient) {
  let accessToken: string | undefined;
  let refreshing: Promise<void> | undefined;

  async function refresh(): Promise<void> {
    refreshing ??= client
      .request(RefreshDocument, {})
      .then((data) => {
        accessToken = data.refresh.accessToken;
      })
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  }

  return {
    signIn(token: string): void {
      accessToken = token;
    },
    signOut(): void {
      accessToken = undefined;
    },
    get accessToken(): string | undefined {
      return accessToken;
    },
    async request<TData, TVariables>(document: TypedDocumentNode<TData, TVariables>, variables?: TVariables): Promise<TData> {
      try {
        return await client.request(document, variables, { token: accessToken });
      } catch (error) {
        if (!(error instanceof GraphQLRequestError) || error.status !== 401) throw error;
        await refresh();
        return client.request(document, variables, { token: accessToken });
      }
    },
  };
}
