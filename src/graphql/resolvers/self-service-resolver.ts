import { Arg, Ctx, Directive, Mutation, Resolver } from 'type-graphql';
import type { SelfService } from '../../accounts/self-service';
import { type GraphQLContext, requirePrincipal } from '../context';
import { SignUpInput } from '../inputs/sign-up-input';

/** Accounts people manage themselves, through mailed links: sign-up, verification, reset, a new address, invitations. */
@Resolver()
export class SelfServiceResolver {
  constructor(private readonly selfService: SelfService) {}

  @Mutation(() => Boolean, {
    description:
      'Creates an account (SIGNUP_POLICY open, or invite with an invitation) and mails a link to verify its address. ' +
      'True means "check your mail", also when the address already has an account: its owner is told instead.',
  })
  signUp(@Arg('input', () => SignUpInput) input: SignUpInput, @Ctx() context: GraphQLContext): Promise<boolean> {
    return this.selfService.signUp(
      { username: input.username, email: input.email, password: input.password, inviteToken: input.inviteToken ?? undefined },
      context.request.ip,
    );
  }

  @Mutation(() => Boolean, { description: "Follows a mailed verification link: verifies the account's address, or makes a new one the account's." })
  verifyEmail(@Arg('token', () => String) token: string): Promise<boolean> {
    return this.selfService.verifyEmail(token);
  }

  @Mutation(() => Boolean, { description: 'Always true; mails a new link only to an address with an account not yet verified.' })
  resendVerificationEmail(@Arg('email', () => String) email: string, @Ctx() context: GraphQLContext): Promise<boolean> {
    return this.selfService.resendVerificationEmail(email, context.request.ip);
  }

  @Mutation(() => Boolean, { description: 'Always true; mails a reset link only to an address with an account.' })
  requestPasswordReset(@Arg('email', () => String) email: string, @Ctx() context: GraphQLContext): Promise<boolean> {
    return this.selfService.requestPasswordReset(email, context.request.ip);
  }

  @Mutation(() => Boolean, { description: 'Sets a new password with a mailed reset link (single use); every session of the account is revoked.' })
  resetPassword(@Arg('token', () => String) token: string, @Arg('newPassword', () => String) newPassword: string): Promise<boolean> {
    return this.selfService.resetPassword(token, newPassword);
  }

  @Mutation(() => Boolean, {
    description: 'Mails a link to the new address; the account keeps its current address until the link is followed (verifyEmail).',
  })
  @Directive('@auth')
  changeEmail(
    @Arg('newEmail', () => String) newEmail: string,
    @Arg('currentPassword', () => String) currentPassword: string,
    @Ctx() context: GraphQLContext,
  ): Promise<boolean> {
    return this.selfService.changeEmail(requirePrincipal(context).userId, newEmail, currentPassword, context.request.ip);
  }

  @Mutation(() => Boolean, { description: 'Mails a single-use invitation to sign up with this address and these authorities.' })
  @Directive('@auth(requires: ["ROLE_ADMIN"])')
  inviteUser(
    @Arg('email', () => String) email: string,
    @Arg('authorities', () => [String], { nullable: true, defaultValue: [] }) authorities: string[],
    @Ctx() context: GraphQLContext,
  ): Promise<boolean> {
    return this.selfService.inviteUser(email, authorities, requirePrincipal(context).userId);
  }
}
