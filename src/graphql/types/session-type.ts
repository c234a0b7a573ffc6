import { Field, ID, ObjectType } from 'type-graphql';
import type { SessionRecord } from '@graphql-auth-service/subgraph/sessions/session';

@ObjectType('Session', { description: 'One login of a user: what the session store holds, never the token.' })
export class SessionType {
  @Field(() => ID)
  id!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => Date, { description: 'Updated at most about once a minute.' })
  lastSeenAt!: Date;

  @Field(() => String, { nullable: true })
  ip!: string | null;

  @Field(() => String, { nullable: true })
  userAgent!: string | null;

  @Field(() => Boolean, { description: 'True for the session of the token that made this request.' })
  current!: boolean;

  @Field(() => [String], {
    description: 'How the user signed in (RFC 8176): `pwd` a password, `otp` a one-time or recovery code, `hwk` / `swk` a passkey.',
  })
  amr!: string[];

  static from(session: SessionRecord, currentSessionId: string | undefined): SessionType {
    return Object.assign(new SessionType(), {
      id: session.id,
      createdAt: new Date(session.createdAt),
      expiresAt: new Date(session.expiresAt),
      lastSeenAt: new Date(session.lastSeenAt),
      ip: session.ip ?? null,
      userAgent: session.userAgent ?? null,
      current: session.id === currentSessionId,
      amr: [...(session.amr ?? [])],
    });
  }
}
