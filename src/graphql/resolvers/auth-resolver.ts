import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Directive, Info, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Login } from '../../auth/login';
import type { Refresh } from '../../auth/refresh';
import type { SessionService } from '../../sessions/session-service';
import type { AccountService } from '../../users/account-service';
import { type GraphQLContext, requirePrincipal } from '../context';
import { LoginInput } from '../inputs/login-input';
import { createSelectionCheck } from '../selection';
import { AuthPayload } from '../types/auth-payload';
import { UserType } from '../types/user-type';

/** Fields of User that the session check does not read with the account (see AccountStatus). */
const asksBeyondSessionCheck = createSelectionCheck(new Set(['email', 'emailVerified']));

export interface AuthResolverDeps {
  readonly login: Login;
  readonly refresh: Refresh;
  readonly accounts: AccountService;
  readonly sessions: SessionService;
}

/** The caller's own identity: log in, who am I, log out, change password. */
@Resolver()
export class AuthResolver {
  constructor(private readonly deps: AuthResolverDeps) {}

  @Query(() => UserType, { nullable: true, description: 'The caller; null when anonymous.' })
  async me(@Ctx() context: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<UserType | null> {
    const { principal } = context;
    if (!principal) return null;
    // Read with the session check, in the same round trip: no second read on the hot path.
    // The address is not read there, which would cost every request of every subgraph; asking for it reads the record.
    if (principal.account && !asksBeyondSessionCheck(info)) {
      return UserType.from({ id: principal.userId, ...principal.account });
    }
    const user = await this.deps.accounts.findById(principal.userId);
    return user ? UserType.from(user) : null;
  }

  @Mutation(() => AuthPayload)
  async login(@Arg('input', () => LoginInput) input: LoginInput, @Ctx() context: GraphQLContext): Promise<AuthPayload> {
    const result = await this.deps.login({ username: input.username, password: input.password, otp: input.otp ?? undefined }, context.request);
    return AuthPayload.from(result, context.refreshTokens.deliver(result.refreshToken, result.session.expiresAt));
  }

  @Mutation(() => AuthPayload, {
    description:
      'Trades a refresh token for a new access token and a new refresh token; the old one stops working. ' +
      'Reusing an old one ends the session. Send it without an Authorization header: the access token may have expired.',
  })
  async refresh(
    @Arg('refreshToken', () => String, { nullable: true }) refreshToken: string | null,
    @Ctx() context: GraphQLContext,
  ): Promise<AuthPayload> {
    const result = await this.deps.refresh(context.refreshTokens.presented(refreshToken));
    return AuthPayload.from(result, context.refreshTokens.deliver(result.refreshToken, result.session.expiresAt));
  }

  @Mutation(() => Boolean, { description: "Revokes the caller's current session." })
  @Directive('@auth')
  async logout(@Ctx() context: GraphQLContext): Promise<boolean> {
    const { userId, sessionId } = requirePrincipal(context);
    context.refreshTokens.clear();
    return this.deps.sessions.logout(userId, sessionId);
  }

  @Mutation(() => Int, { description: "Revokes the caller's sessions; returns how many were revoked." })
  @Directive('@auth')
  async logoutAll(
    @Arg('keepCurrent', () => Boolean, { nullable: true, defaultValue: false }) keepCurrent: boolean,
    @Ctx() context: GraphQLContext,
  ): Promise<number> {
    const { userId, sessionId } = requirePrincipal(context);
    if (!keepCurrent) context.refreshTokens.clear();
    return this.deps.sessions.logoutAll(userId, keepCurrent ? sessionId : undefined);
  }

  @Mutation(() => Boolean, { description: 'Keeps the current session and revokes every other one.' })
  @Directive('@auth')
  async changePassword(
    @Arg('currentPassword', () => String) currentPassword: string,
    @Arg('newPassword', () => String) newPassword: string,
    @Ctx() context: GraphQLContext,
  ): Promise<boolean> {
    const { userId, sessionId } = requirePrincipal(context);
    await this.deps.accounts.changePassword(userId, sessionId, currentPassword, newPassword, context.request.ip);
    return true;
  }
}
