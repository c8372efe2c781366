/**
 * `mwaa-gitops init [dir] [--name <env>] [--region <r>] [--account <id>] [--force]`: scaffolds a GitOps repository
 * that installs this tool: package.json pinning this exact version, environments/_defaults.yaml and one example
 * environment (validated before anything is written), the plan / apply / drift workflows, .gitignore, the editor
 * schema wiring (modeline + .vscode/settings.json), the repository marker and a short README.
 *
 * Idempotent: an existing file is never overwritten without --force and every skipped file is named. With --force,
 * package.json is the one file merged rather than replaced: the mwaa-gitops dependency is set, the rest is kept.
 *
 * Sources: templates/init/ (shipped with the package) and the tool's own .github/workflows/{plan,apply,drift}.yml
 * (shipped too), copied verbatim under a header, so the workflows a user gets are the ones this repository runs.
 * Exit 0 written or skipped, 1 on error (nothing written then).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command } from 'commander';
import { hasErrors } from '../findings';
import { packageRoot, toolVersion } from '../paths';
import { MARKER_FILE } from '../repo';
import { formatText } from '../report/findings-text';
import { validateFiles } from '../engine/validate';
import { latestSupportedVersion } from '../spec/defaults';
import { region as knownRegion } from '../rules/data';
import { writeResult, type CommandResult } from './result';

export const WORKFLOWS = ['plan.yml', 'apply.yml', 'drift.yml'] as const;
const TOOL = 'mwaa-gitops';

export interface InitOptions {
  /** Directory to scaffold (created when missing). */
  dir: string;
  /** Example environment name; default: derived from the directory name. */
  name?: string;
  region?: string;
  /** AWS account id written as the example's `account` guard. */
  account?: string;
  force?: boolean;
  /** For tests: the date the Airflow version default is computed for. */
  today?: Date;
}

export interface InitFile {
  /** Path relative to the scaffolded directory, forward slashes. */
  path: string;
  status: 'created' | 'overwritten' | 'skipped' | 'merged';
  /** Why it was skipped, or what to do by hand. */
  note?: string;
}

export interface InitResult {
  dir: string;
  name: string;
  files: InitFile[];
  /** Lines for the user after the file list. */
  next: string[];
}

export class InitError extends Error {}

/** An MWAA-valid environment name from a directory name: `acme-mwaa` -> `acme-mwaa-dev`. */
export function defaultEnvName(dir: string): string {
  const base = path
    .basename(path.resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+/g, '-')
    .slice(0, 30)
    .replace(/-+$/, '');
  return base ? `${base}-dev` : 'mwaa-dev';
}

function templatesDir(): string {
  return path.join(packageRoot(), 'templates', 'init');
}

function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (m, k: string) => (k in vars ? vars[k] : m));
}

function template(rel: string, vars: Record<string, string>): string {
  return fill(fs.readFileSync(path.join(templatesDir(), rel), 'utf8'), vars);
}

/** A workflow of this tool's repository, under a header saying where it comes from. */
export function consumerWorkflow(file: (typeof WORKFLOWS)[number], version: string = toolVersion()): string {
  const source = fs.readFileSync(path.join(packageRoot(), '.github', 'workflows', file), 'utf8');
  return (
    `# Written by \`mwaa-gitops init\` from mwaa-gitops ${version} (its own .github/workflows/${file}). It runs the\n` +
    '# mwaa-gitops pinned in package.json (`npm ci` puts node_modules/.bin on PATH, then `mwaa-gitops`); `npx mwaa-gitops init --force` rewrites it.\n' +
    source
  );
}

function packageJsonText(dirName: string, version: string): string {
  const name = dirName.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '') || 'mwaa-environments';
  const pkg = {
    name,
    private: true,
    description: 'Amazon MWAA environments run by GitOps with mwaa-gitops',
    scripts: { validate: 'mwaa-gitops validate', plan: 'mwaa-gitops plan', affected: 'mwaa-gitops affected' },
    dependencies: { [TOOL]: version },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

type Pkg = { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };

/** The mwaa-gitops dependency spec of a package.json, if any. */
function toolDependency(pkg: Pkg): string | undefined {
  return pkg.dependencies?.[TOOL] ?? pkg.devDependencies?.[TOOL] ?? pkg.optionalDependencies?.[TOOL];
}

/** Exact: a version (`0.1.0`), a file/tarball/git reference; not a range (`^0.1.0`, `~0.1`, `>=0.1`, `*`, `latest`). */
function isExactPin(spec: string): boolean {
  return /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(spec) || /^(file:|git\+|git:|https?:|github:)/.test(spec) || /\.t(ar\.)?gz$/.test(spec);
}

/** Writes the scaffold (nothing when the example does not validate or an argument is wrong: InitError). */
export function scaffold(opts: InitOptions): InitResult {
  const dir = path.resolve(opts.dir);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new InitError(`${opts.dir} is not a directory`);
  const version = toolVersion();
  const name = opts.name ?? defaultEnvName(dir);
  const region = opts.region ?? 'us-east-1';
  if (!knownRegion(region)) throw new InitError(`--region ${region}: not a Region where this tool knows MWAA is available (data/regions.json)`);
  if (opts.account !== undefined && !/^\d{12}$/.test(opts.account)) throw new InitError(`--account ${opts.account}: an AWS account id is 12 digits`);
  const vars: Record<string, string> = {
    name,
    region,
    version,
    airflowVersion: latestSupportedVersion(opts.today),
    account:
      opts.account !== undefined
        ? `account: "${opts.account}"             # guard: the provider refuses to touch any other account`
        : '# account: "111122223333"        # recommended: the provider then refuses to touch any other account',
  };

  const files = new Map<string, string>([
    [MARKER_FILE, template('mwaa-gitops.yaml', vars)],
    ['environments/_defaults.yaml', template('environments/_defaults.yaml', vars)],
    [`environments/${name}.yaml`, template('environments/example.yaml', vars)],
    ['.gitignore', template('gitignore', vars)],
    ['.vscode/settings.json', template('vscode-settings.json', vars)],
    ['README.md', template('README.md', vars)],
    ...WORKFLOWS.map((w) => [`.github/workflows/${w}`, consumerWorkflow(w, version)] as [string, string]),
  ]);

  checkExample(files, name, opts.today);

  const result: InitResult = { dir, name, files: [], next: [] };
  fs.mkdirSync(dir, { recursive: true });
  result.files.push(writePackageJson(dir, version, opts.force === true, result.next));
  for (const [rel, text] of files) {
    const abs = path.join(dir, rel);
    const exists = fs.existsSync(abs);
    if (exists && !opts.force) {
      result.files.push({ path: rel, status: 'skipped', note: skipNote(rel, abs) });
      continue;
    }
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    result.files.push({ path: rel, status: exists ? 'overwritten' : 'created' });
  }
  result.next.push(`npx mwaa-gitops validate      # ${name} and every other environment`, `npx mwaa-gitops plan ${name}`);
  return result;
}

/** The example and its base, rendered, must validate before anything is written. */
function checkExample(files: Map<string, string>, name: string, today?: Date): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-gitops-init-'));
  try {
    for (const rel of ['environments/_defaults.yaml', `environments/${name}.yaml`]) {
      fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
      fs.writeFileSync(path.join(tmp, rel), files.get(rel)!);
    }
    const report = validateFiles([path.join(tmp, 'environments', `${name}.yaml`)], { repoRoot: tmp, today });
    if (hasErrors(report.findings)) {
      throw new InitError(`the example environment would not be valid (nothing written):\n${formatText(report, { repoRoot: tmp, strict: false, color: false }).trimEnd()}`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function writePackageJson(dir: string, version: string, force: boolean, next: string[]): InitFile {
  const file = path.join(dir, 'package.json');
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, packageJsonText(path.basename(dir), version));
    next.push('npm install                   # installs the pinned mwaa-gitops and writes package-lock.json (commit both)');
    return { path: 'package.json', status: 'created', note: `${TOOL} ${version}` };
  }
  let pkg: Pkg & Record<string, unknown>;
  try {
    pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as Pkg & Record<string, unknown>;
  } catch {
    return { path: 'package.json', status: 'skipped', note: 'exists and is not valid JSON; not touched' };
  }
  const current = toolDependency(pkg);
  if (current !== undefined && isExactPin(current)) return { path: 'package.json', status: 'skipped', note: `exists; ${TOOL} is pinned there (${current})` };
  if (force) {
    for (const f of ['devDependencies', 'optionalDependencies'] as const) if (pkg[f]?.[TOOL] !== undefined) delete pkg[f]![TOOL];
    pkg.dependencies = { ...(pkg.dependencies ?? {}), [TOOL]: version };
    fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
    next.push('npm install                   # installs the pinned mwaa-gitops (commit package-lock.json)');
    return { path: 'package.json', status: 'merged', note: `${TOOL} set to ${version}, everything else kept` };
  }
  const fix = `npm install --save-exact ${TOOL}@${version}`;
  next.push(`${fix}   # pin the tool (or run init --force)`);
  return {
    path: 'package.json',
    status: 'skipped',
    note: current === undefined ? `exists without ${TOOL}: run \`${fix}\`` : `exists; ${TOOL} is "${current}", a range: pin it with \`${fix}\``,
  };
}

/** What a skipped file lacks, when that matters (the ignore entries, the schema mapping). */
function skipNote(rel: string, abs: string): string {
  const text = fs.readFileSync(abs, 'utf8');
  if (rel === '.gitignore') {
    const lines = new Set(text.split(/\r?\n/).map((l) => l.trim().replace(/^\//, '')));
    const missing = ['.mwaa-gitops/', 'cdktf.out/', 'node_modules/'].filter((e) => !lines.has(e) && !lines.has(e.replace(/\/$/, '')));
    return missing.length ? `exists; add ${missing.join(', ')} to it` : 'exists';
  }
  if (rel === '.vscode/settings.json' && !text.includes(`${TOOL}/schemas/environment.schema.json`)) {
    return `exists; add "yaml.schemas": { "./node_modules/${TOOL}/schemas/environment.schema.json": ["environments/*.yaml"] } to it`;
  }
  return 'exists';
}

export function formatInit(r: InitResult, shownDir: string): string {
  const out = [`mwaa-gitops init: ${shownDir}`];
  const width = Math.max(...r.files.map((f) => f.path.length));
  for (const f of r.files) out.push(`  ${f.status.padEnd(11)} ${f.note ? `${f.path.padEnd(width)}  (${f.note})` : f.path}`);
  const skipped = r.files.filter((f) => f.status === 'skipped').length;
  if (skipped) out.push(`${skipped} existing file${skipped === 1 ? '' : 's'} left as they are (--force overwrites them)`);
  out.push('next:', ...r.next.map((l) => `  ${l}`));
  return `${out.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('init')
    .description('scaffold a GitOps repository: package.json pinning this version, environments/, workflows, editor schema wiring')
    .argument('[dir]', 'directory to scaffold (default: the current directory, or -C)')
    .option('--name <env>', 'name of the example environment (default: <directory name>-dev)')
    .option('--region <region>', 'AWS Region of the environments', 'us-east-1')
    .option('--account <id>', 'AWS account id: the provider then refuses any other account')
    .option('--force', 'overwrite existing files (package.json: only the mwaa-gitops dependency is set)', false)
    .action((dirArg: string | undefined, o: { name?: string; region: string; account?: string; force: boolean }, cmd: Command) => {
      const base = (cmd.optsWithGlobals() as { repo?: string }).repo ?? process.cwd();
      writeResult(run({ ...o, dir: path.resolve(base, dirArg ?? '.') }));
    });
}

/** `init`: the scaffold, then the list of files written and skipped (paths shown relative to `cwd`, default the process's). */
export function run(args: InitOptions & { cwd?: string }): CommandResult {
  try {
    const r = scaffold(args);
    const rel = path.relative(args.cwd ?? process.cwd(), args.dir);
    return { exitCode: 0, stdout: formatInit(r, rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? args.dir : rel), stderr: '' };
  } catch (e) {
    if (!(e instanceof InitError)) throw e;
    return { exitCode: 1, stdout: '', stderr: `mwaa-gitops init: ${e.message}\n` };
  }
}
