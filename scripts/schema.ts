import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printAuthSchema } from '../src/graphql/print-schema';

/** `schema:emit` writes schema/schema.graphql from the code; `schema:check` fails when the file drifts. */
const SCHEMA_FILE = join(__dirname, '..', 'schema', 'schema.graphql');
const command = process.argv[2];
const printed = printAuthSchema();

if (command === 'emit') {
  writeFileSync(SCHEMA_FILE, printed);
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
} else if (command === 'check') {
  let committed = '';
  try {
    committed = readFileSync(SCHEMA_FILE, 'utf8');
  } catch {
    process.stderr.write(`${SCHEMA_FILE} is missing: run npm run schema:emit\n`);
    process.exit(1);
  }
  if (committed !== printed) {
    process.stderr.write('schema/schema.graphql differs from the code: run npm run schema:emit and commit it\n');
    process.exit(1);
  }
  process.stdout.write('schema/schema.graphql is current\n');
} else {
  process.stderr.write('usage: schema.ts emit|check\n');
  process.exit(2);
}
