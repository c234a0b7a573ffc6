/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  // The workspace packages from their sources: tests need no build step.
  moduleNameMapper: {
    '^@graphql-auth-service/client$': '<rootDir>/packages/client/src/index.ts',
    '^@graphql-auth-service/subgraph$': '<rootDir>/packages/subgraph/src/index.ts',
    '^@graphql-auth-service/subgraph/(.*)$': '<rootDir>/packages/subgraph/src/$1',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
