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
    "mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input)\n}\n\nmutation VerifyEmail($token: String!) {\n  verifyEmail(token: $token)\n}\n\nmutation ResendVerificationEmail($email: String!) {\n  resendVerificationEmail(email: $email)\n}\n\nmutation RequestPasswordReset($email: String!) {\n  requestPasswordReset(email: $email)\n}\n\nmutation ResetPassword($token: String!, $newPassword: String!) {\n  resetPassword(token: $token, newPassword: $newPassword)\n}\n\nmutation ChangeEmail($newEmail: String!, $currentPassword: String!) {\n  changeEmail(newEmail: $newEmail, currentPassword: $currentPassword)\n}\n\nmutation InviteUser($email: String!, $authorities: [String!]) {\n  inviteUser(email: $email, authorities: $authorities)\n}": typeof types.SignUpDocument,
    "query User($id: ID!) {\n  user(id: $id) {\n    id\n    username\n    email\n    emailVerified\n    authorities\n    disabled\n    createdAt\n  }\n}\n\nquery Users($first: Int, $after: String) {\n  users(first: $first, after: $after) {\n    totalCount\n    endCursor\n    hasNextPage\n    nodes {\n      id\n      username\n      email\n      emailVerified\n      authorities\n      disabled\n      createdAt\n    }\n  }\n}\n\nmutation CreateUser($input: CreateUserInput!) {\n  createUser(input: $input) {\n    id\n    username\n    authorities\n    disabled\n  }\n}\n\nmutation SetAuthorities($userId: ID!, $authorities: [String!]!) {\n  setAuthorities(userId: $userId, authorities: $authorities) {\n    id\n    authorities\n  }\n}\n\nmutation SetUserDisabled($userId: ID!, $disabled: Boolean!) {\n  setUserDisabled(userId: $userId, disabled: $disabled) {\n    id\n    disabled\n  }\n}\n\nmutation ForceLogout($userId: ID!) {\n  forceLogout(userId: $userId)\n}": typeof types.UserDocument,
    "mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    accessToken\n    tokenType\n    expiresIn\n    refreshToken\n    evictedSessions\n    session {\n      id\n      createdAt\n      expiresAt\n      lastSeenAt\n      ip\n      userAgent\n      current\n    }\n    user {\n      id\n      username\n      authorities\n      disabled\n    }\n  }\n}": typeof types.LoginDocument,
    "mutation Logout {\n  logout\n}\n\nmutation LogoutAll($keepCurrent: Boolean) {\n  logoutAll(keepCurrent: $keepCurrent)\n}": typeof types.LogoutDocument,
    "query Me {\n  me {\n    id\n    username\n    authorities\n    disabled\n    createdAt\n  }\n}": typeof types.MeDocument,
    "mutation Refresh($refreshToken: String) {\n  refresh(refreshToken: $refreshToken) {\n    accessToken\n    tokenType\n    expiresIn\n    refreshToken\n    session {\n      id\n      expiresAt\n    }\n  }\n}": typeof types.RefreshDocument,
    "query Sessions {\n  sessions {\n    id\n    createdAt\n    expiresAt\n    lastSeenAt\n    ip\n    userAgent\n    current\n  }\n}\n\nmutation RevokeSession($id: ID!) {\n  revokeSession(id: $id)\n}\n\nmutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n}": typeof types.SessionsDocument,
};
const documents: Documents = {
    "mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input)\n}\n\nmutation VerifyEmail($token: String!) {\n  verifyEmail(token: $token)\n}\n\nmutation ResendVerificationEmail($email: String!) {\n  resendVerificationEmail(email: $email)\n}\n\nmutation RequestPasswordReset($email: String!) {\n  requestPasswordReset(email: $email)\n}\n\nmutation ResetPassword($token: String!, $newPassword: String!) {\n  resetPassword(token: $token, newPassword: $newPassword)\n}\n\nmutation ChangeEmail($newEmail: String!, $currentPassword: String!) {\n  changeEmail(newEmail: $newEmail, currentPassword: $currentPassword)\n}\n\nmutation InviteUser($email: String!, $authorities: [String!]) {\n  inviteUser(email: $email, authorities: $authorities)\n}": types.SignUpDocument,
    "query User($id: ID!) {\n  user(id: $id) {\n    id\n    username\n    email\n    emailVerified\n    authorities\n    disabled\n    createdAt\n  }\n}\n\nquery Users($first: Int, $after: String) {\n  users(first: $first, after: $after) {\n    totalCount\n    endCursor\n    hasNextPage\n    nodes {\n      id\n      username\n      email\n      emailVerified\n      authorities\n      disabled\n      createdAt\n    }\n  }\n}\n\nmutation CreateUser($input: CreateUserInput!) {\n  createUser(input: $input) {\n    id\n    username\n    authorities\n    disabled\n  }\n}\n\nmutation SetAuthorities($userId: ID!, $authorities: [String!]!) {\n  setAuthorities(userId: $userId, authorities: $authorities) {\n    id\n    authorities\n  }\n}\n\nmutation SetUserDisabled($userId: ID!, $disabled: Boolean!) {\n  setUserDisabled(userId: $userId, disabled: $disabled) {\n    id\n    disabled\n  }\n}\n\nmutation ForceLogout($userId: ID!) {\n  forceLogout(userId: $userId)\n}": types.UserDocument,
    "mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    accessToken\n    tokenType\n    expiresIn\n    refreshToken\n    evictedSessions\n    session {\n      id\n      createdAt\n      expiresAt\n      lastSeenAt\n      ip\n      userAgent\n      current\n    }\n    user {\n      id\n      username\n      authorities\n      disabled\n    }\n  }\n}": types.LoginDocument,
    "mutation Logout {\n  logout\n}\n\nmutation LogoutAll($keepCurrent: Boolean) {\n  logoutAll(keepCurrent: $keepCurrent)\n}": types.LogoutDocument,
    "query Me {\n  me {\n    id\n    username\n    authorities\n    disabled\n    createdAt\n  }\n}": types.MeDocument,
    "mutation Refresh($refreshToken: String) {\n  refresh(refreshToken: $refreshToken) {\n    accessToken\n    tokenType\n    expiresIn\n    refreshToken\n    session {\n      id\n      expiresAt\n    }\n  }\n}": types.RefreshDocument,
    "query Sessions {\n  sessions {\n    id\n    createdAt\n    expiresAt\n    lastSeenAt\n    ip\n    userAgent\n    current\n  }\n}\n\nmutation RevokeSession($id: ID!) {\n  revokeSession(id: $id)\n}\n\nmutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n}": types.SessionsDocument,
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
export function graphql(source: "mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input)\n}\n\nmutation VerifyEmail($token: String!) {\n  verifyEmail(token: $token)\n}\n\nmutation ResendVerificationEmail($email: String!) {\n  resendVerificationEmail(email: $email)\n}\n\nmutation RequestPasswordReset($email: String!) {\n  requestPasswordReset(email: $email)\n}\n\nmutation ResetPassword($token: String!, $newPassword: String!) {\n  resetPassword(token: $token, newPassword: $newPassword)\n}\n\nmutation ChangeEmail($newEmail: String!, $currentPassword: String!) {\n  changeEmail(newEmail: $newEmail, currentPassword: $currentPassword)\n}\n\nmutation InviteUser($email: String!, $authorities: [String!]) {\n  inviteUser(email: $email, authorities: $authorities)\n}"): (typeof documents)["mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input)\n}\n\nmutation VerifyEmail($token: String!) {\n  verifyEmail(token: $token)\n}\n\nmutation ResendVerificationEmail($email: String!) {\n  resendVerificationEmail(email: $email)\n}\n\nmutation RequestPasswordReset($email: String!) {\n  requestPasswordReset(email: $email)\n}\n\nmutation ResetPassword($token: String!, $newPassword: String!) {\n  resetPassword(token: $token, newPassword: $newPassword)\n}\n\nmutation ChangeEmail($newEmail: String!, $currentPassword: String!) {\n  changeEmail(newEmail: $newEmail, currentPassword: $currentPassword)\n}\n\nmutation InviteUser($email: String!, $authorities: [String!]) {\n  inviteUser(email: $email, authorities: $authorities)\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query User($id: ID!) {\n  user(id: $id) {\n    id\n    username\n    email\n    emailVerified\n    authorities\n    disabled\n    createdAt\n  }\n}\n\nquery Users($first: Int, $after: String) {\n  users(first: $first, after: $after) {\n    totalCount\n    endCursor\n    hasNextPage\n    nodes {\n      id\n      username\n      email\n      emailVerified\n      authorities\n      disabled\n      createdAt\n    }\n  }\n}\n\nmutation CreateUser($input: CreateUserInput!) {\n  createUser(input: $input) {\n    id\n    username\n    authorities\n    disabled\n  }\n}\n\nmutation SetAuthorities($userId: ID!, $authorities: [String!]!) {\n  setAuthorities(userId: $userId, authorities: $authorities) {\n    id\n    authorities\n  }\n}\n\nmutation SetUserDisabled($userId: ID!, $disabled: Boolean!) {\n  setUserDisabled(userId: $userId, disabled: $disabled) {\n    id\n    disabled\n  }\n}\n\nmutation ForceLogout($userId: ID!) {\n  forceLogout(userId: $userId)\n}"): (typeof documents)["query User($id: ID!) {\n  user(id: $id) {\n    id\n    username\n    email\n    emailVerified\n    authorities\n    disabled\n    createdAt\n  }\n}\n\nquery Users($first: Int, $after: String) {\n  users(first: $first, after: $after) {\n    totalCount\n    endCursor\n    hasNextPage\n    nodes {\n      id\n      username\n      email\n      emailVerified\n      authorities\n      disabled\n      createdAt\n    }\n  }\n}\n\nmutation CreateUser($input: CreateUserInput!) {\n  createUser(input: $input) {\n    id\n    username\n    authorities\n    disabled\n  }\n}\n\nmutation SetAuthorities($userId: ID!, $authorities: [String!]!) {\n  setAuthorities(userId: $userId, authorities: $authorities) {\n    id\n    authorities\n  }\n}\n\nmutation SetUserDisabled($userId: ID!, $disabled: Boolean!) {\n  setUserDisabled(userId: $userId, disabled: $disabled) {\n    id\n    disabled\n  }\n}\n\nmutation ForceLogout($userId: ID!) {\n  forceLogout(userId: $userId)\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    accessToken\n    tokenType\n    expiresIn\n    refreshToken\n    evictedSessions\n    session {\n      id\n      createdAt\n      expiresAt\n      lastSeenAt\n      ip\n      userAgent\n      current\n    }\n    user {\n      id\n      username\n      authorities\n      disabled\n    }\n  }\n}"): (typeof documents)["mutation Login($input: LoginInput!) {\n  login(input: $input) {\n    accessToken\n    tokenType\n    expiresIn\n    refreshToken\n    evictedSessions\n    session {\n      id\n      createdAt\n      expiresAt\n      lastSeenAt\n      ip\n      userAgent\n      current\n    }\n    user {\n      id\n      username\n      authorities\n      disabled\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Logout {\n  logout\n}\n\nmutation LogoutAll($keepCurrent: Boolean) {\n  logoutAll(keepCurrent: $keepCurrent)\n}"): (typeof documents)["mutation Logout {\n  logout\n}\n\nmutation LogoutAll($keepCurrent: Boolean) {\n  logoutAll(keepCurrent: $keepCurrent)\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Me {\n  me {\n    id\n    username\n    authorities\n    disabled\n    createdAt\n  }\n}"): (typeof documents)["query Me {\n  me {\n    id\n    username\n    authorities\n    disabled\n    createdAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Refresh($refreshToken: String) {\n  refresh(refreshToken: $refreshToken) {\n    accessToken\n    tokenType\n    expiresIn\n    refreshToken\n    session {\n      id\n      expiresAt\n    }\n  }\n}"): (typeof documents)["mutation Refresh($refreshToken: String) {\n  refresh(refreshToken: $refreshToken) {\n    accessToken\n    tokenType\n    expiresIn\n    refreshToken\n    session {\n      id\n      expiresAt\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Sessions {\n  sessions {\n    id\n    createdAt\n    expiresAt\n    lastSeenAt\n    ip\n    userAgent\n    current\n  }\n}\n\nmutation RevokeSession($id: ID!) {\n  revokeSession(id: $id)\n}\n\nmutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n}"): (typeof documents)["query Sessions {\n  sessions {\n    id\n    createdAt\n    expiresAt\n    lastSeenAt\n    ip\n    userAgent\n    current\n  }\n}\n\nmutation RevokeSession($id: ID!) {\n  revokeSession(id: $id)\n}\n\nmutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;