/**
 * What the kit needs of a PostgreSQL client: a `pg` Pool fits as it is. Declared here so
 * the kit itself depends on no PostgreSQL package; a subgraph that checks sessions in
 * PostgreSQL brings its own `pg`.
 */
export interface PostgresClient {
  query<Row extends Record<string, unknown> = Record<string, unknown>>(statement: PreparedStatement): Promise<{ rows: Row[]; rowCount: number | null }>;
}

/** A named statement: each connection prepares it once, then sends only its values. */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
  readonly values: readonly unknown[];
}
