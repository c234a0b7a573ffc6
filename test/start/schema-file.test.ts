import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { printAuthSchema } from '../../src/graphql/print-schema';

const root = join(__dirname, '..', '..');

describe('schema/schema.graphql', () => {
  it('is what the type-graphql classes print, so a schema change shows up in review', () => {
    expect(readFileSync(join(root, 'schema', 'schema.graphql'), 'utf8')).toBe(printAuthSchema());
  });

  it('passes npm run schema:check', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '-s', 'schema:check'], { cwd: root });
    expect(stdout).toContain('schema/schema.graphql is current');
  }, 60_000);

  it('declares @auth and guards the admin fields with ROLE_ADMIN, and User for signed-in callers with its details for self or ROLE_ADMIN', () => {
    const sdl = readFileSync(join(root, 'schema', 'schema.graphql'), 'utf8');
    expect(sdl).toContain('directive @auth(anyOf: [String!] = [], mfa: Boolean = false, ownedBy: String, requires: [String!] = []) on FIELD_DEFINITION | INTERFACE | OBJECT');
    expect(sdl).toMatch(/type User @key\(fields: "id"\) @auth \{/);
    for (const field of ['authorities: [String!]!', 'createdAt: DateTime!', 'disabled: Boolean!']) {
      expect(sdl).toContain(`${field} @auth(ownedBy: "id", anyOf: ["ROLE_ADMIN"])`);
    }
    expect(sdl).toMatch(/forceLogout\(userId: ID!\): Int! @auth\(requires: \["ROLE_ADMIN"\]\)/);
    expect(sdl).toMatch(/sessions: \[Session!\]! @auth\n/);
  });
});
