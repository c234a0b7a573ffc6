/** Who is calling: known only after both the token and its session were checked. */
export interface Principal {
  readonly userId: string;
  readonly sessionId: string;
  readonly authorities: readonly string[];
}
