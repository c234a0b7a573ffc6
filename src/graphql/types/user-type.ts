import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { PublicUser } from '@graphql-auth-service/subgraph/users/user';

/** What only the user themself or an administrator may read of an account. */
const SELF_OR_ADMIN = '@auth(ownedBy: "id", anyOf: ["ROLE_ADMIN"])';

@Directive('@key(fields: "id")')
@Directive('@auth')
@ObjectType('User', {
  description:
    'An account. Any signed-in caller may read its id and username; its email address, authorities, status and ' +
    'creation time only the user themself or ROLE_ADMIN. Authorities are plain strings such as ROLE_ADMIN or orders:read.',
})
export class UserType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  username!: string;

  @Field(() => String, { nullable: true, description: 'Lower case; null when the account has none.' })
  @Directive(SELF_OR_ADMIN)
  email!: string | null;

  @Field(() => Boolean, { description: 'Whether the user proved they receive mail at `email`; false without one.' })
  @Directive(SELF_OR_ADMIN)
  emailVerified!: boolean;

  @Field(() => [String])
  @Directive(SELF_OR_ADMIN)
  authorities!: string[];

  @Field(() => Boolean)
  @Directive(SELF_OR_ADMIN)
  disabled!: boolean;

  @Field(() => Date)
  @Directive(SELF_OR_ADMIN)
  createdAt!: Date;

  static from(user: PublicUser): UserType {
    return Object.assign(new UserType(), {
      id: user.id,
      username: user.username,
      email: user.email ?? null,
      emailVerified: user.emailVerified ?? false,
      authorities: [...user.authorities],
      disabled: user.disabled,
      createdAt: new Date(user.createdAt),
    });
  }
}
