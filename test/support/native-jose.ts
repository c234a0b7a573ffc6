/**
 * panva/jose, the independent JOSE implementation our tokens are checked against.
 * jose 6 ships ES modules only: Node's own require loads it (require(esm), Node >= 20.19),
 * but jest's module loader does not, so it is loaded through Node's real `require`,
 * reached via process.getBuiltinModule (jest intercepts `import 'node:module'`).
 */
type Jose = typeof import('jose');

const nodeModule = process.getBuiltinModule('node:module');

export const jose = nodeModule.createRequire(__filename)('jose') as Jose;
