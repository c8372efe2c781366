/** End-to-end tests: real terraform against moto + the MWAA fake on loopback (npm run test:e2e). */

// Go's GC setting for terraform and the provider is the tool's own default (DEFAULT_GOGC, src/terraform/cliconfig.ts),
// which every terraform child of the suites gets through terraformEnv.

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', diagnostics: false }] },
  // per test: 30 min. A test of the reconcile suites needs ~100 CPU-s (terraform and the provider); on 2 cores shared
  // with npm test it takes a few minutes, and under heavy outside load one took over 15 min (and then passed in 9).
  testTimeout: 1800000,
  // Each suite file starts its own emulators on free loopback ports and spends most of its time waiting (on the
  // provider's fixed 55 s S3 lifecycle wait, on terraform, on the emulators), so four files run at once on 2 cores.
  // MWAA_GITOPS_E2E_WORKERS overrides it; `--runInBand` runs one file.
  maxWorkers: Number(process.env.MWAA_GITOPS_E2E_WORKERS ?? 4),
  // the longest files first, also in a fresh clone (no recorded durations): test/support/e2e-sequencer.js
  testSequencer: '<rootDir>/test/support/e2e-sequencer.js',
  // the e2e suites run dist/ through bin/: rebuilt first when a source is newer (test/support/e2e-global-setup.js)
  globalSetup: '<rootDir>/test/support/e2e-global-setup.js',
  // and removes the run's temp directory (test/support/test-tmp.js)
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
};
