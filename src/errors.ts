/**
 * Every error a client may see. Each class maps one-to-one onto a GraphQL
 * `extensions.code` from DESIGN.md, carried both as a static and on the instance
 * so callers branch on codes, never on message text.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

export interface AuthErrorOptions {
  readonly details?: Record<string, unknown>;
  readonly reason?: string;
  readonly cause?: unknown;
}

export abstract class AuthServiceError extends Error {
  abstract readonly code: ErrorCode;
  abstract readonly httpStatus: number;
  /** Extra machine-readable detail for `extensions`, never internals. */
  readonly details: Readonly<Record<string, unknown>>;
  /** Why, for logs and metrics only; never sent to the client. */
  readonly reason: string | undefined;

  constructor(message: string, options: AuthErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details ?? {};
    this.reason = options.reason;
  }

  /**
   * Copied by graphql-js onto the GraphQLError that wraps this error, so the code
   * reaches the client and Apollo sees the HTTP status of SERVICE_UNAVAILABLE.
   */
  get extensions(): Record<string, unknown> {
    const http = this.httpHead();
    return { ...this.details, code: this.code, ...(http && { http }) };
  }

  /** The HTTP status (and headers) this error gives the whole response, when it should. */
  protected httpHead(): { status: number; headers?: Map<string, string> } | undefined {
    return this.httpStatus >= 500 ? { status: this.httpStatus } : undefined;
  }
}

export class UnauthenticatedError extends AuthServiceError {
  static readonly code = 'UNAUTHENTICATED';
  readonly code = UnauthenticatedError.code;
  readonly httpStatus = 401;
}

export class ForbiddenError extends AuthServiceError {
  static readonly code = 'FORBIDDEN';
  readonly code = ForbiddenError.code;
  readonly httpStatus = 403;
}

export class BadUserInputError extends AuthServiceError {
  static readonly code = 'BAD_USER_INPUT';
  readonly code = BadUserInputError.code;
  readonly httpStatus = 400;
}

/** HTTP 429 with `Retry-After` when `details.retryAfter` (seconds) is given. */
export class RateLimitedError extends AuthServiceError {
  static readonly code = 'RATE_LIMITED';
  readonly code = RateLimitedError.code;
  readonly httpStatus = 429;

  protected override httpHead(): { status: number; headers?: Map<string, string> } {
    const { retryAfter } = this.details;
    // Apollo copies `headers` onto the response when it is a Map (its HeaderMap is one).
    return typeof retryAfter === 'number' ? { status: 429, headers: new Map([['retry-after', String(retryAfter)]]) } : { status: 429 };
  }
}

export class ServiceUnavailableError extends AuthServiceError {
  static readonly code = 'SERVICE_UNAVAILABLE';
  readonly code = ServiceUnavailableError.code;
  readonly httpStatus = 503;
}

/** The one message for every failed login, so failures reveal nothing. */
export const INVALID_CREDENTIALS_MESSAGE = 'Invalid username or password';
