/**
 * `npm run lint:deps`: the import rules of src/. Folders are domains; a cycle between
 * two of them means neither can be understood, tested or moved alone.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment: 'Folders of src/ must not import each other in a circle: declare what a domain needs as an interface it owns.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'product-not-from-tooling',
      comment: 'The service never imports tests, test tooling, benchmarks, examples or scripts.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|tools|bench|examples|scripts)/' },
    },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
  },
};
