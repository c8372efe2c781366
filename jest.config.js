/** Unit, rule and synth tests (npm test). End-to-end tests live in test/e2e and run with jest.e2e.config.js. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }] },
  testTimeout: 120000,
  // child-process tests run the CLI from the TypeScript sources, never dist/ (test/support/from-source.js)
  globalSetup: '<rootDir>/test/support/global-setup.js',
};
