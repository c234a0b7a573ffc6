import type { GraphiqlAsset } from './assets';

/**
 * Scripts, styles and requests from this origin only; no inline code of any kind
 * (the page's own script is a file too). GraphiQL's stylesheet embeds its fonts and
 * icons as data: URLs.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const DEFAULT_QUERY = `# GraphiQL for the auth service.
#
# 1. Put a username and password into Login and run it:
#    the ▶ button (Ctrl-Enter) asks which operation.
#    In development on the in-memory store: "admin" and
#    the password the start banner printed.
# 2. Copy accessToken from the result.
# 3. Open "Headers" below this editor and paste
#      {"Authorization": "Bearer <accessToken>"}
#    Headers live in this tab only, never in storage.
# 4. Run Me: it answers as that user (me is null
#    without the header).

mutation Login {
  login(input: { username: "admin", password: "<password>" }) {
    accessToken
    expiresIn
    user { username authorities }
  }
}

query Me {
  me { username authorities }
  sessions { id current createdAt userAgent }
}
`;

export interface PageOptions {
  readonly graphqlPath: string;
  readonly assets: readonly GraphiqlAsset[];
}

/** The page is markup and a JSON data block: everything that runs comes from the asset routes. */
export function renderGraphiqlPage({ graphqlPath, assets }: PageOptions): string {
  const config = { graphqlPath, defaultQuery: DEFAULT_QUERY };
  const stylesheets = assets.filter((asset) => asset.kind === 'stylesheet');
  const scripts = assets.filter((asset) => asset.kind === 'script');
  const icons = assets.filter((asset) => asset.kind === 'icon');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL · graphql-auth-service</title>
${icons.map((asset) => `<link rel="icon" type="image/svg+xml" href="${escapeAttribute(asset.url)}">`).join('\n')}
${stylesheets.map((asset) => `<link rel="stylesheet" href="${escapeAttribute(asset.url)}">`).join('\n')}
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script id="graphiql-config" type="application/json">${jsonForScriptElement(config)}</script>
${scripts.map((asset) => `<script src="${escapeAttribute(asset.url)}"></script>`).join('\n')}
</body>
</html>
`;
}

/** `<` escaped, so no value can close the script element (`</script>`) or open a comment. */
function jsonForScriptElement(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
