/** Unit, rule and synth tests (npm test). End-to-end tests live in test/e2e and run with jest.e2e.config.js. */
const os = require('os');

// Test configuration only, as in jest.e2e.config.js (the terraform children inherit it, and terraform passes it to the
// provider plugin): the AWS provider spends a large part of each terraform command's CPU in Go's garbage collector
// while it builds its schema. Measured against one long-lived provider: 6.5 CPU-s per `terraform validate` at Go's
// default GOGC=100, 4.2 s at 400 (peak RSS 383 -> 554 MB).
if (process.env.GOGC === undefined) process.env.GOGC = '400';

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
};
