import { Arg, Ctx, Directive, Mutation, Query, Resolver } from 'type-graphql';
import type { AuthenticatorApp } from '../../second-factors/authenticator-app';
import type { SecondFactorStore } from '../../second-factors/second-factor-store';
import { type GraphQLContext, requirePrincipal } from '../context';
import { SecondFactorsType, TotpEnrollmentType } from '../types/second-factor-types';

export interface SecondFactorResolverDeps {
  readonly authenticatorApp: AuthenticatorApp;
  readonly store: Pick<SecondFactorStore, 'read'>;
}

/** The caller's second factors: what they have, and an authenticator app set up or turned off. */
@Resolver()
export class SecondFactorResolver {
  constructor(private readonly deps: SecondFactorResolverDeps) {}

  @Query(() => SecondFactorsType, { description: "The caller's authenticator app, recovery codes and passkeys." })
  @Directive('@auth')
  async secondFactors(@Ctx() context: GraphQLContext): Promise<SecondFactorsType> {
    return SecondFactorsType.from(await this.deps.store.read(requirePrincipal(context).userId));
  }

  @Mutation(() => TotpEnrollmentType, {
    description:
      'Starts setting up an authenticator app: a new secret, pending until confirmTotp (for 10 minutes). ' +
      'Needs a recent sign-in, and a second factor in the session when the account already has one.',
  })
  @Directive('@auth')
  async enrollTotp(@Ctx() context: GraphQLContext): Promise<TotpEnrollmentType> {
    return Object.assign(new TotpEnrollmentType(), await this.deps.authenticatorApp.enroll(requirePrincipal(context)));
  }

  @Mutation(() => [String], {
    description: 'Turns the pending authenticator app on with a code from it; answers 10 single-use recovery codes, shown only this once.',
  })
  @Directive('@auth')
  confirmTotp(@Arg('code', () => String) code: string, @Ctx() context: GraphQLContext): Promise<string[]> {
    return this.deps.authenticatorApp.confirm(requirePrincipal(context), code, context.request.ip);
  }

  @Mutation(() => Boolean, { description: 'Turns the authenticator app (and its recovery codes) off; needs a code from it or a recovery code.' })
  @Directive('@auth')
  async disableTotp(@Arg('code', () => String) code: string, @Ctx() context: GraphQLContext): Promise<boolean> {
    await this.deps.authenticatorApp.disable(requirePrincipal(context), code, context.request.ip);
    return true;
  }
}
