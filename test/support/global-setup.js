'use strict';
// jest globalSetup (npm test): transpile every source file once into the cache the CLI child processes read
// (test/support/from-source.js), before any test times one of them.
module.exports = async () => {
  require('./test-tmp').useRunTmpDir();
  require('./test-cache-dir').useTestCacheDir();
  const started = Date.now();
  const n = require('./from-source').warm();
  if (process.env.MWAA_GITOPS_DEBUG_SETUP) process.stderr.write(`from-source cache: ${n} files in ${Date.now() - started} ms\n`);
};
