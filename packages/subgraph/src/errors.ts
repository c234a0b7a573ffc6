import { type ASTNode, GraphQLError } from 'graphql';

/**
 * Every error a client may see, in one place. Each class maps one-to-one onto an
 * `extensions.code`, carried both as a static and on the instance so callers branch
 * on codes, never on message text; HTTP_STATUS is the one mapping from code to status.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'MFA_REQUIRED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR';

/** The status of a response that an error of this code refuses as a whole. */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  MFA_REQUIRED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};

export interface AuthErrorOptions {
  /** Machine-readable detail for the client's `extensions` (`field`, `retryAfter`, a client-facing `reason`). */
  readonly details?: Record<string, unknown>;
  /** Why, in words for the log and the metrics only; never sent to the client. */
  readonly logReason?: string;
  readonly cause?: unknown;
}

export abstract class AuthServiceError extends Error {
  abstract readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  readonly logReason: string | undefined;

  constructor(message: string, options: AuthErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details ?? {};
    this.logReason = options.logReason;
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }

  /** The response headers this error asks for when it refuses a whole request. */
  httpHeaders(): ReadonlyMap<string, string> {
    return new Map();
  }

  /** What the client sees in `extensions`: the details and the code, nothing internal. */
  get clientExtensions(): Record<string, unknown> {
    return { ...this.details, code: this.code };
  }

  /**
   * Copied by graphql-js onto the GraphQLError that wraps an error thrown in a
   * resolver: the code reaches the client, and an error that means the whole request
   * failed (unavailable, rate limited) gives the response its HTTP status.
   */
  get extensions(): Record<string, unknown> {
    const wholeResponse = this.httpStatus >= 500 || this.httpStatus === 429;
    return { ...this.clientExtensions, ...(wholeResponse && { http: this.httpHead() }) };
  }

  httpHead(): { status: number; headers: Map<string, string> } {
    return { status: this.httpStatus, headers: new Map(this.httpHeaders()) };
  }

  /** The response of this error where no GraphQL runs (body parsing, batch limits): status and body. */
  toResponse(): { readonly status: number; readonly body: { readonly errors: readonly { message: string; extensions: Record<string, unknown> }[] } } {
    return { status: this.httpStatus, body: { errors: [{ message: this.message, extensions: this.clientExtensions }] } };
  }
}

export class UnauthenticatedError extends AuthServiceError {
  static readonly code = 'UNAUTHENTICATED';
  readonly code = UnauthenticatedError.code;

  override httpHeaders(): ReadonlyMap<string, string> {
    return new Map([['www-authenticate', 'Bearer error="invalid_token"']]);
  }
}

/**
 * A login with the right password for an account that has a second factor, without
 * one: no token yet. `details.methods` says what the account can use (`otp`, `passkey`).
 */
export class MfaRequiredError extends AuthServiceError {
  static readonly code = 'MFA_REQUIRED';
  readonly code = MfaRequiredError.code;
}

export class ForbiddenError extends AuthServiceError {
  static readonly code = 'FORBIDDEN';
  readonly code = ForbiddenError.code;
}

export class BadUserInputError extends AuthServiceError {
  static readonly code = 'BAD_USER_INPUT';
  readonly code = BadUserInputError.code;
}

/** Which bound a request went over: `limit`, `max` and `actual` go to the client. */
export type LimitName = 'maxDepth' | 'maxCost' | 'maxAliases' | 'maxCredentialChecks' | 'maxBatch' | 'maxRepresentations';

/** A request over one of the server's bounds: BAD_USER_INPUT with `limit`, `max` and `actual`. */
export class LimitExceededError extends BadUserInputError {
  constructor(message: string, readonly limit: LimitName, max: number, actual: number) {
    super(message, { details: { limit, max, actual }, logReason: `over ${limit}` });
  }
}

/** A body the server will not read: too large (413), of another media type (415), or not JSON (400). */
export class UnreadableBodyError extends BadUserInputError {
  constructor(message: string, private readonly status: 400 | 413 | 415) {
    super(message, { logReason: `unreadable body (${status})` });
  }

  override get httpStatus(): number {
    return this.status;
  }
}

/** HTTP 429 with `Retry-After` when `details.retryAfter` (seconds) is given. */
export class RateLimitedError extends AuthServiceError {
  static readonly code = 'RATE_LIMITED';
  readonly code = RateLimitedError.code;

  override httpHeaders(): ReadonlyMap<string, string> {
    const { retryAfter } = this.details;
    return typeof retryAfter === 'number' ? new Map([['retry-after', String(retryAfter)]]) : new Map();
  }
}

export class ServiceUnavailableError extends AuthServiceError {
  static readonly code = 'SERVICE_UNAVAILABLE';
  readonly code = ServiceUnavailableError.code;
}

/** What the client sees of anything unexpected: the code and a fixed message; the detail goes to the log. */
export class InternalServerError extends AuthServiceError {
  static readonly code = 'INTERNAL_SERVER_ERROR';
  readonly code = InternalServerError.code;

  constructor(cause?: unknown) {
    super('Internal server error', { cause });
  }
}

export interface AsGraphQLErrorOptions {
  readonly nodes?: ASTNode | readonly ASTNode[];
  /** The error refuses the whole request: the response takes its HTTP status and headers. */
  readonly wholeRequest?: boolean;
}

/**
 * The error as a GraphQLError, for the places graphql-js and Apollo want one: a
 * validation rule, a plugin, the context function. The original stays reachable as
 * `originalError`, so the formatter shows it like any other.
 */
export function asGraphQLError(error: AuthServiceError, options: AsGraphQLErrorOptions = {}): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: options.nodes,
    originalError: error,
    extensions: { ...error.clientExtensions, ...(options.wholeRequest && { http: error.httpHead() }) },
  });
}

/** The service's own error behind a GraphQL error, however deep graphql-js and Apollo wrapped it. */
export function authErrorOf(error: unknown): AuthServiceError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined; depth += 1) {
    if (current instanceof AuthServiceError) return current;
    current = current instanceof GraphQLError ? current.originalError : undefined;
  }
  return undefined;
}

/** The one message for every failed login, so failures reveal nothing. */
export const INVALID_CREDENTIALS_MESSAGE = 'Invalid username or password';
