'use strict';
// jest globalTeardown (npm test and npm run test:e2e): remove the run's temp directory (test/support/test-tmp.js).
module.exports = async () => {
  require('./test-tmp').removeRunTmpDir();
};
