/**
 * Issue 13 acceptance, end to end, as a new team would do it (the README's "Use it in your repository" steps):
 * `npm pack` this tool; an empty git repository; `npm install` the tarball there; `npx mwaa-gitops init`;
 * `validate`; plan and apply the scaffolded example on the emulators; a change committed on a branch, then
 * `affected`, `diff` and `pr-comment` against the base; `--version`; `validate` from `environments/`.
 * Every command runs the INSTALLED tool (node_modules/.bin through npx) in a child process, never this checkout.
 * The consumer repository holds no copy of the tool's source (only node_modules does, and only the built package).
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { toolPin } from '../../src/gitops/tool-version';
import { Emulators, startEmulators, TEST_ACCOUNT_ID } from '../../src/sandbox/emulators';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let em: Emulators;
let work: string;
let consumer: string;
let tarball: string;
let target: string;
let env: string;
const figures: string[] = [];

interface Run {
  code: number;
  out: string;
  err: string;
  ms: number;
}

function run(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      {
        cwd: opts.cwd ?? consumer,
        timeout: opts.timeoutMs ?? 600_000,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
        env: { ...process.env, ...(em ? em.awsEnv : {}), NO_COLOR: '1', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
      },
      (err, out, errOut) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
        resolve({ code, out, err: errOut, ms: Date.now() - started });
      },
    );
  });
}

/** `npx mwaa-gitops ...` in the consumer repository (or `cwd`). */
const tool = (args: string[], cwd?: string) => run('npx', ['--no-install', 'mwaa-gitops', ...args], { cwd });
const git = (...args: string[]) => run('git', args);

function noStackTrace(r: Run): void {
  expect(`${r.out}\n${r.err}`).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

beforeAll(async () => {
  work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-consumer-e2e-')));
  consumer = path.join(work, 'acme-mwaa');
  fs.mkdirSync(consumer);

  // 1. npm pack the tool, as a release would (prepack: a clean build), from a copy of the checkout's sources (what
  // git tracks or would add; no dist/): the pack cannot lean on a stale build, and this checkout's dist/ is left alone
  const source = path.join(work, 'mwaa-gitops-source');
  const listed = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT });
  expect(listed.code).toBe(0);
  for (const rel of new Set(listed.out.split('\0').filter(Boolean))) {
    const from = path.join(REPO_ROOT, rel);
    if (!fs.existsSync(from) || fs.lstatSync(from).isDirectory()) continue; // deleted in the working tree; submodule
    fs.mkdirSync(path.dirname(path.join(source, rel)), { recursive: true });
    fs.copyFileSync(from, path.join(source, rel));
  }
  expect(fs.existsSync(path.join(source, 'dist'))).toBe(false);
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(source, 'node_modules'), 'dir'); // TypeScript for the build
  const packed = await run('npm', ['pack', '--pack-destination', work, '--json'], { cwd: source });
  expect(packed.err).not.toMatch(/ERR!/);
  expect(packed.code).toBe(0);
  const info = (JSON.parse(packed.out.slice(packed.out.indexOf('['))) as Array<{ filename: string; size: number; unpackedSize: number; entryCount: number }>)[0];
  tarball = path.join(work, info.filename);
  figures.push(`npm pack ${(packed.ms / 1000).toFixed(1)} s: ${info.filename} ${(info.size / 1024).toFixed(1)} KiB (${(info.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${info.entryCount} files)`);

  em = await startEmulators({ mwaa: { transitionDelayMs: 300 } });
  target = em.writeTarget(path.join(work, 'emulator-target.json')); // outside the repository: test configuration
});

afterAll(async () => {
  await em?.stop();
  process.stdout.write(`consumer e2e figures:\n${figures.map((f) => `  ${f}`).join('\n')}\n`);
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('a new team: install the packed tool, init, validate, plan and apply, a PR change, version, subdirectory', async () => {
  const started = Date.now();
  // 2. an empty git repository with the tool installed from the tarball, pinned exactly
  expect((await git('init', '-q', '-b', 'main')).code).toBe(0);
  await git('config', 'user.email', 'team@example.com');
  await git('config', 'user.name', 'Team');
  await git('config', 'commit.gpgsign', 'false');
  // --prefer-offline: the dependencies' tarballs come from npm's cache when `npm ci` of this repository put them
  // there (same pinned versions); the registry is still asked for anything missing.
  const installed = await run('npm', ['install', '--save-exact', '--prefer-offline', '--no-audit', '--no-fund', tarball]);
  expect(installed.err).not.toMatch(/ERR!/);
  expect(installed.code).toBe(0);
  figures.push(`npm install of the tarball: ${(installed.ms / 1000).toFixed(1)} s`);
  const pkg = JSON.parse(fs.readFileSync(path.join(consumer, 'package.json'), 'utf8'));
  expect(pkg.dependencies['mwaa-gitops']).toMatch(/^file:.*mwaa-gitops-\d+\.\d+\.\d+\.tgz$/);
  // what `affected` reads as the installed tool, from the files npm really wrote: the spec, and version + tarball + integrity
  expect(toolPin('package.json', fs.readFileSync(path.join(consumer, 'package.json'), 'utf8'))).toBe(pkg.dependencies['mwaa-gitops']);
  expect(toolPin('package-lock.json', fs.readFileSync(path.join(consumer, 'package-lock.json'), 'utf8'))).toMatch(
    new RegExp(`^${VERSION.replace(/\./g, '\\.')} file:.*mwaa-gitops-${VERSION.replace(/\./g, '\\.')}\\.tgz sha512-[A-Za-z0-9+/]+=*$`),
  );

  // the installed package: built code, schema, data, templates, workflows; no TypeScript source, tests or sandbox
  const installedDir = path.join(consumer, 'node_modules', 'mwaa-gitops');
  for (const f of ['bin/mwaa-gitops', 'dist/src/cli/index.js', 'schemas/environment.schema.json', 'data/airflow-versions.json', 'templates/init/environments/example.yaml', '.github/workflows/plan.yml']) {
    expect({ f, exists: fs.existsSync(path.join(installedDir, f)) }).toEqual({ f, exists: true });
  }
  for (const f of ['src', 'test', 'stacks', 'dist/test', 'dist/bench', 'dist/src/sandbox', 'dist/src/demo.js', 'main.ts', 'tsconfig.json']) {
    expect({ f, exists: fs.existsSync(path.join(installedDir, f)) }).toEqual({ f, exists: false });
  }

  // 3. init (the example guards the account the emulators answer as)
  const init = await tool(['init', '--account', TEST_ACCOUNT_ID]);
  expect(init.err).toBe('');
  expect(init.code).toBe(0);
  expect(init.out).toMatch(/skipped +package\.json +\(exists; mwaa-gitops is pinned there \(file:/);
  env = /created +environments\/([a-z0-9-]+)\.yaml/.exec(init.out)![1];
  expect(env).toBe('acme-mwaa-dev');
  for (const f of ['.mwaa-gitops.yaml', '.gitignore', '.vscode/settings.json', 'README.md', 'environments/_defaults.yaml', '.github/workflows/plan.yml', '.github/workflows/apply.yml', '.github/workflows/drift.yml']) {
    expect(init.out).toMatch(new RegExp(`created +${f.replace(/\./g, '\\.')}`));
  }

  // 4. validate
  const valid = await tool(['validate']);
  expect(valid).toMatchObject({ code: 0, out: '1 environment valid\n', err: '' });

  // 5. plan and apply the scaffolded example on the emulators
  const planned = await tool(['plan', env, '--provider-args', target]);
  noStackTrace(planned);
  expect([0, 2]).toContain(planned.code); // 2 = changes today; 0 once plan follows terraform (2 only with --detailed-exitcode)
  expect(planned.out).toMatch(new RegExp(`^${env}: \\d+ to add, 0 to change, 0 to destroy`, 'm'));
  figures.push(`plan (create): ${(planned.ms / 1000).toFixed(1)} s`);
  const applied = await tool(['apply', env, '--provider-args', target, '--auto-approve']);
  noStackTrace(applied);
  expect(applied.code).toBe(0);
  expect(applied.out).toMatch(new RegExp(`^${env}: applied in \\d+s`, 'm'));
  figures.push(`apply: ${(applied.ms / 1000).toFixed(1)} s`);

  // 6. commit, then a change on a branch; affected, diff and pr-comment against the base
  const status = await git('status', '--porcelain', '--untracked-files=all');
  expect(status.out).not.toMatch(/node_modules|\.mwaa-gitops\/|cdktf\.out/); // ignored by the scaffolded .gitignore
  await git('add', '-A');
  expect((await git('commit', '-q', '-m', 'mwaa-gitops init')).code).toBe(0);
  await git('checkout', '-q', '-b', 'more-workers');
  const specFile = path.join(consumer, 'environments', `${env}.yaml`);
  const doc = parseDocument(fs.readFileSync(specFile, 'utf8'));
  doc.setIn(['airflow', 'workers', 'max'], 8);
  fs.writeFileSync(specFile, doc.toString());
  await git('commit', '-q', '-am', 'more workers');

  const affected = await tool(['affected', '--base', 'main', '--format', 'json']);
  expect(affected).toMatchObject({ code: 0, err: '' });
  expect(JSON.parse(affected.out)).toEqual({ include: [{ env, file: `environments/${env}.yaml` }] });
  const diff = await tool(['diff', '--base', 'main']);
  expect([0, 2]).toContain(diff.code); // 2 = differences today
  expect(diff.out).toContain('airflow.workers.max: 5 -> 8');
  const planJson = path.join(consumer, 'plans', `${env}.json`);
  const prPlan = await tool(['plan', env, '--provider-args', target, '--json-out', planJson]);
  expect([0, 2]).toContain(prPlan.code);
  expect(prPlan.out).toMatch(new RegExp(`^${env}: 0 to add, 1 to change, 0 to destroy`, 'm'));
  figures.push(`plan (update, --json-out): ${(prPlan.ms / 1000).toFixed(1)} s`);
  const comment = await tool(['pr-comment', '--base', 'main', '--plan-json', path.dirname(planJson)]);
  expect(comment.code).toBe(0);
  expect(comment.out.split('\n')[0]).toBe('<!-- mwaa-gitops:pr-comment -->');
  expect(comment.out).toContain(env);
  expect(comment.out).toContain('airflow.workers.max');
  expect(comment.out).toMatch(/1 to change|1 change/);

  // 7. --version, and validate from environments/ (and deeper)
  const version = await tool(['--version']);
  expect(version).toMatchObject({ code: 0, out: `${VERSION}\n`, err: '' });
  const fromEnvs = await tool(['validate'], path.join(consumer, 'environments'));
  expect(fromEnvs).toMatchObject({ code: 0, out: '1 environment valid\n', err: '' });
  fs.mkdirSync(path.join(consumer, '.github', 'workflows', 'sub'), { recursive: true });
  expect((await tool(['validate'], path.join(consumer, '.github', 'workflows', 'sub'))).code).toBe(0);

  // 8. no copy of the tool in the repository: what git tracks is the scaffold plus the npm manifest and lockfile
  const tracked = (await git('ls-files')).out.split('\n').filter(Boolean).sort();
  expect(tracked).toEqual([
    '.github/workflows/apply.yml',
    '.github/workflows/drift.yml',
    '.github/workflows/plan.yml',
    '.gitignore',
    '.mwaa-gitops.yaml',
    '.vscode/settings.json',
    'README.md',
    'environments/_defaults.yaml',
    `environments/${env}.yaml`,
    'package-lock.json',
    'package.json',
  ]);
  const outside = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      if (e.name === 'node_modules' || e.name === '.git') return [];
      const p = path.join(dir, e.name);
      return e.isDirectory() ? outside(p) : [path.relative(consumer, p)];
    });
  expect(outside(consumer).filter((f) => /\.(ts|js|cjs|mjs)$/.test(f) || /^(src|stacks|dist|bin|schemas|data|templates)\//.test(f))).toEqual([]);
  figures.push(`whole flow after the pack: ${((Date.now() - started) / 1000).toFixed(0)} s`);
});
