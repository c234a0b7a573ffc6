import { join } from 'node:path';

/**
 * The Lua files of the session layout. `session-record` is the prelude both the
 * read-only check here and the auth service's writing scripts build on, so the
 * record is read the same way everywhere.
 */
export const sessionLuaFile = (name: string): string => join(__dirname, 'lua', `${name}.lua`);
