'use strict';
// The tool's processes share parses through a store in the user's cache directory (src/spec/parse-store.ts). The
// tests' processes use one of their own, new for each run, so no run reads another's (or the user's) store. Called
// from the jest global setups: the workers and every child they start inherit it.
const fs = require('fs');
const os = require('os');
const path = require('path');

exports.useTestCacheDir = () => {
  if (process.env.MWAA_GITOPS_CACHE_DIR) return;
  process.env.MWAA_GITOPS_CACHE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-gitops-test-cache-'));
};
