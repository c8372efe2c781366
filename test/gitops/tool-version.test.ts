/**
 * `affected` in a repository that installs mwaa-gitops: a change of the installed tool (package.json dependency,
 * lockfile entry) affects every environment; an unrelated dependency bump, or the repository's own src/, does not.
 */
import { toolPin, toolPinChange } from '../../src/gitops/tool-version';
import { envYaml } from './fixtures';
import { runCli } from './cli-run';
import { TempRepo } from './git-repo';

const INTEGRITY_A = 'sha512-AAAAAAAAAAAAAAAAAAAAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa==';
const INTEGRITY_B = 'sha512-BBBBBBBBBBBBBBBBBBBBbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb==';

function pkg(tool: string, deps: Record<string, string> = {}): string {
  return `${JSON.stringify({ name: 'acme-mwaa', private: true, dependencies: { ...deps, 'mwaa-gitops': tool } }, null, 2)}\n`;
}

function lock(version: string, integrity: string, others: Record<string, string> = {}): string {
  const packages: Record<string, unknown> = { '': { name: 'acme-mwaa', dependencies: { 'mwaa-gitops': version } } };
  packages['node_modules/mwaa-gitops'] = { version, resolved: `https://registry.npmjs.org/mwaa-gitops/-/mwaa-gitops-${version}.tgz`, integrity };
  for (const [name, v] of Object.entries(others)) packages[`node_modules/${name}`] = { version: v, integrity: `sha512-${name}${v}` };
  return `${JSON.stringify({ name: 'acme-mwaa', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}

describe('toolPin: what pins mwaa-gitops in each manifest format', () => {
  it('package.json: the dependency spec from any dependency field; absent when not a dependency', () => {
    expect(toolPin('package.json', pkg('0.1.0'))).toBe('0.1.0');
    expect(toolPin('package.json', JSON.stringify({ devDependencies: { 'mwaa-gitops': 'file:../mwaa-gitops-0.1.0.tgz' } }))).toBe('file:../mwaa-gitops-0.1.0.tgz');
    expect(toolPin('package.json', JSON.stringify({ dependencies: { 'mwaa-gitops-extra': '1.0.0' } }))).toBeUndefined();
    expect(toolPin('package.json', '{ broken')).toMatch(/^unreadable package.json \(sha256 [0-9a-f]{12}\)$/);
  });

  it('package-lock.json v3 and v1: version, resolved and integrity', () => {
    expect(toolPin('package-lock.json', lock('0.1.0', INTEGRITY_A))).toBe(`0.1.0 https://registry.npmjs.org/mwaa-gitops/-/mwaa-gitops-0.1.0.tgz ${INTEGRITY_A}`);
    const v1 = JSON.stringify({ lockfileVersion: 1, dependencies: { 'mwaa-gitops': { version: '0.1.0', integrity: INTEGRITY_A } } });
    expect(toolPin('package-lock.json', v1)).toBe(`0.1.0 ${INTEGRITY_A}`);
    expect(toolPin('npm-shrinkwrap.json', lock('0.1.0', INTEGRITY_A))).toContain('0.1.0');
  });

  it('yarn.lock and pnpm-lock.yaml: the entries naming the tool, unrelated entries ignored', () => {
    const yarn = (v: string, other: string) =>
      `# yarn lockfile v1\n\n"left-pad@^1.0.0":\n  version "${other}"\n\nmwaa-gitops@${v}:\n  version "${v}"\n  resolved "https://registry.yarnpkg.com/mwaa-gitops/-/mwaa-gitops-${v}.tgz"\n\nmwaa-gitops-extra@1.0.0:\n  version "1.0.0"\n`;
    expect(toolPin('yarn.lock', yarn('0.1.0', '1.0.0'))).toBe(toolPin('yarn.lock', yarn('0.1.0', '1.3.0')));
    expect(toolPin('yarn.lock', yarn('0.1.0', '1.0.0'))).not.toBe(toolPin('yarn.lock', yarn('0.2.0', '1.0.0')));
    const pnpm = (v: string, other: string) =>
      `lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      left-pad:\n        specifier: ${other}\n        version: ${other}\n      mwaa-gitops:\n        specifier: ${v}\n        version: ${v}\npackages:\n  mwaa-gitops@${v}:\n    resolution: {integrity: sha512-x${v}}\n`;
    expect(toolPin('pnpm-lock.yaml', pnpm('0.1.0', '1.0.0'))).toBe(toolPin('pnpm-lock.yaml', pnpm('0.1.0', '1.3.0')));
    expect(toolPin('pnpm-lock.yaml', pnpm('0.1.0', '1.0.0'))).not.toBe(toolPin('pnpm-lock.yaml', pnpm('0.2.0', '1.0.0')));
    expect(toolPin('yarn.lock', '"left-pad@^1.0.0":\n  version "1.0.0"\n')).toBeUndefined();
  });

  it('toolPinChange: one readable line, integrities shortened', () => {
    expect(toolPinChange('package-lock.json', lock('0.1.0', INTEGRITY_A), lock('0.1.0', INTEGRITY_A, { 'left-pad': '1.3.0' }))).toBeUndefined();
    expect(toolPinChange('package-lock.json', lock('0.1.0', INTEGRITY_A), lock('0.1.0', INTEGRITY_B))).toBe(
      'mwaa-gitops 0.1.0 https://registry.npmjs.org/mwaa-gitops/-/mwaa-gitops-0.1.0.tgz sha512-AAAAAAAAAAAA… -> 0.1.0 https://registry.npmjs.org/mwaa-gitops/-/mwaa-gitops-0.1.0.tgz sha512-BBBBBBBBBBBB… (package-lock.json)',
    );
    expect(toolPinChange('package.json', undefined, pkg('0.1.0'))).toBe('mwaa-gitops (absent) -> 0.1.0 (package.json)');
  });
});

describe('affected in a repository that installs mwaa-gitops (real git)', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo
      .write('package.json', pkg('0.1.0', { 'left-pad': '1.0.0' }))
      .write('package-lock.json', lock('0.1.0', INTEGRITY_A, { 'left-pad': '1.0.0' }))
      .write('environments/dev.yaml', envYaml('dev'))
      .write('environments/prod.yaml', envYaml('prod'))
      .write('src/dags/etl.py', 'print(1)\n')
      .commit('initial');
    repo.branch('change');
  });
  afterEach(() => repo.cleanup());

  const affected = async (...extra: string[]) => {
    const r = await runCli(['-C', repo.dir, 'affected', '--base', 'main', '--format', 'report', ...extra]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as { include: { env: string }[]; all: boolean; reasons: Record<string, string[]> };
  };

  it('an unrelated dependency bump and the repository own src/ affect nothing', async () => {
    repo.write('package.json', pkg('0.1.0', { 'left-pad': '1.3.0' })).write('package-lock.json', lock('0.1.0', INTEGRITY_A, { 'left-pad': '1.3.0' }));
    repo.write('src/dags/etl.py', 'print(2)\n').commit('bump left-pad, edit a DAG');
    const r = await affected();
    expect(r.include).toEqual([]);
    expect(r.all).toBe(false);
  });

  it('upgrading the tool (package.json + lockfile) affects every environment, committed or not', async () => {
    repo.write('package.json', pkg('0.2.0', { 'left-pad': '1.0.0' })).write('package-lock.json', lock('0.2.0', INTEGRITY_B, { 'left-pad': '1.0.0' }));
    const uncommitted = await affected();
    expect(uncommitted.include.map((i) => i.env)).toEqual(['dev', 'prod']);
    expect((await affected('--committed-only')).include).toEqual([]); // nothing committed yet
    repo.commit('upgrade mwaa-gitops');
    const r = await affected('--committed-only');
    expect(r.all).toBe(true);
    expect(r.include.map((i) => i.env)).toEqual(['dev', 'prod']);
    expect(r.reasons.dev).toEqual([
      'tool version changed: mwaa-gitops 0.1.0 -> 0.2.0 (package.json)',
      'tool version changed: mwaa-gitops 0.1.0 https://registry.npmjs.org/mwaa-gitops/-/mwaa-gitops-0.1.0.tgz sha512-AAAAAAAAAAAA… -> 0.2.0 https://registry.npmjs.org/mwaa-gitops/-/mwaa-gitops-0.2.0.tgz sha512-BBBBBBBBBBBB… (package-lock.json)',
    ]);
  });

  it('the same version from a different tarball (lockfile integrity only) affects every environment', async () => {
    repo.write('package-lock.json', lock('0.1.0', INTEGRITY_B, { 'left-pad': '1.0.0' })).commit('reinstall');
    const r = await affected();
    expect(r.include.map((i) => i.env)).toEqual(['dev', 'prod']);
    expect(r.reasons.prod).toHaveLength(1);
    expect(r.reasons.prod[0]).toMatch(/^tool version changed: .*sha512-AAAAAAAAAAAA… -> .*sha512-BBBBBBBBBBBB… \(package-lock.json\)$/);
  });

  it('environments/ in a subdirectory: the manifest at the git top level counts', async () => {
    const mono = new TempRepo();
    try {
      mono
        .write('package.json', pkg('0.1.0'))
        .write('package-lock.json', lock('0.1.0', INTEGRITY_A))
        .write('infra/mwaa/environments/dev.yaml', envYaml('dev'))
        .commit('initial');
      mono.branch('up');
      mono.write('package-lock.json', lock('0.2.0', INTEGRITY_B)).commit('upgrade');
      const r = await runCli(['-C', `${mono.dir}/infra/mwaa`, 'affected', '--base', 'main', '--format', 'report']);
      const j = JSON.parse(r.stdout);
      expect(j.include).toEqual([{ env: 'dev', file: 'environments/dev.yaml' }]);
      expect(j.reasons.dev[0]).toMatch(/^tool version changed: mwaa-gitops 0\.1\.0 .* -> 0\.2\.0 .*\(\.\.\/\.\.\/package-lock\.json\)$/);
    } finally {
      mono.cleanup();
    }
  });
});
