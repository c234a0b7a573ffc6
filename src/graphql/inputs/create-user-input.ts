import { Field, InputType } from 'type-graphql';

@InputType('CreateUserInput')
export class CreateUserInput {
  @Field(() => String)
  username!: string;

  @Field(() => String)
  password!: string;

  @Field(() => [String], { nullable: true, defaultValue: [] })
  authorities?: string[];
}
