/**
 * `validate --resolve`: resolve an environment's requirements.txt the way MWAA's installer would, without Docker:
 * `pip install --dry-run --report` for the environment's Python version on MWAA's platform (manylinux x86_64,
 * binary wheels only), against the constraints the file names, with `apache-airflow==<version>` already
 * installed (a metadata-only stand-in for the MWAA image, so Airflow's own sdist-only dependencies are not
 * re-resolved). pip comes from the pinned resolver venv (scripts/setup-resolver.sh); the user's pip
 * configuration files are not read (PIP_CONFIG_FILE=/dev/null).
 *
 * What is rewritten before pip runs (line numbers are kept, so pip's "(line N)" is the file's line):
 * - an Apache Airflow constraints URL naming another Airflow/Python version -> the environment's own (the stale
 *   line is reported by MWAA-REQ-001; the resolution then says what the right constraints would do);
 * - official constraints URLs -> a local copy: the mirror directory (`--constraints-dir`,
 *   MWAA_GITOPS_CONSTRAINTS_DIR, laid out as constraints-<airflow>/constraints-<python>.txt), else the cache,
 *   else downloaded once;
 * - `/usr/local/airflow/dags/<file>` -> `<repo>/<bucket.dagsPath>/<file>`; relative paths -> absolute;
 * - `--find-links /usr/local/airflow/plugins` -> the wheels of plugins.zip, extracted to a temporary directory.
 *
 * Results are cached by content hash (requirements after rewriting + every local constraints file + wheels +
 * Python + platform + Airflow version + resolver version) in `<repo>/.mwaa-gitops/resolve/`.
 */
import { spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import AdmZip from 'adm-zip';
import { satisfies } from '@renovatebot/pep440';
import type { ValidationReport } from '../engine/validate';
import { airflowVersion, artifactFacts, compareVersions, mwaaPlatform } from '../rules/data';
import { classifyConstraint, officialConstraintUrl, parseConstraints } from './constraints';
import type { OptionEntry, PluginsArchive, RequirementsFile, Resolution, ResolutionProblem } from './model';
import { normalizeName, requirementsOf } from './requirements';
import { resolutionSlot } from './resolution-slot';

/** Bump when the rewriting or the pip arguments change: old cache entries stop matching. */
export const RESOLVER_VERSION = '1';

export interface ResolveOptions {
  repoRoot: string;
  /** Python of the resolver venv (runs `-m pip`). */
  python: string;
  /** Default `<repo>/.mwaa-gitops/resolve`. */
  cacheDir?: string;
  /** Mirror of the Apache Airflow constraints files: `<dir>/constraints-<airflow>/constraints-<python>.txt`. */
  constraintsDir?: string;
  /** Download official constraints URLs that are neither mirrored nor cached (default true). */
  download?: boolean;
  /** Per pip run (default 10 minutes). */
  timeoutMs?: number;
  /** Progress lines (stderr). */
  log?: (line: string) => void;
}

export interface ResolveInput {
  req: RequirementsFile;
  airflowVersion: string;
  dagsPath: string;
  plugins?: PluginsArchive;
}

/** Environment variables pip may keep from the caller (certificates, proxies, an index override). */
const PIP_ENV_KEPT = new Set(['PIP_CERT', 'PIP_CLIENT_CERT', 'PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'PIP_TRUSTED_HOST', 'PIP_PROXY', 'PIP_DEFAULT_TIMEOUT']);

function sha(...parts: Array<string | Buffer>): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(typeof p === 'string' ? p : p).update('\0');
  return h.digest('hex');
}

/** Platform tags pip accepts for MWAA: manylinux up to the image's glibc, x86_64. */
export function platformTags(glibc: string, arch = 'x86_64'): string[] {
  const [maj, min] = glibc.split('.').map(Number);
  const tags: string[] = [];
  for (let m = min; m >= 17; m--) tags.push(`manylinux_${maj}_${m}_${arch}`);
  tags.push(`manylinux2014_${arch}`, `manylinux2010_${arch}`, `manylinux1_${arch}`);
  return tags;
}

function skipped(input: ResolveInput, python: string, reason: string, unavailable = false): Resolution {
  const r: Resolution = { status: 'skipped', key: '', cached: false, python, airflowVersion: input.airflowVersion, constraints: [], problems: [], reason };
  if (unavailable) r.unavailable = true;
  return r;
}

async function download(url: string, dest: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) return false;
    const text = await res.text();
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    const tmp = `${dest}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, dest);
    return true;
  } catch {
    return false;
  }
}

/** A local copy of an official constraints file: mirror, cache, or a download into the cache. */
async function localConstraints(airflow: string, python: string, opts: ResolveOptions, cacheDir: string): Promise<string | undefined> {
  const rel = path.join(`constraints-${airflow}`, `constraints-${python}.txt`);
  if (opts.constraintsDir) {
    const m = path.resolve(opts.constraintsDir, rel);
    if (fs.existsSync(m)) return m;
  }
  const cached = path.join(cacheDir, 'constraints', rel);
  if (fs.existsSync(cached)) return cached;
  if (opts.download === false) return undefined;
  return (await download(officialConstraintUrl(airflow, python), cached)) ? cached : undefined;
}

/** The pins of an official constraints file when a local copy exists (no download): for the upgrade plan. */
export function cachedConstraintPins(airflow: string, python: string, opts: Pick<ResolveOptions, 'repoRoot' | 'cacheDir' | 'constraintsDir'>): ReturnType<typeof parseConstraints> | undefined {
  const rel = path.join(`constraints-${airflow}`, `constraints-${python}.txt`);
  const candidates = [opts.constraintsDir ? path.resolve(opts.constraintsDir, rel) : undefined, path.join(opts.cacheDir ?? path.join(opts.repoRoot, '.mwaa-gitops', 'resolve'), 'constraints', rel)];
  for (const c of candidates) {
    if (c && fs.existsSync(c)) return parseConstraints(fs.readFileSync(c, 'utf8'));
  }
  return undefined;
}

/** The option line rewritten to point at a local file (same line number). */
function replaceValue(o: OptionEntry, value: string): string {
  const flag = o.name === 'find-links' ? '--find-links' : o.name === 'requirement' ? '--requirement' : '--constraint';
  return `${flag} "${value}"`;
}

interface Prepared {
  text: string;
  localFiles: string[];
  constraints: string[];
  substituted?: Resolution['substitutedConstraint'];
  wheelsDir?: string;
  problem?: string;
  unavailable?: boolean;
}

async function prepare(input: ResolveInput, python: string, work: string, opts: ResolveOptions, cacheDir: string): Promise<Prepared> {
  const facts = artifactFacts().requirements;
  const physical = fs.readFileSync(input.req.file, 'utf8').replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const reqDir = path.dirname(input.req.file);
  const out: Prepared = { text: '', localFiles: [], constraints: [] };
  const mapPath = (value: string): string | undefined => {
    if (value.startsWith(facts.dagsDir)) {
      const p = path.resolve(opts.repoRoot, input.dagsPath, value.slice(facts.dagsDir.length));
      return fs.existsSync(p) ? p : undefined;
    }
    return path.resolve(reqDir, value);
  };
  for (const o of input.req.lines) {
    if (o.kind !== 'option') continue;
    const value = o.value ?? '';
    if (o.name === 'constraint' || o.name === 'requirement') {
      const ref = o.name === 'constraint' ? classifyConstraint(value) : value.startsWith(facts.dagsDir) ? ({ kind: 'dags' } as const) : /^[a-z]+:\/\//i.test(value) ? ({ kind: 'url' } as const) : ({ kind: 'path' } as const);
      let local: string | undefined;
      if (ref.kind === 'official') {
        let af = ref.airflow;
        let py = ref.python;
        if (af !== input.airflowVersion || py !== python) {
          af = input.airflowVersion;
          py = python;
          out.substituted = { line: o.line, written: value, used: officialConstraintUrl(af, py) };
        }
        local = await localConstraints(af, py, opts, cacheDir);
        out.constraints.push(officialConstraintUrl(af, py));
        if (!local) {
          out.problem = `the constraints ${officialConstraintUrl(af, py)} could not be downloaded (no copy in the mirror or the cache)`;
          out.unavailable = true;
          return out;
        }
      } else if (ref.kind === 'url') {
        out.constraints.push(value);
        continue; // pip downloads it; the URL is part of the cache key
      } else {
        local = mapPath(value);
        out.constraints.push(value);
        if (!local || !fs.existsSync(local)) {
          out.problem = `${value} (line ${o.line}) is not in the repository${value.startsWith(facts.dagsDir) ? ` (expected at ${path.join(input.dagsPath, value.slice(facts.dagsDir.length))})` : ''}`;
          return out;
        }
      }
      out.localFiles.push(local);
      physical[o.line - 1] = replaceValue(o, local);
    } else if (o.name === 'find-links' && value.replace(/\/+$/, '') === facts.pluginsDir) {
      if (!input.plugins || input.plugins.unreadable) {
        out.problem = `--find-links ${facts.pluginsDir} (line ${o.line}) needs a readable plugins.zip`;
        return out;
      }
      out.wheelsDir = path.join(work, 'plugins-wheels');
      fs.mkdirSync(out.wheelsDir, { recursive: true });
      const zip = new AdmZip(input.plugins.file);
      for (const w of input.plugins.wheels) {
        const entry = zip.getEntry(w.path);
        // wheels are written by their base name only: an entry name never chooses where a file lands
        if (entry) fs.writeFileSync(path.join(out.wheelsDir, path.basename(w.path.replace(/\\/g, '/'))), entry.getData());
      }
      physical[o.line - 1] = replaceValue(o, out.wheelsDir);
    }
  }
  out.text = physical.join('\n');
  return out;
}

function stubSite(work: string, version: string, pins?: ReturnType<typeof parseConstraints>): string {
  const site = path.join(work, 'image-site');
  const dists: Array<[string, string]> = [['apache-airflow', version]];
  if (compareVersions(version, '3.0.0') >= 0) {
    dists.push(['apache-airflow-core', version]);
    const sdk = pins?.get('apache-airflow-task-sdk')?.version;
    if (sdk) dists.push(['apache-airflow-task-sdk', sdk]);
  }
  for (const [name, v] of dists) {
    const d = path.join(site, `${name.replace(/-/g, '_')}-${v}.dist-info`);
    fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, 'METADATA'), `Metadata-Version: 2.1\nName: ${name}\nVersion: ${v}\nSummary: stand-in for the package preinstalled in the MWAA image\n`);
    fs.writeFileSync(path.join(d, 'INSTALLER'), 'mwaa-gitops\n');
  }
  return site;
}

interface PipRun {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function runPip(python: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<PipRun> {
  return new Promise((resolve) => {
    const child = spawn(python, ['-m', 'pip', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: `${stderr}${err.message}`, timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

export function pipEnv(site?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PIP_') || PIP_ENV_KEPT.has(k)) env[k] = v;
  env.PIP_CONFIG_FILE = os.devNull;
  env.PIP_DISABLE_PIP_VERSION_CHECK = '1';
  env.PIP_NO_INPUT = '1';
  env.PYTHONDONTWRITEBYTECODE = '1';
  if (site) env.PYTHONPATH = site;
  else delete env.PYTHONPATH;
  return env;
}

/** Line of the requirement asking for `name` (normalized match), or of a `-r file (line N)` reference. */
function lineFor(req: RequirementsFile, target: string, rewrittenFile: string): number | undefined {
  const ref = /\(line (\d+)\)/.exec(target);
  if (ref && target.includes(path.basename(rewrittenFile))) return Number(ref[1]);
  const name = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(target.trim())?.[1];
  if (!name) return undefined;
  return requirementsOf(req.lines).find((r) => r.normalized === normalizeName(name))?.line;
}

/** pip's failure output -> problems located at requirements lines. Exported for tests. */
export function parsePipFailure(stderr: string, req: RequirementsFile, rewrittenFile: string): ResolutionProblem[] {
  const problems: ResolutionProblem[] = [];
  const text = stderr.replace(/\r/g, '');
  const conflict = /Cannot install (.+?) because these package versions have conflicting dependencies\./.exec(text);
  if (conflict) {
    const targets = conflict[1].split(/, | and /).map((t) => t.trim()).filter(Boolean);
    const causesBlock = /The conflict is caused by:\n([\s\S]*?)\n\s*\n/.exec(text)?.[1] ?? '';
    const causes = causesBlock
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const described = causes
      .map((c) => c.replace(/^The user requested \(constraint\) /, 'the constraint ').replace(/^The user requested /, 'requested '))
      .join('; ');
    for (const t of targets) {
      const line = lineFor(req, t, rewrittenFile);
      const shown = /\(line \d+\)/.test(t) ? req.lines.find((l) => l.line === line)?.text ?? t : t;
      const name = requirementsOf(req.lines).find((r) => r.line === line)?.name ?? /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(shown)?.[1];
      problems.push({ kind: 'conflict', line, package: name, message: `${shown} cannot be installed: ${described || 'conflicting dependencies'}` });
    }
    return problems;
  }
  const notFound = /Could not find a version that satisfies the requirement (\S+)((?: \(from [^)]*\))*) \(from versions: ([^)]*)\)/.exec(text);
  if (notFound) {
    const wanted = notFound[1];
    const from = /\(from ([^)]*)\)/.exec(notFound[2] ?? '')?.[1];
    const line = lineFor(req, wanted, rewrittenFile) ?? (from ? lineFor(req, from, rewrittenFile) : undefined);
    const name = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(wanted)?.[1];
    problems.push({ kind: 'not-found', line, package: name, message: `no distribution of ${wanted}${from ? ` (needed by ${from})` : ''} for this platform (versions offered: ${notFound[3].trim() || 'none'})` });
    return problems;
  }
  const errors = text.split('\n').filter((l) => l.startsWith('ERROR:'));
  problems.push({ kind: 'error', message: `pip failed: ${(errors[errors.length - 1] ?? text.trim().split('\n').pop() ?? 'no output').replace(/^ERROR:\s*/, '')}` });
  return problems;
}

/** Distinguish "no wheel for MWAA's platform" from "no such version": ask the index without platform limits. */
async function diagnoseNotFound(p: ResolutionProblem, python: string, env: NodeJS.ProcessEnv, wanted: string, timeoutMs: number): Promise<void> {
  if (!p.package) return;
  const r = await runPip(python, ['index', 'versions', p.package, '--json', '--pre'], env, Math.min(timeoutMs, 120_000));
  if (r.code !== 0) return;
  try {
    const versions = (JSON.parse(r.stdout) as { versions?: string[] }).versions ?? [];
    const spec = wanted.slice(p.package.length).replace(/^\[[^\]]*\]/, '');
    const exists = versions.some((v) => spec === '' || satisfies(v, spec));
    if (exists) {
      p.kind = 'no-wheel';
      p.message = `${wanted} has no binary wheel for MWAA's platform (CPython, manylinux x86_64); MWAA installs wheels only`;
    } else {
      p.message = `${wanted} does not exist on the package index (available: ${versions.slice(0, 5).join(', ') || 'none'}${versions.length > 5 ? ', ...' : ''})`;
    }
  } catch {
    /* keep pip's own wording */
  }
}

/** Resolve one requirements file for one Airflow version. Never throws: problems are in the result. */
export async function resolveRequirements(input: ResolveInput, opts: ResolveOptions): Promise<Resolution> {
  const python = airflowVersion(input.airflowVersion)?.python;
  if (!python) return skipped(input, '?', `Airflow ${input.airflowVersion} is not in data/airflow-versions.json (no Python version known)`);
  if (input.req.unreadable) return skipped(input, python, 'requirements.txt is not readable as text');
  if (input.req.lines.some((l) => l.kind === 'invalid')) return skipped(input, python, 'fix the syntax errors first (MWAA-REQ-003)');
  if (fs.readFileSync(input.req.file, 'utf8').includes('${')) return skipped(input, python, 'the file uses ${...} environment variables (private index credentials) that only MWAA sets');
  const cacheDir = opts.cacheDir ?? path.join(opts.repoRoot, '.mwaa-gitops', 'resolve');
  fs.mkdirSync(cacheDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-resolve-'));
  try {
    const prep = await prepare(input, python, work, opts, cacheDir);
    if (prep.problem) return { ...skipped(input, python, prep.problem, prep.unavailable), constraints: prep.constraints };
    const platform = mwaaPlatform(input.airflowVersion);
    const tags = platformTags(platform.glibc, platform.arch);
    const wheels = prep.wheelsDir ? fs.readdirSync(prep.wheelsDir).sort().map((f) => `${f}:${sha(fs.readFileSync(path.join(prep.wheelsDir!, f)))}`) : [];
    const key = sha(RESOLVER_VERSION, prep.text, ...prep.localFiles.map((f) => fs.readFileSync(f)), ...wheels, python, tags.join(','), input.airflowVersion);
    const base: Resolution = { status: 'ok', key, cached: false, python, airflowVersion: input.airflowVersion, constraints: prep.constraints, problems: [] };
    if (prep.substituted) base.substitutedConstraint = prep.substituted;
    const cacheFile = path.join(cacheDir, 'results', `${key}.json`);
    if (fs.existsSync(cacheFile)) {
      try {
        return { ...(JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as Resolution), cached: true };
      } catch {
        /* a damaged cache entry is resolved again */
      }
    }
    const reqFile = path.join(work, 'requirements.txt');
    fs.writeFileSync(reqFile, prep.text);
    const pin = path.join(work, 'mwaa-image.txt');
    fs.writeFileSync(pin, `apache-airflow==${input.airflowVersion}\n`);
    const pins = prep.localFiles.length > 0 ? parseConstraints(fs.readFileSync(prep.localFiles[0], 'utf8')) : undefined;
    const site = stubSite(work, input.airflowVersion, pins);
    const env = pipEnv(site);
    const reportFile = path.join(work, 'report.json');
    const cpTag = `cp${python.replace('.', '')}`;
    const args = [
      'install', '--dry-run', '--report', reportFile, '--no-color', '--progress-bar', 'off',
      '--python-version', python, '--implementation', platform.implementation, '--abi', cpTag,
      ...tags.flatMap((t) => ['--platform', t]),
      '--only-binary=:all:', '--cache-dir', path.join(cacheDir, 'pip-cache'),
      '-c', pin, '-r', reqFile,
    ];
    const timeoutMs = opts.timeoutMs ?? 10 * 60_000;
    opts.log?.(`resolving ${path.relative(opts.repoRoot, input.req.file)} for Airflow ${input.airflowVersion} (Python ${python}, ${tags[0]}) ...`);
    const run = await runPip(opts.python, args, env, timeoutMs);
    if (run.timedOut) return { ...skipped(input, python, `pip did not finish within ${Math.round(timeoutMs / 1000)} s`, true), constraints: prep.constraints };
    if (run.code === 0) {
      const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as { install?: unknown[] };
      const ok: Resolution = { ...base, installCount: report.install?.length ?? 0 };
      write(cacheFile, ok);
      return ok;
    }
    if (run.code === -1 || (/Could not fetch URL|Max retries exceeded|NewConnectionError|Temporary failure in name resolution|ConnectionError/i.test(run.stderr) && !/Cannot install/.test(run.stderr))) {
      return { ...skipped(input, python, run.code === -1 ? `pip could not be started (${run.stderr.trim()})` : `the package index could not be reached (${run.stderr.trim().split('\n').pop()})`, true), constraints: prep.constraints };
    }
    // pip writes "ERROR: Cannot install ..." to stderr and "The conflict is caused by: ..." to stdout
    const problems = parsePipFailure(`${run.stderr}\n${run.stdout}`, input.req, reqFile);
    for (const p of problems) {
      if (p.kind !== 'not-found') continue;
      const wanted = /requirement (\S+)/.exec(run.stderr)?.[1] ?? p.package ?? '';
      await diagnoseNotFound(p, opts.python, pipEnv(), wanted, timeoutMs);
    }
    const failed: Resolution = { ...base, status: 'failed', problems };
    write(cacheFile, failed);
    return failed;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function write(file: string, r: Resolution): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ ...r, cached: false }));
  fs.renameSync(tmp, file);
}

/**
 * Resolve every environment of a validation report that has a requirements file and a typed spec: each distinct
 * (file, content, Airflow version) once. Returns the results by resolution slot, for validateFiles({ resolutions }).
 */
export async function resolveReport(report: ValidationReport, opts: ResolveOptions): Promise<Map<string, Resolution>> {
  const out = new Map<string, Resolution>();
  for (const env of report.environments) {
    const req = env.doc?.artifacts?.requirements;
    if (!env.spec || !req) continue;
    const slot = resolutionSlot(req, env.spec.airflow.version);
    if (out.has(slot)) continue;
    out.set(slot, await resolveRequirements({ req, airflowVersion: env.spec.airflow.version, dagsPath: env.spec.bucket.dagsPath, plugins: env.doc?.artifacts?.plugins }, opts));
  }
  return out;
}
