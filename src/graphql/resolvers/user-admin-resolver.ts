import { Arg, Directive, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { AccountService } from '../../users/account-service';
import { CreateUserInput } from '../inputs/create-user-input';
import { UserConnection } from '../types/user-connection';
import { UserType } from '../types/user-type';

const ADMIN = '@auth(requires: ["ROLE_ADMIN"])';

/** Administration of accounts: everything here requires ROLE_ADMIN. */
@Resolver(() => UserType)
export class UserAdminResolver {
  constructor(private readonly accounts: AccountService) {}

  @Query(() => UserType, { nullable: true })
  @Directive(ADMIN)
  async user(@Arg('id', () => ID) id: string): Promise<UserType | null> {
    const user = await this.accounts.findById(id);
    return user ? UserType.from(user) : null;
  }

  @Query(() => UserConnection, { description: 'Users oldest first.' })
  @Directive(ADMIN)
  async users(
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<UserConnection> {
    const page = await this.accounts.list(first, after ?? undefined);
    return Object.assign(new UserConnection(), { ...page, nodes: page.nodes.map((user) => UserType.from(user)) });
  }

  @Mutation(() => UserType)
  @Directive(ADMIN)
  async createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput): Promise<UserType> {
    return UserType.from(await this.accounts.create(input));
  }

  @Mutation(() => UserType, { description: 'Replaces the authorities; live tokens see the change on their next request.' })
  @Directive(ADMIN)
  async setAuthorities(
    @Arg('userId', () => ID) userId: string,
    @Arg('authorities', () => [String]) authorities: string[],
  ): Promise<UserType> {
    return UserType.from(await this.accounts.setAuthorities(userId, authorities));
  }

  @Mutation(() => UserType, { description: 'Disabling also revokes every session of the user.' })
  @Directive(ADMIN)
  async setUserDisabled(
    @Arg('userId', () => ID) userId: string,
    @Arg('disabled', () => Boolean) disabled: boolean,
  ): Promise<UserType> {
    return UserType.from(await this.accounts.setDisabled(userId, disabled));
  }

  @Mutation(() => Int, { description: 'Revokes every session of the user; returns how many.' })
  @Directive(ADMIN)
  async forceLogout(@Arg('userId', () => ID) userId: string): Promise<number> {
    return this.accounts.forceLogout(userId);
  }
}
