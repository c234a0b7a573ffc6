/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    accessToken\n    tokenType\n    expiresIn\n    refreshToken\n    evictedSessions\n    session {\n      id\n      createdAt\n      expiresAt\n      current\n    }\n    user {\n      id\n      username\n      authorities\n    }\n  }\n}": typeof types.LoginDocument,
    "query Me {\n  me {\n    id\n    username\n    authorities\n    disabled\n    createdAt\n  }\n}": typeof types.MeDocument,
    "mutation Refresh($refreshToken: String) {\n  refresh(refreshToken: $refreshToken) {\n    accessToken\n    tokenType\n    expiresIn\n    refreshToken\n    session {\n      id\n      expiresAt\n    }\n  }\n}": typeof types.RefreshDocument,
};
const documents: Documents = {
    "mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    accessToken\n    tokenType\n    expiresIn\n    refreshToken\n    evictedSessions\n    session {\n      id\n      createdAt\n      expiresAt\n      current\n    }\n    user {\n      id\n      username\n      authorities\n    }\n  }\n}": types.LoginDocument,
    "query Me {\n  me {\n    id\n    username\n    authorities\n    disabled\n    createdAt\n  }\n}": types.MeDocument,
    "mutation Refresh($refreshToken: String) {\n  refresh(refreshToken: $refreshToken) {\n    accessToken\n    tokenType\n    expiresIn\n    refreshToken\n    session {\n      id\n      expiresAt\n    }\n  }\n}": types.RefreshDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    accessToken\n    tokenType\n    expiresIn\n    refreshToken\n    evictedSessions\n    session {\n      id\n      createdAt\n      expiresAt\n      current\n    }\n    user {\n      id\n      username\n      authorities\n    }\n  }\n}"): (typeof documents)["mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    accessToken\n    tokenType\n    expiresIn\n    refreshToken\n    evictedSessions\n    session {\n      id\n      createdAt\n      expiresAt\n      current\n    }\n    user {\n      id\n      username\n      authorities\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Me {\n  me {\n    id\n    username\n    authorities\n    disabled\n    createdAt\n  }\n}"): (typeof documents)["query Me {\n  me {\n    id\n    username\n    authorities\n    disabled\n    createdAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Refresh($refreshToken: String) {\n  refresh(refreshToken: $refreshToken) {\n    accessToken\n    tokenType\n    expiresIn\n    refreshToken\n    session {\n      id\n      expiresAt\n    }\n  }\n}"): (typeof documents)["mutation Refresh($refreshToken: String) {\n  refresh(refreshToken: $refreshToken) {\n    accessToken\n    tokenType\n    expiresIn\n    refreshToken\n    session {\n      id\n      expiresAt\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;