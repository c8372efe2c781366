/**
 * Security scan gate: synthesize the example environments (environments/*.yaml) and the scan variants
 * (security/variants/*.yaml) with the real CLI (`mwaa-gitops synth --out`), run checkov (pinned, .venv-checkov)
 * on the cdk.tf.json files, and compare its findings with security/checkov-allowlist.yaml.
 * Exit 0 when every finding is allowlisted and every allowlist entry still matches a finding; 1 otherwise.
 *
 * Usage: npm run scan   (builds, installs checkov with scripts/setup-checkov.sh, then runs this)
 *        node dist/scripts/scan.js [--keep <dir>]   (dist built, checkov installed)
 * MWAA_GITOPS_CHECKOV_BIN overrides the checkov executable (default .venv-checkov/bin/checkov).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compare, formatComparison, parseAllowlist, parseCheckovOutput } from './checkov-gate';

export const ALLOWLIST = 'security/checkov-allowlist.yaml';
export const VARIANTS_DIR = 'security/variants';
export const REQUIREMENTS = 'security/requirements-checkov.txt';

/** The repository root: the nearest directory above this file with package.json (works from scripts/ and dist/scripts/). */
export function repoRoot(from = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
  return dir;
}

/** The scan variants: spec files that make every KMS mode and routing mode reach the scanner. */
export function variantFiles(repo: string): string[] {
  const dir = path.join(repo, VARIANTS_DIR);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && !f.startsWith('_'))
    .sort()
    .map((f) => path.join(VARIANTS_DIR, f));
}

export function pinnedCheckovVersion(repo: string): string {
  const m = /^checkov==([0-9.]+)\s*$/m.exec(fs.readFileSync(path.join(repo, REQUIREMENTS), 'utf8'));
  if (!m) throw new Error(`${REQUIREMENTS} does not pin checkov (checkov==x.y.z)`);
  return m[1];
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (r.error) throw r.error;
  return r;
}

function synth(repo: string, out: string, targets: string[]): void {
  const r = run(process.execPath, [path.join(repo, 'bin', 'mwaa-gitops'), 'synth', ...targets, '--out', out, '--state-dir', path.join(out, 'state')], repo);
  if (r.status !== 0) throw new Error(`mwaa-gitops synth ${targets.join(' ')} failed (exit ${r.status}):\n${r.stderr}${r.stdout}`);
}

function stackFiles(out: string): string[] {
  const stacks = path.join(out, 'stacks');
  if (!fs.existsSync(stacks)) return [];
  return fs.readdirSync(stacks).sort().map((env) => path.join(stacks, env, 'cdk.tf.json')).filter((f) => fs.existsSync(f));
}

export function main(argv: string[]): number {
  const repo = repoRoot();
  const keepAt = argv.indexOf('--keep');
  const work = keepAt >= 0 && argv[keepAt + 1] ? path.resolve(argv[keepAt + 1]) : fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-scan-'));
  const checkov = process.env.MWAA_GITOPS_CHECKOV_BIN ?? path.join(repo, '.venv-checkov', 'bin', 'checkov');
  try {
    const want = pinnedCheckovVersion(repo);
    const allowlist = parseAllowlist(fs.readFileSync(path.join(repo, ALLOWLIST), 'utf8'), ALLOWLIST);
    if (!fs.existsSync(checkov)) throw new Error(`checkov not found at ${checkov}: run \`bash scripts/setup-checkov.sh\` (or \`npm run scan\`)`);

    let t = Date.now();
    const examples = path.join(work, 'examples');
    const variants = path.join(work, 'variants');
    for (const d of [examples, variants]) fs.rmSync(d, { recursive: true, force: true });
    synth(repo, examples, []);
    synth(repo, variants, variantFiles(repo));
    const stacks = [...stackFiles(examples), ...stackFiles(variants)];
    const envs = stacks.map((f) => path.basename(path.dirname(f)));
    const dup = envs.find((e, i) => envs.indexOf(e) !== i);
    if (dup) throw new Error(`environment name ${dup} is both an example and a scan variant: rename the variant`);
    const synthMs = Date.now() - t;

    t = Date.now();
    // terraform_json is checkov's framework for *.tf.json (the `terraform` framework reads HCL only and would
    // silently scan nothing). --skip-download: no platform call; the scan is offline and reproducible.
    const r = run(checkov, ['--framework', 'terraform_json', '--output', 'json', '--skip-download', '--directory', work], repo, {
      ...process.env,
      LOG_LEVEL: 'WARNING',
      // no network: checkov otherwise asks PyPI for a newer release on every start, and fetches Prisma mappings
      CKV_SKIP_PACKAGE_UPDATE_CHECK: 'true',
      BC_SKIP_MAPPING: 'TRUE',
    });
    const checkovMs = Date.now() - t;
    let summary;
    try {
      summary = parseCheckovOutput(r.stdout);
    } catch (err) {
      throw new Error(`checkov (exit ${r.status}) did not produce a readable JSON report: ${(err as Error).message}\n${r.stderr.slice(-4000)}`);
    }
    const problems: string[] = [];
    if (summary.checkovVersion !== want) problems.push(`checkov ${summary.checkovVersion} ran, but ${REQUIREMENTS} pins ${want}: run \`bash scripts/setup-checkov.sh\``);
    if (summary.parsingErrors > 0) problems.push(`checkov could not parse ${summary.parsingErrors} file(s): those stacks were not scanned`);
    const unscanned = stacks.filter((f) => !summary.scannedFiles.includes(f));
    if (unscanned.length) problems.push(`checkov reported no result for ${unscanned.map((f) => path.relative(work, f)).join(', ')}: not scanned`);

    for (const p of problems) process.stderr.write(`mwaa-gitops scan: ${p}\n`);
    if (unscanned.length) return 1; // a comparison with a partial scan would only list every entry as stale

    const cmp = compare(summary.findings, allowlist);
    process.stdout.write(formatComparison(summary, cmp, { stacks: stacks.length, allowlistFile: ALLOWLIST, relativeTo: work }));
    process.stdout.write(`stacks: ${envs.join(', ')} (synth ${(synthMs / 1000).toFixed(1)} s, checkov ${(checkovMs / 1000).toFixed(1)} s)\n`);
    return problems.length || cmp.unexpected.length || cmp.stale.length ? 1 : 0;
  } catch (err) {
    process.stderr.write(`mwaa-gitops scan: ${(err as Error).message}\n`);
    return 1;
  } finally {
    if (keepAt < 0) fs.rmSync(work, { recursive: true, force: true });
    else process.stdout.write(`synthesized stacks kept in ${work}\n`);
  }
}

if (require.main === module) {
  // a closed pipe (`npm run scan | head`) ends the output, not the gate: the exit code still says pass or fail
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  process.exitCode = main(process.argv.slice(2));
}
