/** Unit, rule and synth tests (npm test). End-to-end tests live in test/e2e and run with jest.e2e.config.js. */
const os = require('os');

// Go's GC setting for terraform and the provider is the tool's own default (DEFAULT_GOGC, src/terraform/cliconfig.ts),
// which every terraform child of the tests gets through terraformEnv.

module.exports = {
  // Jest's default (cores - 1) is one worker on a 2-core machine: every file in band, the cores idle while a file waits
  // for terraform, moto or a CLI child. Two workers at least overlap those waits.
  maxWorkers: Math.max(2, (os.availableParallelism ? os.availableParallelism() : os.cpus().length) - 1),
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/test/e2e/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }] },
  testTimeout: 120000,
  // child-process tests run the CLI from the TypeScript sources, never dist/ (test/support/from-source.js)
  globalSetup: '<rootDir>/test/support/global-setup.js',
  // and removes the run's temp directory (test/support/test-tmp.js)
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
};
