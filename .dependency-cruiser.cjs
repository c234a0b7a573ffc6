/**
 * `npm run lint:deps`: the import rules of src/ and of the workspace packages. Folders
 * are domains; a cycle between two of them means neither can be understood, tested or
 * moved alone. The packages are installed without the service, so they never import it.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment: 'Folders of src/ must not import each other in a circle: declare what a domain needs as an interface it owns.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^(src|packages/[^/]+/src)/' },
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      severity: 'error',
      from: { path: '^(src|packages/[^/]+/src)/' },
      to: { circular: true },
    },
    {
      name: 'packages-stand-alone',
      comment: 'A workspace package is installed on its own: it never imports the service, nor another package by path.',
      severity: 'error',
      from: { path: '^packages/([^/]+)/' },
      to: { path: '^(src|test|tools|bench|examples|scripts)/|^packages/(?!$1/)' },
    },
    {
      name: 'product-not-from-tooling',
      comment: 'The service never imports tests, test tooling, benchmarks, examples or scripts.',
      severity: 'error',
      from: { path: '^(src|packages/[^/]+/src)/' },
      to: { path: '^(test|tools|bench|examples|scripts)/' },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
  },
};
