import { Field, Int, ObjectType } from 'type-graphql';
import type { AuthResult } from '../../auth/auth-result';
import { viewedBy } from '@graphql-auth-service/subgraph/auth/directive/viewed-by';
import { SessionType } from './session-type';
import { UserType } from './user-type';

@ObjectType('AuthPayload')
export class AuthPayload {
  @Field(() => String)
  accessToken!: string;

  @Field(() => String, { description: 'Always "Bearer".' })
  tokenType!: string;

  @Field(() => Int, { description: 'Seconds until the access token expires.' })
  expiresIn!: number;

  @Field(() => String, { nullable: true, description: 'Opaque and single use: trade it for a new pair with `refresh`.' })
  refreshToken!: string | null;

  @Field(() => SessionType)
  session!: SessionType;

  @Field(() => UserType)
  user!: UserType;

  @Field(() => Int, { description: 'How many of the oldest sessions this login ended to stay within the cap.' })
  evictedSessions!: number;

  /** `refreshToken`: what the body carries, null when it travels as a cookie. */
  static from(result: AuthResult, refreshToken: string | null): AuthPayload {
    return Object.assign(new AuthPayload(), {
      accessToken: result.accessToken,
      tokenType: 'Bearer',
      expiresIn: result.expiresInSeconds,
      refreshToken,
      session: SessionType.from(result.session, result.session.id),
      // The request came in anonymous; its payload is the account that just proved who it is.
      user: viewedBy(UserType.from(result.user), {
        userId: result.user.id,
        sessionId: result.session.id,
        authorities: result.user.authorities,
        amr: result.session.amr ?? [],
        authenticatedAt: result.session.createdAt,
      }),
      evictedSessions: result.evictedSessions,
    });
  }
}
