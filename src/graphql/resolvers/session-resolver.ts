import { Arg, Ctx, Directive, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { SessionService } from '../../sessions/session-service';
import { type GraphQLContext, requirePrincipal } from '../context';
import { SessionType } from '../types/session-type';

/** The caller's own sessions. */
@Resolver(() => SessionType)
export class SessionResolver {
  constructor(private readonly sessionService: SessionService) {}

  @Query(() => [SessionType], { description: "The caller's live sessions, newest first." })
  @Directive('@auth')
  async sessions(@Ctx() context: GraphQLContext): Promise<SessionType[]> {
    const { userId, sessionId } = requirePrincipal(context);
    const sessions = await this.sessionService.list(userId);
    return sessions.map((session) => SessionType.from(session, sessionId));
  }

  @Mutation(() => Boolean, { description: "Revokes one of the caller's own sessions; false when there is none with that id." })
  @Directive('@auth')
  async revokeSession(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<boolean> {
    return this.sessionService.revoke(requirePrincipal(context).userId, id);
  }
}
