/**
 * The CDKTF app for `cdktf synth` (cdktf.json): validates every environments/*.yaml (invalid specs stop synthesis
 * with the validator's messages, exit 1) and adds one EnvironmentStack per environment to the App.
 * `mwaa-gitops synth` does the same in-process (src/synth.ts).
 */
import * as path from 'path';
import { App } from 'cdktf';
import { formatText } from './src/report/findings-text';
import { loadValidSpecs } from './src/synth';
import { EnvironmentStack } from './stacks/environment-stack';

function main(): number {
  // dist/main.js (compiled, cdktf.json's app) sits one level below the repository root, main.ts at it.
  const here = path.basename(__dirname) === 'dist' ? path.dirname(__dirname) : __dirname;
  const repoRoot = path.resolve(process.env.MWAA_GITOPS_REPO ?? here);
  const loaded = loadValidSpecs(repoRoot, []);
  if (!loaded.ok) {
    process.stderr.write(formatText(loaded.report, { repoRoot, strict: false, color: false }));
    return 1;
  }
  const app = new App({ skipValidation: true });
  const outDir = app.outdir;
  for (const spec of loaded.specs) {
    new EnvironmentStack(app, spec, { repoRoot, stackDir: path.resolve(outDir, 'stacks', spec.name) });
  }
  app.synth();
  return 0;
}

process.exitCode = main();
