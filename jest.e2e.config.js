/** End-to-end tests: real terraform against moto + the MWAA fake on loopback (npm run test:e2e). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }] },
  testTimeout: 900000,
  // the e2e suites run dist/ through bin/: rebuilt first (test/support/e2e-global-setup.js)
  globalSetup: '<rootDir>/test/support/e2e-global-setup.js',
};
