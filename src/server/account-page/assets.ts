import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ASSETS_PATH = '/account/assets';

/** The module the markup loads; it imports the others. */
const ENTRY_MODULE = 'account.js';

const JAVASCRIPT = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const SVG = 'image/svg+xml; charset=utf-8';

/** One file the account page loads; `url` carries a digest of the content, so it may be cached for good. */
export interface AccountAsset {
  /** Its file name: how the page's markup (account.html), or a module's import, refers to it. */
  readonly name: string;
  readonly url: string;
  readonly contentType: string;
  readonly body: Buffer;
  /** Loaded by another module's import, not named in the markup. */
  readonly imported: boolean;
}

type AssetFile = Omit<AccountAsset, 'url'>;

/**
 * The page's files, read once. The page's own files sit beside this module, in the
 * source tree and in the build alike (`npm run build` copies them), and share one
 * directory whose digest covers all of them: the modules import each other by relative
 * URL (`./auth.js`), so a change to any module must move them all. The QR code library
 * comes from node_modules and keeps a directory of its own: only the markup names it,
 * so browsers keep their copy while the page changes, and the page's files while the
 * library is upgraded.
 */
export function loadAccountAssets(): readonly AccountAsset[] {
  const own: AssetFile[] = [
    // Without an icon of its own the browser asks for /favicon.ico, a 404.
    ownFile('account-icon.svg', SVG),
    ownFile('account.css', CSS),
    ...readModules(),
  ];
  const directory = `${ASSETS_PATH}/${digestOf(own)}`;
  // The package's `require` export is its UMD file, which defines the global `qrcode`.
  const qrcode: AssetFile = { name: 'qrcode.js', contentType: JAVASCRIPT, body: readFileSync(require.resolve('qrcode-generator')), imported: false };
  return [
    ...own.map((file) => ({ ...file, url: `${directory}/${file.name}` })),
    { ...qrcode, url: `${ASSETS_PATH}/${digestOf([qrcode])}/${qrcode.name}` },
  ];
}

function ownFile(name: string, contentType: string, imported = false): AssetFile {
  return { name, contentType, body: readFileSync(join(__dirname, name)), imported };
}

/**
 * The entry module and every module it imports, directly or not, found by following
 * the modules' own static imports. Not every `.js` file here: in the build, this
 * folder also holds the server's compiled code.
 */
function readModules(): AssetFile[] {
  const modules = new Map<string, AssetFile>();
  const pending = [ENTRY_MODULE];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (modules.has(name)) continue;
    const file = ownFile(name, JAVASCRIPT, name !== ENTRY_MODULE);
    modules.set(name, file);
    pending.push(...importedNames(name, file.body.toString('utf8')));
  }
  return [...modules.values()];
}

/** `import … from '…'`, `export … from '…'` and `import '…'`, each at the start of a line. */
const IMPORT = /^(?:(?:import|export)\s[^;'"]*?\bfrom\s*|import\s*)['"]([^'"]*)['"]/gm;
/** Served from one directory, a module can import only its neighbours, by a relative URL. */
const NEIGHBOUR = /^\.\/([\w-]+\.js)$/;

function importedNames(importer: string, source: string): string[] {
  return [...source.matchAll(IMPORT)].map(([, specifier]) => {
    const name = NEIGHBOUR.exec(specifier)?.[1];
    if (!name) throw new Error(`${importer} imports '${specifier}': the account page's modules import only './<name>.js' beside them`);
    return name;
  });
}

/** One digest of the files' names and contents, taken in the order of their names. */
function digestOf(files: readonly AssetFile[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    hash.update(`${file.name}\0${file.body.length}\0`).update(file.body);
  }
  return hash.digest('hex').slice(0, 16);
}
