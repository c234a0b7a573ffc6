import { Field, Int, ObjectType } from 'type-graphql';
import { UserType } from './user-type';

@ObjectType('UserConnection')
export class UserConnection {
  @Field(() => [UserType])
  nodes!: UserType[];

  @Field(() => Int)
  totalCount!: number;

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page.' })
  endCursor!: string | null;

  @Field(() => Boolean)
  hasNextPage!: boolean;
}
