'use strict';
// jest globalSetup of the e2e suites: they run the built tool (bin/mwaa-gitops -> dist/, as users and the shipped
// workflows do), so dist/ must be built from the current sources: a stale build can never pass them. dist/ is
// rebuilt unless every compiled file is at least as new as its source and the TypeScript configuration (as after
// `npm ci`, whose prepare step has just built it: CI builds once, not twice).
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

/** Why dist/ must be rebuilt (a source newer than its output, or an output missing), or undefined when it is current. */
function staleReason(root) {
  const ts = require(require.resolve('typescript', { paths: [root] }));
  const configFile = path.join(root, 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!parsed || parsed.errors.length > 0) return 'tsconfig.json does not parse';
  const outDir = parsed.options.outDir;
  const rootDir = parsed.options.rootDir ?? root;
  if (!outDir) return 'tsconfig.json has no outDir';
  const config = fs.statSync(configFile).mtimeMs;
  for (const file of parsed.fileNames) {
    if (file.endsWith('.d.ts')) continue;
    const out = path.join(outDir, path.relative(rootDir, file)).replace(/\.ts$/, '.js');
    let built;
    try {
      built = fs.statSync(out).mtimeMs;
    } catch {
      return `${path.relative(root, out)} is missing`;
    }
    if (built < fs.statSync(file).mtimeMs || built < config) return `${path.relative(root, file)} is newer than ${path.relative(root, out)}`;
  }
  return undefined;
}

module.exports = async () => {
  require('./test-tmp').useRunTmpDir();
  require('./test-cache-dir').useTestCacheDir();
  const root = path.resolve(__dirname, '..', '..');
  const reason = staleReason(root);
  if (!reason) {
    process.stderr.write('\ne2e: dist/ is current (every compiled file is newer than its source): not rebuilt\n');
    return;
  }
  process.stderr.write(`\ne2e: rebuilding dist/ (${reason})\n`);
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', path.join(root, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
};

module.exports.staleReason = staleReason;
