/**
 * Which environments a change touches. Pure: takes the change set (from git.ts) and what each
 * environment depends on (from the loader), returns the affected and deleted environments with reasons.
 *
 * An environment is affected when any of these changed:
 *   - its own spec file, or any file it `extends` (ResolvedDocument.files);
 *   - any artifact it uploads (bucket.requirements / plugins / startupScript);
 *   - a repository-wide input: an `environments/_defaults*` file, or the tool itself. Then every environment is
 *     affected. "The tool" depends on the repository: in the tool's own repository (its package.json is named
 *     mwaa-gitops) it is its code and data (TOOL_PATHS); in a repository that installs it, it is the installed
 *     version (the mwaa-gitops entry of package.json or of the lockfile, see tool-version.ts), so an unrelated
 *     dependency bump affects nothing and paths such as `src/` are the repository's own files.
 * An environment whose spec file exists in the base but not in the working tree is deleted; it is reported
 * separately (it has no spec to plan from).
 */
import * as path from 'path';
import type { ChangedFile } from './git';

/**
 * In the tool's own repository: paths (relative to the repository root) whose change affects every environment.
 * Directories end in '/'.
 */
export const TOOL_PATHS: readonly string[] = [
  'src/',
  'stacks/',
  'schemas/',
  'data/',
  'bin/',
  'main.ts',
  'package.json',
  'package-lock.json',
  'cdktf.json',
];

/** Files under environments/ whose name starts with `_defaults` apply to every environment. */
export const DEFAULTS_PATTERN = /^environments\/_defaults[^/]*$/;

export interface EnvironmentDeps {
  name: string;
  /** Absolute path of the environment's spec file. */
  file: string;
  /** Absolute paths of every file that contributed to its resolved spec (extends chain, own file). */
  specFiles: string[];
  /** Absolute paths of the artifacts it uploads. */
  artifacts: string[];
  /** Absolute path of its imports file (`environments/<name>.imports.json`), present or not: adding, changing or removing it affects the environment. */
  imports?: string;
}

export interface AffectedEnvironment {
  name: string;
  /** Spec file relative to the repository root. */
  file: string;
  /** Why, one line each, e.g. `spec environments/dev.yaml changed`. */
  reasons: string[];
}

export interface AffectedResult {
  affected: AffectedEnvironment[];
  deleted: { name: string; file: string }[];
  /** Set when every environment is affected: the repository-wide files that changed. */
  global: string[];
  /** The change set the result was computed from (repository-relative paths). */
  changed: string[];
}

export interface AffectedInput {
  /** Absolute path of the repository root (the directory holding environments/). */
  repoRoot: string;
  /** Absolute path of the git top level (change paths are relative to it). */
  gitTopLevel: string;
  changes: ChangedFile[];
  /** Environments in the working tree. */
  environments: EnvironmentDeps[];
  /** Environment spec files (repository-relative) and names that exist in the base. */
  baseEnvironments: { name: string; file: string }[];
  /** True in the tool's own repository (package.json named mwaa-gitops): TOOL_PATHS are then the tool. */
  toolRepository?: boolean;
  /**
   * How the installed mwaa-gitops changed (package.json / lockfile entry; tool-version.ts), one per file:
   * `file` relative to the repository root, `change` e.g. `mwaa-gitops 0.1.0 -> 0.2.0 (package-lock.json)`.
   */
  toolVersionChanges?: { file: string; change: string }[];
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Repository-relative path, or undefined when outside the repository root. */
function relToRepo(repoRoot: string, abs: string): string | undefined {
  const rel = path.relative(repoRoot, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return toPosix(rel);
}

/** A repository-relative path whose change affects every environment by its name alone. */
export function isGlobalPath(rel: string, toolRepository = true): boolean {
  if (DEFAULTS_PATTERN.test(rel)) return true;
  return toolRepository && TOOL_PATHS.some((p) => (p.endsWith('/') ? rel.startsWith(p) : rel === p));
}

export function computeAffected(input: AffectedInput): AffectedResult {
  const changed = new Map<string, ChangedFile['status']>();
  for (const c of input.changes) {
    const rel = relToRepo(input.repoRoot, path.join(input.gitTopLevel, c.path));
    if (rel !== undefined) changed.set(rel, c.status);
  }
  const changedList = [...changed.keys()].sort();
  const own = input.toolRepository === true;
  const byPath = changedList.filter((p) => isGlobalPath(p, own));
  const versionChanges = (input.toolVersionChanges ?? []).filter((v) => !byPath.includes(v.file));
  const global = [...byPath, ...versionChanges.map((v) => v.file)];

  const affected: AffectedEnvironment[] = [];
  for (const env of [...input.environments].sort((a, b) => a.name.localeCompare(b.name))) {
    const file = relToRepo(input.repoRoot, env.file) ?? env.file;
    const reasons: string[] = [];
    for (const f of env.specFiles) {
      const rel = relToRepo(input.repoRoot, f);
      if (rel === undefined || !changed.has(rel)) continue;
      const status = changed.get(rel);
      if (rel === file) reasons.push(status === 'A' ? `new spec ${rel}` : `spec ${rel} changed`);
      else reasons.push(`extended file ${rel} changed`);
    }
    for (const a of env.artifacts) {
      const rel = relToRepo(input.repoRoot, a);
      if (rel !== undefined && changed.has(rel)) reasons.push(`artifact ${rel} changed`);
    }
    const importsRel = env.imports === undefined ? undefined : relToRepo(input.repoRoot, env.imports);
    if (importsRel !== undefined && changed.has(importsRel)) reasons.push(`imports file ${importsRel} changed`);
    if (!env.specFiles.map((f) => relToRepo(input.repoRoot, f)).includes(file) && changed.has(file)) {
      reasons.unshift(changed.get(file) === 'A' ? `new spec ${file}` : `spec ${file} changed`);
    }
    for (const g of byPath) reasons.push(`${DEFAULTS_PATTERN.test(g) ? 'defaults' : 'tool file'} ${g} changed`);
    for (const v of versionChanges) reasons.push(`tool version changed: ${v.change}`);
    if (reasons.length > 0) affected.push({ name: env.name, file, reasons: [...new Set(reasons)] });
  }

  const present = new Set(input.environments.map((e) => relToRepo(input.repoRoot, e.file)));
  const presentNames = new Set(input.environments.map((e) => e.name));
  const deleted = input.baseEnvironments
    .filter((b) => !present.has(b.file) && !presentNames.has(b.name))
    .sort((a, b) => a.name.localeCompare(b.name));

  return { affected, deleted, global, changed: changedList };
}

export type AffectedFormat = 'names' | 'json' | 'matrix' | 'report';

/** GitHub Actions: a matrix generates at most 256 jobs per workflow run. */
export const GITHUB_MATRIX_LIMIT = 256;

/** One job of a batched matrix: the environments it plans or applies, in order. */
export interface Batch {
  /** The job's id: the environment's name when each job has one environment; `batch-b017` when batched. Apply uses
   * it as the concurrency group and the GitHub environment gate. A batched environment is always in the same batch
   * for a given job count, so a per-batch concurrency group serializes its applies across pushes. */
  batch: string;
  /** Environment names, space-separated (names are `[A-Za-z0-9_-]`: safe as shell words). */
  envs: string;
  /** For people (job and step names): `dev`, or `env-001, env-002 +3 more`. */
  label: string;
}

/** FNV-1a 32-bit: a stable, well-spread hash of an environment name. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Environments into at most `maxJobs` (and at most GitHub's 256) jobs. Up to `maxJobs` environments: one job each
 * (as before batching). More: environment -> bucket hash(name) mod maxJobs, so an environment lands in the same
 * batch on every batched run whatever else changed; empty buckets are no job. Every environment is in exactly one job.
 */
export function batchEnvironments(names: readonly string[], maxJobs = GITHUB_MATRIX_LIMIT): Batch[] {
  if (!Number.isInteger(maxJobs) || maxJobs < 1) throw new Error(`--max-jobs must be a whole number from 1 to ${GITHUB_MATRIX_LIMIT}, got ${maxJobs}`);
  if (maxJobs > GITHUB_MATRIX_LIMIT) throw new Error(`--max-jobs ${maxJobs} is over GitHub's limit of ${GITHUB_MATRIX_LIMIT} jobs per matrix`);
  const unique = [...new Set(names)].sort();
  if (unique.length <= maxJobs) return unique.map((n) => ({ batch: n, envs: n, label: n }));
  const width = String(maxJobs - 1).length;
  const buckets = new Map<number, string[]>();
  for (const n of unique) {
    const k = fnv1a(n) % maxJobs;
    buckets.set(k, [...(buckets.get(k) ?? []), n]);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([k, envs]) => ({
      batch: `batch-b${String(k).padStart(width, '0')}`,
      envs: envs.join(' '),
      label: envs.length <= 2 ? envs.join(', ') : `${envs.slice(0, 2).join(', ')} +${envs.length - 2} more`,
    }));
}

/**
 * `names`: one environment name a line.
 * `json`: exactly `{"include":[{"env":..,"file":..}]}`, usable as `strategy.matrix: ${{ fromJSON(..) }}`
 *   (a matrix object must not carry other keys: they would become matrix dimensions).
 * `matrix`: `{"include":[{"batch":..,"envs":"a b c","label":..}]}`: the environments batched into at most `maxJobs`
 *   jobs (GitHub runs at most 256 jobs per matrix), for workflows whose job loops over its environments.
 * `report`: the per-environment matrix, the batches, plus `count`, `deleted`, `all` and per-environment `reasons`.
 */
export function formatAffected(result: AffectedResult, format: AffectedFormat, maxJobs = GITHUB_MATRIX_LIMIT): string {
  if (format === 'names') return result.affected.map((a) => `${a.name}\n`).join('');
  if (format === 'json') return `${JSON.stringify({ include: result.affected.map((a) => ({ env: a.name, file: a.file })) })}\n`;
  if (format === 'matrix') return `${JSON.stringify({ include: batchEnvironments(result.affected.map((a) => a.name), maxJobs) })}\n`;
  const json = {
    include: result.affected.map((a) => ({ env: a.name, file: a.file })),
    batches: batchEnvironments(result.affected.map((a) => a.name), maxJobs),
    count: result.affected.length,
    deleted: result.deleted.map((d) => ({ env: d.name, file: d.file })),
    all: result.global.length > 0,
    reasons: Object.fromEntries(result.affected.map((a) => [a.name, a.reasons])),
  };
  return `${JSON.stringify(json)}\n`;
}
