/**
 * Our own small files (script, stylesheet, icon) that the GraphiQL page loads next to
 * the vendor bundles. They are strings, not files, so `npm run build` ships them with
 * the compiled code; served as files, the page needs no inline script or style and its
 * Content-Security-Policy can stay at 'self'.
 */

/** Reads the page's JSON data block (not executed, so CSP does not apply) and renders GraphiQL. */
export const BOOTSTRAP_SCRIPT = `'use strict';
(function () {
  var config = JSON.parse(document.getElementById('graphiql-config').textContent);
  var fetcher = GraphiQL.createFetcher({ url: new URL(config.graphqlPath, window.location.href).href });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: config.defaultQuery,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      // Queries (with any password typed into them) and history die with the tab.
      storage: window.sessionStorage,
    }),
  );
})();
`;

export const PAGE_STYLESHEET = `html, body, #graphiql { height: 100%; margin: 0; overflow: hidden; }
`;

/** GraphQL's pink, as a plain triangle in a ring. */
export const PAGE_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<circle cx="16" cy="16" r="13" fill="none" stroke="#e10098" stroke-width="3"/>
<path d="M16 6 25 21H7z" fill="none" stroke="#e10098" stroke-width="2.5" stroke-linejoin="round"/>
</svg>
`;
