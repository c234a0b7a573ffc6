'use strict';
/**
 * `node scripts/copy-assets.js <from> <to>`: after tsc, copies what it does not emit
 * (the Lua scripts, the bcrypt worker) from the source tree into the build, same paths.
 */
const { cpSync } = require('node:fs');

const [from, to] = process.argv.slice(2);
if (!from || !to) {
  process.stderr.write('usage: node scripts/copy-assets.js <from> <to>\n');
  process.exit(2);
}
cpSync(from, to, { recursive: true, filter: (source) => !source.endsWith('.ts') });
