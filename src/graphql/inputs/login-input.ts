import { Field, InputType } from 'type-graphql';

@InputType('LoginInput')
export class LoginInput {
  @Field(() => String)
  username!: string;

  @Field(() => String)
  password!: string;

  @Field(() => String, {
    nullable: true,
    description: 'A code of the account\'s authenticator app, or one of its recovery codes: needed when the account has a second factor (else MFA_REQUIRED).',
  })
  otp?: string | null;
}
