#!/usr/bin/env node
'use strict';
// The build of the npm lifecycle.
//   prepack (npm pack / npm publish): a clean build. dist/ is removed first, so no compiled file of a source that no
//     longer exists can ship; package.json "files" then picks what ships.
//   prepare (--prepare; npm ci / npm install in a checkout): a build. npm pack runs prepare right after prepack, which
//     has just built: that second run is skipped (npm_command is "pack" or "publish").
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const prepare = process.argv.includes('--prepare');
if (prepare && ['pack', 'publish'].includes(process.env.npm_command)) process.exit(0);
if (!prepare) fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
} catch {
  process.stderr.write('mwaa-gitops build: TypeScript is not installed (a development dependency); run npm ci first\n');
  process.exit(1);
}
try {
  // the airflow.version enum of the schema comes from data/airflow-versions.json
  execFileSync(process.execPath, [path.join(__dirname, 'gen-schema-versions.cjs')], { stdio: 'inherit', cwd: root });
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit', cwd: root });
  // the schema's validator precompiled into dist/ (src/spec/schema.ts)
  execFileSync(process.execPath, [path.join(__dirname, 'gen-schema-validator.cjs')], { stdio: 'inherit', cwd: root });
} catch {
  process.exit(1);
}
