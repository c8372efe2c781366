'use strict';
// jest globalSetup of the e2e suites: they run the built tool (bin/mwaa-gitops -> dist/, as users and the shipped
// workflows do), so dist/ is rebuilt from the current sources first: a stale build can never pass them.
const { execFileSync } = require('child_process');
const path = require('path');

module.exports = async () => {
  const root = path.resolve(__dirname, '..', '..');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', path.join(root, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
};
