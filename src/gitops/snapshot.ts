/**
 * The environments of one tree (the working tree, or a base commit materialized into a temp dir), loaded
 * with the project's own loader/validator, reduced to what the GitOps commands need: names, the files each
 * depends on, the resolved spec as comparable data, and the findings.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { hasErrors, type Finding } from '../findings';
import { ARTIFACT_FIELDS } from '../spec/types';
import { loadEnvironment } from '../spec/load';
import { importsFileFor } from '../spec/imports';
import { isPlainObject } from '../spec/merge';
import type { EnvironmentSpec } from '../spec/types';
import { validateFiles, type EnvironmentResult, type ValidationReport } from '../engine/validate';
import { discoverEnvironments } from '../spec/discover';
import { changedFiles, gitTopLevel, materializeTree, removeTree } from './git';
import { toolVersionInputs } from './tool-version';
import { computeAffected, type AffectedResult, type EnvironmentDeps } from './affected';
import { diffSpecs, type EnvironmentDiff } from './spec-diff';

export interface EnvironmentSnapshot {
  name: string;
  /** Spec file relative to the repository root, forward slashes. */
  file: string;
  result: EnvironmentResult;
  deps: EnvironmentDeps;
  /** Resolved spec as plain data for diffing (artifact paths replaced by content hashes); undefined if it did not resolve. */
  data?: Record<string, unknown>;
  /** Typed spec when it resolved and has no errors. */
  spec?: EnvironmentSpec;
}

export interface TreeSnapshot {
  repoRoot: string;
  environments: EnvironmentSnapshot[];
  report: ValidationReport;
}

function rel(repoRoot: string, abs: string): string {
  return path.relative(repoRoot, abs).split(path.sep).join('/');
}

function sha256(file: string): string | undefined {
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}

/**
 * Comparable data of a resolved environment: tree-specific absolute paths are replaced so that the same
 * spec in two trees compares equal; an artifact carries `contentSha256` so a content change shows up. `digests`: the
 * artifacts already hashed in this snapshot (environments of one tree share their files).
 */
export function comparableData(result: EnvironmentResult, digests = new Map<string, string | undefined>()): Record<string, unknown> | undefined {
  const source = result.spec ?? result.doc?.data;
  if (!source) return undefined;
  const data = JSON.parse(JSON.stringify(source)) as Record<string, unknown>;
  delete data.extends;
  delete data.$schema;
  const bucket = data.bucket;
  const repoRoot = result.doc?.repoRoot ?? path.dirname(path.dirname(result.file));
  if (isPlainObject(bucket)) {
    for (const f of ARTIFACT_FIELDS) {
      const a = bucket[f];
      if (!isPlainObject(a)) continue;
      const abs = typeof a.resolvedPath === 'string' ? a.resolvedPath : typeof a.source === 'string' ? path.resolve(repoRoot, a.source) : undefined;
      delete a.resolvedPath;
      if (abs) {
        if (!digests.has(abs)) digests.set(abs, sha256(abs));
        const digest = digests.get(abs);
        a.contentSha256 = digest ? digest.slice(0, 16) : '(missing)';
      }
    }
  }
  return data;
}

function artifactPaths(result: EnvironmentResult, repoRoot: string): string[] {
  const out = new Set<string>();
  const bucket = result.doc?.data.bucket;
  if (isPlainObject(bucket)) {
    for (const f of ARTIFACT_FIELDS) {
      const a = bucket[f];
      if (isPlainObject(a) && typeof a.source === 'string' && a.source !== '') out.add(path.resolve(repoRoot, a.source));
    }
  }
  const specBucket = result.spec?.bucket;
  if (specBucket) for (const f of ARTIFACT_FIELDS) if (specBucket[f]?.resolvedPath) out.add(specBucket[f]!.resolvedPath);
  return [...out];
}

export interface SnapshotOptions {
  /**
   * Resolve without the MWAA rules (engine `resolveOnly`): `data` is the same as with them (it depends on the
   * loader and the schema only), but `spec` stays undefined (whether the rules pass is not known) and `report`
   * holds the loader's and the schema's findings only. For `diff`, which compares data and validates nothing.
   */
  resolveOnly?: boolean;
}

/** Loads and validates every environment under `repoRoot/environments`. */
export function snapshotTree(repoRootArg: string, today?: Date, opts: SnapshotOptions = {}): TreeSnapshot {
  const repoRoot = fs.realpathSync(repoRootArg);
  const files = discoverEnvironments(repoRoot);
  const report = validateFiles(files, { repoRoot, today, resolveOnly: opts.resolveOnly });
  const digests = new Map<string, string | undefined>();
  const environments = report.environments.map((result) => {
    const name = result.name ?? path.basename(result.file).replace(/\.ya?ml$/i, '');
    const specFiles = result.doc?.files ?? [result.file];
    const deps: EnvironmentDeps = { name, file: result.file, specFiles, artifacts: artifactPaths(result, repoRoot), imports: result.doc?.importsFile ?? importsFileFor(repoRoot, name) };
    const spec = result.spec && !opts.resolveOnly && !hasErrors(result.findings) ? result.spec : undefined;
    return { name, file: rel(repoRoot, result.file), result, deps, data: comparableData(result, digests), spec };
  });
  return { repoRoot, environments, report };
}

/**
 * What `affected` needs of a tree, without validating it: each environment file loaded (parsed, `extends` merged,
 * artifacts resolved), no schema or MWAA rules. The dependencies are the same as snapshotTree's (the files the
 * loader read, the artifacts it resolved); an environment whose file does not parse depends on its own file.
 * At 300 environments this is a fraction of a full validation (affected runs before validate in CI anyway).
 */
export function dependencySnapshot(repoRootArg: string): Array<{ name: string; file: string; deps: EnvironmentDeps }> {
  const repoRoot = fs.realpathSync(repoRootArg);
  const baseReads = new Map<string, string>();
  return discoverEnvironments(repoRoot).map((f) => {
    const abs = path.resolve(repoRoot, f);
    const loaded = loadEnvironment(abs, { repoRoot, readSideFiles: false, baseReads });
    const named = loaded.doc?.data.name;
    const name = typeof named === 'string' ? named : path.basename(abs).replace(/\.ya?ml$/i, '');
    const result: EnvironmentResult = { file: abs, name, doc: loaded.doc, findings: loaded.findings };
    const artifacts = new Set([...artifactPaths(result, repoRoot), ...Object.values(loaded.artifacts)]);
    const imports = loaded.doc?.importsFile ?? importsFileFor(repoRoot, name);
    return { name, file: rel(repoRoot, abs), deps: { name, file: abs, specFiles: loaded.doc?.files ?? [abs], artifacts: [...artifacts], imports } };
  });
}

export interface BaseAndHead {
  base: TreeSnapshot;
  head: TreeSnapshot;
  gitTopLevel: string;
}

/** Snapshot of the working tree and of `baseRef` (materialized into a temp dir, removed afterwards). */
export async function snapshotBaseAndHead(repoRoot: string, baseRef: string, today = new Date(), opts: SnapshotOptions = {}): Promise<BaseAndHead> {
  const [topAsked, treeAsked] = await Promise.allSettled([gitTopLevel(repoRoot), materializeTree(repoRoot, baseRef)]);
  if (topAsked.status === 'rejected') {
    if (treeAsked.status === 'fulfilled') removeTree(treeAsked.value.root);
    throw topAsked.reason;
  }
  if (treeAsked.status === 'rejected') throw treeAsked.reason;
  const top = topAsked.value;
  const { root, repoDir } = treeAsked.value;
  try {
    const base = fs.existsSync(repoDir) ? snapshotTree(repoDir, today, opts) : { repoRoot: repoDir, environments: [], report: { environments: [], findings: [] } };
    const head = snapshotTree(repoRoot, today, opts);
    return { base, head, gitTopLevel: top };
  } finally {
    removeTree(root);
  }
}

/** `affected` for `baseRef`: the change set from git, the dependencies from the working tree, deletions from the base. */
export async function affectedSince(repoRoot: string, baseRef: string, opts: { workingTree?: boolean; base?: TreeSnapshot; head?: TreeSnapshot } = {}): Promise<{ result: AffectedResult }> {
  const real = fs.realpathSync(repoRoot);
  // git runs while the working tree's dependencies are resolved
  const asked = Promise.all([changedFiles(real, baseRef, { workingTree: opts.workingTree }), gitTopLevel(real)]);
  asked.catch(() => undefined); // awaited below; not an unhandled rejection while the snapshot runs
  const headDeps = opts.head ? opts.head.environments.map((e) => e.deps) : dependencySnapshot(real).map((e) => e.deps);
  const [changes, top] = await asked;
  let baseEnvs: { name: string; file: string }[];
  if (opts.base) {
    baseEnvs = opts.base.environments.map((e) => ({ name: e.name, file: e.file }));
  } else {
    // Only deleted spec files can be deleted environments: load the base tree just when there are any.
    const deletedSpecs = changes.filter((c) => c.status === 'D' && /^environments\/[^_./][^/]*\.ya?ml$/i.test(rel(real, path.join(top, c.path))));
    if (deletedSpecs.length === 0) baseEnvs = [];
    else {
      const { root, repoDir } = await materializeTree(real, baseRef);
      try {
        baseEnvs = dependencySnapshot(repoDir).map((e) => ({ name: e.name, file: e.file }));
      } finally {
        removeTree(root);
      }
    }
  }
  const tool = await toolVersionInputs(real, top, baseRef, changes, { workingTree: opts.workingTree });
  const result = computeAffected({ repoRoot: real, gitTopLevel: top, changes, environments: headDeps, baseEnvironments: baseEnvs, ...tool });
  return { result };
}

function problems(findings: Finding[], repoRoot: string): string[] {
  return findings
    .filter((f) => f.severity === 'error')
    .slice(0, 10)
    .map((f) => `${rel(repoRoot, f.file)}:${f.line}:${f.column} ${f.ruleId} ${f.message}`);
}

/** Per-environment semantic diffs between two snapshots; `names` limits the set (default: all, both sides). */
export function diffSnapshots(base: TreeSnapshot, head: TreeSnapshot, names?: string[]): EnvironmentDiff[] {
  const b = new Map(base.environments.map((e) => [e.name, e]));
  const h = new Map(head.environments.map((e) => [e.name, e]));
  const all = names && names.length ? names : [...new Set([...b.keys(), ...h.keys()])].sort();
  const out: EnvironmentDiff[] = [];
  for (const name of all) {
    const be = b.get(name);
    const he = h.get(name);
    if (!be && !he) {
      out.push({ name, status: 'invalid', entries: [], problems: [`no environment named ${name} in the base or the working tree`] });
    } else if (!be) {
      out.push(he!.data ? { name, status: 'new', entries: diffSpecs(undefined, he!.data) } : { name, status: 'invalid', entries: [], problems: problems(he!.result.findings, head.repoRoot) });
    } else if (!he) {
      out.push({ name, status: 'deleted', entries: be.data ? diffSpecs(be.data, undefined) : [] });
    } else if (!he.data || !be.data) {
      const p = [...(!be.data ? problems(be.result.findings, base.repoRoot).map((s) => `base: ${s}`) : []), ...(!he.data ? problems(he.result.findings, head.repoRoot) : [])];
      out.push({ name, status: 'invalid', entries: [], problems: p });
    } else {
      const entries = diffSpecs(be.data, he.data);
      out.push({ name, status: entries.length ? 'changed' : 'unchanged', entries });
    }
  }
  return out;
}
