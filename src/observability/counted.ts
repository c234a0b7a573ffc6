import type { Login } from '../auth/login';
import type { RequestAuthenticator } from '@graphql-auth-service/subgraph/auth/request-authenticator';
import { AuthServiceError } from '@graphql-auth-service/subgraph/errors';
import type { AuthMetrics } from './metrics';

/** Login with its outcome counted: success, or the failure's reason (never the username). */
export function countedLogin(login: Login, metrics: AuthMetrics): Login {
  return async (attempt, metadata) => {
    try {
      const result = await login(attempt, metadata);
      metrics.logins.inc({ outcome: 'success' });
      if (result.evictedSessions > 0) metrics.sessionsEvicted.inc(result.evictedSessions);
      return result;
    } catch (error) {
      metrics.logins.inc({ outcome: loginFailure(error) });
      throw error;
    }
  };
}

const LOGIN_FAILURES: Readonly<Record<string, string>> = { disabled: 'disabled', 'wrong one-time code': 'invalid_code' };

function loginFailure(error: unknown): string {
  if (!(error instanceof AuthServiceError)) return 'error';
  if (error.code === 'UNAUTHENTICATED') return LOGIN_FAILURES[error.logReason ?? ''] ?? 'invalid_credentials';
  if (error.code === 'FORBIDDEN') return error.details.reason === 'EMAIL_NOT_VERIFIED' ? 'email_not_verified' : 'session_limit';
  return error.code.toLowerCase();
}

/** The request check with its outcome and (internal, never sent) reason counted. */
export function countedAuthenticator(authenticate: RequestAuthenticator, metrics: AuthMetrics): RequestAuthenticator {
  return async (authorization, metadata) => {
    try {
      const principal = await authenticate(authorization, metadata);
      metrics.tokenChecks.inc({ outcome: principal ? 'accepted' : 'anonymous', reason: '' });
      return principal;
    } catch (error) {
      const unavailable = error instanceof AuthServiceError && error.code === 'SERVICE_UNAVAILABLE';
      const reason = error instanceof AuthServiceError ? (error.logReason ?? '') : 'error';
      metrics.tokenChecks.inc({ outcome: unavailable ? 'unavailable' : 'rejected', reason });
      throw error;
    }
  };
}
