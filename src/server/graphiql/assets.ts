import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BOOTSTRAP_SCRIPT, PAGE_ICON, PAGE_STYLESHEET } from './browser-files';

export const ASSETS_PATH = '/graphiql/assets';

const JAVASCRIPT = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const SVG = 'image/svg+xml; charset=utf-8';

/** One file the page loads; `url` carries a digest of the content, so it may be cached for good. */
export interface GraphiqlAsset {
  readonly name: string;
  readonly url: string;
  readonly contentType: string;
  readonly kind: 'script' | 'stylesheet' | 'icon';
  /** A vendor file in node_modules, served with sendFile, or one of our small files, from memory. */
  readonly source: { readonly file: string } | { readonly body: string };
}

/** In the order the page loads them: GraphiQL's UMD bundle expects the React globals. */
export function loadGraphiqlAssets(): readonly GraphiqlAsset[] {
  return [
    fromPackage('react', 'umd/react.production.min.js', JAVASCRIPT, 'script'),
    fromPackage('react-dom', 'umd/react-dom.production.min.js', JAVASCRIPT, 'script'),
    fromPackage('graphiql', 'graphiql.min.js', JAVASCRIPT, 'script'),
    fromPackage('graphiql', 'graphiql.min.css', CSS, 'stylesheet'),
    inMemory('graphiql-page.css', PAGE_STYLESHEET, CSS, 'stylesheet'),
    inMemory('graphiql-page.js', BOOTSTRAP_SCRIPT, JAVASCRIPT, 'script'),
    // Without an icon of its own the browser asks for /favicon.ico, a 404.
    inMemory('graphiql-icon.svg', PAGE_ICON, SVG, 'icon'),
  ];
}

function fromPackage(packageName: string, relativePath: string, contentType: string, kind: GraphiqlAsset['kind']): GraphiqlAsset {
  // These packages' `exports` hide their UMD files from require.resolve; package.json is always exported.
  const file = join(dirname(require.resolve(`${packageName}/package.json`)), relativePath);
  const name = relativePath.split('/').at(-1) as string;
  return { name, url: versionedUrl(name, readFileSync(file)), contentType, kind, source: { file } };
}

function inMemory(name: string, body: string, contentType: string, kind: GraphiqlAsset['kind']): GraphiqlAsset {
  return { name, url: versionedUrl(name, Buffer.from(body)), contentType, kind, source: { body } };
}

function versionedUrl(name: string, content: Buffer): string {
  const digest = createHash('sha256').update(content).digest('hex').slice(0, 16);
  return `${ASSETS_PATH}/${digest}/${name}`;
}
