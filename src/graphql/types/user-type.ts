import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { PublicUser } from '../../users/user';

@Directive('@key(fields: "id")')
@ObjectType('User', { description: 'An account. Authorities are plain strings such as ROLE_ADMIN or orders:read.' })
export class UserType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  username!: string;

  @Field(() => [String])
  authorities!: string[];

  @Field(() => Boolean)
  disabled!: boolean;

  @Field(() => Date)
  createdAt!: Date;

  static from(user: PublicUser): UserType {
    return Object.assign(new UserType(), {
      id: user.id,
      username: user.username,
      authorities: [...user.authorities],
      disabled: user.disabled,
      createdAt: new Date(user.createdAt),
    });
  }
}
