/**
 * `mwaa-gitops init`: what it writes (valid example and base, exact pin, the tool's own workflows, ignore entries,
 * editor wiring), that it is idempotent, never overwrites without --force, and names what it skipped.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { runCli } from '../gitops/cli-run';
import { REPO_ROOT } from '../spec/helpers';
import { defaultEnvName } from '../../src/cli/init';

const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const WORKFLOWS = ['plan.yml', 'apply.yml', 'drift.yml'];
const EXPECTED = [
  '.github/workflows/apply.yml',
  '.github/workflows/drift.yml',
  '.github/workflows/plan.yml',
  '.gitignore',
  '.mwaa-gitops.yaml',
  '.vscode/settings.json',
  'README.md',
  'environments/_defaults.yaml',
  'environments/acme-dev.yaml',
  'package.json',
];

function tempDir(name = 'acme'): string {
  const parent = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-init-')));
  return path.join(parent, name);
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

describe('mwaa-gitops init', () => {
  it('scaffolds a repository whose example and base validate, pinning this exact version', async () => {
    const dir = tempDir();
    const r = await runCli(['init', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(listFiles(dir)).toEqual(EXPECTED);
    for (const f of EXPECTED) expect(r.stdout).toMatch(new RegExp(`^  created +${f.replace(/\./g, '\\.')}`, 'm'));

    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.dependencies).toEqual({ 'mwaa-gitops': VERSION });
    expect(pkg.private).toBe(true);

    const v = await runCli(['-C', dir, 'validate', '--strict']);
    expect(v).toEqual({ code: 0, stdout: '1 environment valid\n', stderr: '' });
    const shown = await runCli(['-C', dir, 'show', 'acme-dev']);
    expect(shown.code).toBe(0);
    const resolved = parse(shown.stdout);
    expect(resolved).toMatchObject({ name: 'acme-dev', region: 'us-east-1', network: { mode: 'create', routing: 'public' }, state: { backend: 'local' } });
    expect(resolved.account).toBeUndefined();
  });

  it('the workflows are the tool repository own workflows, verbatim under a header', async () => {
    const dir = tempDir();
    await runCli(['init', dir]);
    for (const w of WORKFLOWS) {
      const written = fs.readFileSync(path.join(dir, '.github', 'workflows', w), 'utf8');
      const source = fs.readFileSync(path.join(REPO_ROOT, '.github', 'workflows', w), 'utf8');
      const header = written.slice(0, written.length - source.length);
      expect(written.endsWith(source)).toBe(true);
      expect(header.split('\n').filter(Boolean).every((l) => l.startsWith('#'))).toBe(true);
      expect(header).toContain(`mwaa-gitops ${VERSION}`);
      expect(parse(written)).toEqual(parse(source));
      // they call the pinned tool, never a checkout of the tool
      expect(written).toContain('echo "$PWD/node_modules/.bin" >> "$GITHUB_PATH"');
      expect(written).toMatch(/^ +(run: )?mwaa-gitops /m);
      expect(written).not.toMatch(/node bin\/|npm run build|dist\//);
    }
  });

  it('editor wiring: modelines and .vscode/settings.json point at the schema shipped in node_modules', async () => {
    const dir = tempDir();
    await runCli(['init', dir]);
    const installed = path.join(dir, 'node_modules', 'mwaa-gitops', 'schemas', 'environment.schema.json');
    for (const f of ['environments/_defaults.yaml', 'environments/acme-dev.yaml']) {
      const first = fs.readFileSync(path.join(dir, f), 'utf8').split('\n')[0];
      const m = /^# yaml-language-server: \$schema=(.+)$/.exec(first);
      expect(m).not.toBeNull();
      expect(path.resolve(path.dirname(path.join(dir, f)), m![1])).toBe(installed);
    }
    const settings = JSON.parse(fs.readFileSync(path.join(dir, '.vscode', 'settings.json'), 'utf8'));
    const [[schema, globs]] = Object.entries(settings['yaml.schemas'] as Record<string, string[]>);
    expect(path.resolve(dir, schema)).toBe(installed);
    expect(globs).toContain('environments/*.yaml');
    // the package ships that file at that place (package root = node_modules/mwaa-gitops once installed)
    expect(fs.existsSync(path.join(REPO_ROOT, 'schemas', 'environment.schema.json'))).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).files).toEqual(expect.arrayContaining(['schemas/', 'templates/']));
  });

  it('.gitignore, marker and README', async () => {
    const dir = tempDir();
    await runCli(['init', dir]);
    const ignore = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['.mwaa-gitops/', 'cdktf.out/', 'node_modules/']));
    expect(fs.readFileSync(path.join(dir, '.mwaa-gitops.yaml'), 'utf8')).toMatch(/^# /);
    const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('npx mwaa-gitops plan acme-dev');
    expect(readme).not.toMatch(/\{\{\w+\}\}/);
    // the marker alone makes a repository: commands work from a subdirectory without environments/ on the way
    fs.mkdirSync(path.join(dir, 'dags', 'team'), { recursive: true });
    expect((await runCli(['-C', path.join(dir, 'dags', 'team'), 'validate'])).stdout).toBe('1 environment valid\n');
  });

  it('is idempotent: a second run skips every file, names them, and changes nothing', async () => {
    const dir = tempDir();
    await runCli(['init', dir]);
    const before = snapshot(dir);
    const again = await runCli(['init', dir]);
    expect(again.code).toBe(0);
    expect(snapshot(dir)).toEqual(before);
    for (const f of EXPECTED) expect(again.stdout).toMatch(new RegExp(`^  skipped +${f.replace(/\./g, '\\.')}`, 'm'));
    expect(again.stdout).toMatch(new RegExp(`skipped +package\\.json +\\(exists; mwaa-gitops is pinned there \\(${VERSION.replace(/\./g, '\\.')}\\)\\)`));
    expect(again.stdout.split('\n')[0]).toBe(`mwaa-gitops init: ${dir}`);
    expect(again.stdout).toContain('10 existing files left as they are (--force overwrites them)');
  });

  it('never overwrites without --force; --force rewrites templates and merges package.json', async () => {
    const dir = tempDir();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'mine', scripts: { test: 'x' }, devDependencies: { 'mwaa-gitops': '^0.1.0', jest: '29.7.0' } }, null, 2)}\n`);
    fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n*.log\n');
    fs.mkdirSync(path.join(dir, '.vscode'));
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), '{ "editor.tabSize": 2 }\n');
    fs.writeFileSync(path.join(dir, 'README.md'), '# mine\n');

    const r = await runCli(['init', dir]);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toBe('# mine\n');
    expect(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')).toBe('node_modules\n*.log\n');
    expect(r.stdout).toMatch(/skipped +package\.json +\(exists; mwaa-gitops is "\^0\.1\.0", a range: pin it with `npm install --save-exact mwaa-gitops@/);
    expect(r.stdout).toMatch(/skipped +\.gitignore +\(exists; add \.mwaa-gitops\/, cdktf\.out\/ to it\)/);
    expect(r.stdout).toMatch(/skipped +\.vscode\/settings\.json +\(exists; add "yaml\.schemas": \{ "\.\/node_modules\/mwaa-gitops\/schemas\/environment\.schema\.json"/);
    expect(r.stdout).toMatch(/skipped +README\.md +\(exists\)/);
    expect(r.stdout).toMatch(/created +environments\/acme-dev\.yaml/);

    fs.writeFileSync(path.join(dir, 'environments', 'acme-dev.yaml'), 'edited\n');
    const forced = await runCli(['init', dir, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/overwritten +environments\/acme-dev\.yaml/);
    expect(forced.stdout).toMatch(/merged +package\.json/);
    expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toContain('mwaa-gitops');
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg).toEqual({ name: 'mine', scripts: { test: 'x' }, devDependencies: { jest: '29.7.0' }, dependencies: { 'mwaa-gitops': VERSION } });
    expect((await runCli(['-C', dir, 'validate'])).code).toBe(0);
  });

  it('--name, --region, --account; -C as the base directory', async () => {
    const parent = path.dirname(tempDir());
    const r = await runCli(['-C', parent, 'init', 'team', '--name', 'orders-prod', '--region', 'eu-west-1', '--account', '123456789012']);
    expect(r.code).toBe(0);
    const dir = path.join(parent, 'team');
    const shown = parse((await runCli(['-C', dir, 'show', 'orders-prod'])).stdout);
    expect(shown).toMatchObject({ name: 'orders-prod', region: 'eu-west-1', account: '123456789012' });
    expect((await runCli(['-C', dir, 'validate', '--strict'])).code).toBe(0);
  });

  it('refuses bad input before writing anything', async () => {
    const dir = tempDir();
    const badName = await runCli(['init', dir, '--name', '1-not-a-name']);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toMatch(/^mwaa-gitops init: the example environment would not be valid \(nothing written\):\n.*MWAA-NAME-001/s);
    expect(fs.existsSync(dir)).toBe(false);
    const badAccount = await runCli(['init', dir, '--account', '1234']);
    expect(badAccount.stderr).toBe('mwaa-gitops init: --account 1234: an AWS account id is 12 digits\n');
    const badRegion = await runCli(['init', dir, '--region', 'us-east-9']);
    expect(badRegion.stderr).toMatch(/^mwaa-gitops init: --region us-east-9: not a Region/);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it('default environment name from the directory name, always MWAA-valid', () => {
    expect(defaultEnvName('/x/acme-mwaa')).toBe('acme-mwaa-dev');
    expect(defaultEnvName('/x/Data Platform_Infra')).toBe('data-platform-infra-dev');
    expect(defaultEnvName('/x/123')).toBe('mwaa-dev');
    expect(defaultEnvName('/x/' + 'a'.repeat(60))).toBe(`${'a'.repeat(30)}-dev`);
  });
});
