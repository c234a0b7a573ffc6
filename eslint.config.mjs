import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'test-artifacts/', 'packages/client/src/generated/', 'packages/*/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name=/^(only|skip)$/]", message: 'No focused or skipped tests in main.' },
        { selector: "MemberExpression[object.name='bcrypt'][property.name=/Sync$/]", message: 'The sync bcrypt API blocks the event loop.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The account page's scripts run in the browser as ES modules, not in Node.
    files: ['src/server/account-page/**/*.js'],
    languageOptions: { sourceType: 'module' },
    // tsc checks every name it uses against the DOM's declarations (its tsconfig.json): a list here would only repeat them.
    rules: { 'no-undef': 'off' },
  },
);
