import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { lexicographicSortSchema } from 'graphql';
import { buildAuthSchema } from './build-schema';

/** The SDL committed as schema/schema.graphql: sorted, so its diffs are stable. */
export function printAuthSchema(): string {
  return `${printSchemaWithDirectives(lexicographicSortSchema(buildAuthSchema()))}\n`;
}
