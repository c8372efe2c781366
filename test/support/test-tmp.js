'use strict';
// The test runs' temporary files: each jest run (npm test, npm run test:e2e) points TMPDIR at a directory of its own
// under the OS temp directory, which its globalTeardown removes. The tests' temporary repositories, the CLI
// processes they start, terraform and the emulators all write there (os.tmpdir() and Go's os.TempDir read TMPDIR),
// so a run leaves nothing behind in /tmp however a test ends. MWAA_GITOPS_KEEP_TEST_TMP=1 keeps it for a post-mortem.
const fs = require('fs');
const os = require('os');
const path = require('path');

/** globalSetup: a temp directory for this run, inherited by the jest workers and everything they start. */
exports.useRunTmpDir = () => {
  if (process.env.MWAA_GITOPS_TEST_TMPDIR) return;
  const base = os.tmpdir();
  const dir = fs.mkdtempSync(path.join(base, 'mwaa-gitops-tests-'));
  process.env.MWAA_GITOPS_TEST_TMPDIR_BASE = base;
  process.env.MWAA_GITOPS_TEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
};

/** globalTeardown: remove the run's temp directory (unless MWAA_GITOPS_KEEP_TEST_TMP is set). */
exports.removeRunTmpDir = () => {
  const dir = process.env.MWAA_GITOPS_TEST_TMPDIR;
  if (!dir) return;
  if (process.env.MWAA_GITOPS_KEEP_TEST_TMP) {
    process.stderr.write(`\ntest temp directory kept: ${dir}\n`);
    return;
  }
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
};
