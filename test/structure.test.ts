/**
 * The layout rules that keep the design honest, checked on the source text (cheap, no build):
 * - product code (src/, stacks/, bench/, scripts/, main.ts) never imports test code;
 * - tests that start the CLI as a process run the sources (test/support/cli-bin.ts), never dist/ or bin/;
 * - each fact has one home: the data tables are read by one module each, and the helpers and constants named
 *   below are defined once (README, Layout and design).
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

function files(dir: string, ext = /\.ts$/): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return files(rel, ext);
    return ext.test(e.name) ? [rel] : [];
  });
}

const PRODUCT = [...files('src'), ...files('stacks'), ...files('bench'), ...files('scripts'), 'main.ts'];
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8');
/** Code without comments (block and line), so documentation may name things freely. */
const code = (rel: string) => read(rel).replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
/** Files of the product whose code matches. */
const where = (re: RegExp) => PRODUCT.filter((f) => re.test(code(f))).sort();

test('no file under src/, stacks/, bench/ or scripts/ (nor main.ts) imports from test/', () => {
  expect(PRODUCT.length).toBeGreaterThan(100);
  const offenders = PRODUCT.filter((f) => {
    const specs = [...code(f).matchAll(/(?:from\s+|import\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
    return specs.some((s) => s.startsWith('.') && path.relative(ROOT, path.resolve(ROOT, path.dirname(f), s)).split(path.sep)[0] === 'test');
  });
  expect(offenders).toEqual([]);
});

test('the import check sees an import of test code (it can fail)', () => {
  const probe = "import { x } from '../../test/support/harness-config';";
  const specs = [...probe.matchAll(/(?:from\s+|import\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
  expect(path.relative(ROOT, path.resolve(ROOT, 'src/sandbox', specs[0])).split(path.sep)[0]).toBe('test');
});

test('npm test never runs the build: child processes start the CLI from source', () => {
  // test/gitops/gha/runner.ts links bin/ for the workflow e2e suite only (jest.e2e.config.js rebuilds dist/ first)
  const tests = files('test').filter((f) => !f.startsWith(path.join('test', 'e2e')) && f !== path.join('test', 'gitops', 'gha', 'runner.ts'));
  const viaBuild = tests.filter((f) => /['"]bin['"]\s*,\s*['"]mwaa-gitops['"]|['"]dist['"]\s*,\s*['"]src['"]|dist\/src\//.test(code(f)));
  // corpus.test.ts only checks that the package was built (npm ci), it runs nothing from dist/
  expect(viaBuild).toEqual([path.join('test', 'reliability', 'corpus.test.ts')].filter((f) => viaBuild.includes(f)));
  for (const f of viaBuild) expect(code(f)).not.toMatch(/(?:spawn|execFile|exec)(?:Sync)?\([^)]*\bdist\b/);
});

describe('one source per fact', () => {
  test.each([
    ['the Airflow versions table', /require\(['"][^'"]*data\/airflow-versions\.json['"]\)|airflow-versions\.json['"]\s*\)/, ['src/rules/data.ts']],
    ['the VPC endpoints table', /require\(['"][^'"]*data\/vpc-endpoints\.json['"]\)/, ['src/aws/endpoints.ts']],
    ['the protected resource types', /require\(['"][^'"]*data\/protected-resources\.json['"]\)/, ['src/plan/facts.ts']],
    ['editDistance', /function editDistance\b/, ['src/edit-distance.ts']],
    ['compareVersions', /function compareVersions\b/, ['src/rules/data.ts']],
    ['the partition of a Region', /function partitionOf\b/, ['src/aws/partition.ts']],
    ['the artifact field list', /['"]requirements['"],\s*['"]plugins['"],\s*['"]startupScript['"]/, ['src/spec/types.ts']],
    ['"no environments found"', /no environments found/i, ['src/report/findings-text.ts']],
    ['the mask string', /['"`]\*{3,}['"`]/, ['src/report/mask.ts']],
  ])('%s: defined in one place', (_what, re, expected) => {
    expect(where(re)).toEqual(expected);
  });

  test('no partition guessed from a Region prefix', () => {
    expect(where(/startsWith\(['"](?:cn-|us-gov-)/)).toEqual([]);
  });
});
