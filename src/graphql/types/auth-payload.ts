import { Field, Int, ObjectType } from 'type-graphql';
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

  @Field(() => String, { nullable: true, description: 'Null until refresh tokens are enabled.' })
  refreshToken!: string | null;

  @Field(() => SessionType)
  session!: SessionType;

  @Field(() => UserType)
  user!: UserType;

  @Field(() => Int, { description: 'How many of the oldest sessions this login ended to stay within the cap.' })
  evictedSessions!: number;
}
