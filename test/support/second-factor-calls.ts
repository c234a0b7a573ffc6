import type { GraphQLCaller, GraphQLResponse } from './graphql-caller';

export const LOGIN_WITH_CODE = `mutation Login($input: LoginInput!) {
  login(input: $input) { accessToken refreshToken session { id amr } }
}`;
export const REFRESH = `mutation Refresh($refreshToken: String) { refresh(refreshToken: $refreshToken) { accessToken refreshToken session { amr } } }`;
export const ENROLL_TOTP = `mutation { enrollTotp { secret otpauthUrl } }`;
export const CONFIRM_TOTP = `mutation Confirm($code: String!) { confirmTotp(code: $code) }`;
export const DISABLE_TOTP = `mutation Disable($code: String!) { disableTotp(code: $code) }`;
export const SECOND_FACTORS = `{ secondFactors { totpEnabled recoveryCodesLeft passkeys { id name deviceType backedUp } } }`;

/** The claims of a JWT, read without verifying: what a client could see in it. */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function errorOf(response: GraphQLResponse): Record<string, unknown> | undefined {
  return response.errors?.[0]?.extensions;
}

export interface SignIn {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly amr: readonly string[];
}

/** A login that must succeed; the test fails with the server's error otherwise. */
export async function signIn(call: GraphQLCaller, username: string, password: string, otp?: string): Promise<SignIn> {
  const response = await call(LOGIN_WITH_CODE, { variables: { input: { username, password, ...(otp !== undefined && { otp }) } } });
  if (!response.data?.login) throw new Error(`login failed: ${JSON.stringify(response.errors)}`);
  const { accessToken, refreshToken, session } = response.data.login as { accessToken: string; refreshToken: string; session: { amr: string[] } };
  return { accessToken, refreshToken, amr: session.amr };
}
