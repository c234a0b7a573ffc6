import { JSONResolver } from 'graphql-scalars';
import { Arg, Ctx, Directive, ID, Mutation, Resolver } from 'type-graphql';
import type { PasskeyLogin } from '../../auth/passkey-login';
import type { PasskeyAssertion } from '../../second-factors/passkey-assertion';
import type { PasskeyRegistration } from '../../second-factors/passkey-registration';
import { type GraphQLContext, requirePrincipal } from '../context';
import { AuthPayload } from '../types/auth-payload';

export interface PasskeyResolverDeps {
  readonly registration: PasskeyRegistration;
  readonly assertion: Pick<PasskeyAssertion, 'options'>;
  readonly login: PasskeyLogin;
}

/** Passkeys (WebAuthn): made and removed by their owner, and a sign-in without a password. */
@Resolver()
export class PasskeyResolver {
  constructor(private readonly deps: PasskeyResolverDeps) {}

  @Mutation(() => JSONResolver, {
    description:
      "WebAuthn PublicKeyCredentialCreationOptionsJSON for navigator.credentials.create: a new passkey for the caller's account, " +
      'discoverable and with user verification. Needs a recent sign-in, and a second factor in the session when the account already has one.',
  })
  @Directive('@auth')
  passkeyRegistrationOptions(@Ctx() context: GraphQLContext): Promise<unknown> {
    return this.deps.registration.options(requirePrincipal(context));
  }

  @Mutation(() => Boolean, { description: 'Adds the passkey the browser made (RegistrationResponseJSON) to the caller\'s account; `name` tells it apart in lists.' })
  @Directive('@auth')
  async registerPasskey(
    @Arg('response', () => JSONResolver) response: unknown,
    @Arg('name', () => String, { nullable: true }) name: string | null,
    @Ctx() context: GraphQLContext,
  ): Promise<boolean> {
    await this.deps.registration.register(requirePrincipal(context), response, name ?? undefined);
    return true;
  }

  @Mutation(() => Boolean, { description: "Removes one of the caller's passkeys; false when the caller has none with that id." })
  @Directive('@auth')
  removePasskey(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<boolean> {
    return this.deps.registration.remove(requirePrincipal(context), id);
  }

  @Mutation(() => JSONResolver, {
    description:
      'WebAuthn PublicKeyCredentialRequestOptionsJSON for navigator.credentials.get, to sign in with a passkey. ' +
      'The same for every account; with `username`, only that account\'s passkey is then accepted.',
  })
  passkeyLoginOptions(@Arg('username', () => String, { nullable: true }) username: string | null): Promise<unknown> {
    return this.deps.assertion.options(username ?? undefined);
  }

  @Mutation(() => AuthPayload, { description: 'Signs in with the passkey the browser used (AuthenticationResponseJSON): a session whose amr is hwk or swk.' })
  async loginWithPasskey(@Arg('response', () => JSONResolver) response: unknown, @Ctx() context: GraphQLContext): Promise<AuthPayload> {
    const result = await this.deps.login(response, context.request);
    return AuthPayload.from(result, context.refreshTokens.deliver(result.refreshToken, result.session.expiresAt));
  }
}
