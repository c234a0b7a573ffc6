import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { SecondFactorRecord, StoredPasskey } from '../../second-factors/second-factor-store';

@ObjectType('TotpEnrollment', { description: 'An authenticator app being set up: scan `otpauthUrl` as a QR code, or type `secret`.' })
export class TotpEnrollmentType {
  @Field(() => String, { description: 'The shared secret in base32.' })
  secret!: string;

  @Field(() => String, { description: 'The otpauth:// URL authenticator apps read from a QR code.' })
  otpauthUrl!: string;
}

@ObjectType('Passkey', { description: "One of the caller's passkeys: what the server holds of it is a public key, nothing secret." })
export class PasskeyType {
  @Field(() => ID, { description: 'The credential id (base64url).' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'The name its owner gave it.' })
  name!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => String, { description: '`singleDevice` (bound to one authenticator: amr `hwk`) or `multiDevice` (synced: amr `swk`).' })
  deviceType!: string;

  @Field(() => Boolean, { description: 'Whether the authenticator reports it backed up (synced).' })
  backedUp!: boolean;

  static from(passkey: StoredPasskey): PasskeyType {
    return Object.assign(new PasskeyType(), {
      id: passkey.id,
      name: passkey.name ?? null,
      createdAt: new Date(passkey.createdAt),
      lastUsedAt: passkey.lastUsedAt === undefined ? null : new Date(passkey.lastUsedAt),
      deviceType: passkey.deviceType,
      backedUp: passkey.backedUp,
    });
  }
}

@ObjectType('SecondFactors', { description: "The caller's second factors." })
export class SecondFactorsType {
  @Field(() => Boolean, { description: 'An authenticator app is set up (and confirmed).' })
  totpEnabled!: boolean;

  @Field(() => Int, { description: 'Unspent recovery codes.' })
  recoveryCodesLeft!: number;

  @Field(() => [PasskeyType], { description: 'Oldest first.' })
  passkeys!: PasskeyType[];

  static from(factors: SecondFactorRecord): SecondFactorsType {
    return Object.assign(new SecondFactorsType(), {
      totpEnabled: factors.totp !== undefined,
      recoveryCodesLeft: factors.recoveryCodesLeft,
      passkeys: factors.passkeys.map((passkey) => PasskeyType.from(passkey)),
    });
  }
}
