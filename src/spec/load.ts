/**
 * The loader: an environment file -> ResolvedDocument (extends overlays merged, defaults applied,
 * positions kept for every key and value in the file that set it last) plus findings.
 * Never throws for bad input; every problem is a Finding located in the file it comes from.
 */
import * as fs from 'fs';
import * as path from 'path';
import { readArtifactFiles } from '../artifacts/read';
import type { Finding } from '../findings';
import { applyDefaults } from './defaults';
import { emptyLayer, isPlainObject, mergeLayers, type Layer } from './merge';
import { joinPath, isUnder, locate } from './positions';
import { ARTIFACT_FIELDS, type ResolvedDocument, type SourcePosition } from './types';
import { checkText, parseYaml, readSpecFile } from './yaml';
import { importsFileFor, readImportsFile } from './imports';

/** Longest `extends` chain followed (cycles are reported before this is reached). */
export const MAX_EXTENDS_DEPTH = 16;

export interface LoadResult {
  /** Present when the file and its bases parsed into a mapping (even if overlays had problems). */
  doc?: ResolvedDocument;
  /** Absolute path of each artifact (`bucket.requirements` ...) that exists inside the repository. */
  artifacts: Record<string, string>;
  findings: Finding[];
}


function realpathOrNull(p: string): string | null {
  try {
    // the system's realpath(3): one call, where fs.realpathSync walks the path an lstat per component
    return fs.realpathSync.native(p);
  } catch {
    return null;
  }
}

/** True when `p` is `root` or beneath it (both absolute, normalized). */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

interface LoadCtx {
  repoRoot: string;
  realRoot: string;
  files: string[];
  findings: Finding[];
  baseReads?: Map<string, string>;
}

function err(ruleId: string, message: string, fix: string, at: SourcePosition, p: string): Finding {
  return { ruleId, severity: 'error', message, fix, file: at.file, line: at.line, column: at.column, path: p };
}

function loadLayer(file: string, text: string | undefined, stack: string[], ctx: LoadCtx, isBase: boolean): Layer | undefined {
  const rel = path.relative(ctx.repoRoot, file) || file;
  const known = isBase && text === undefined ? ctx.baseReads?.get(file) : undefined;
  const read = known !== undefined ? { text: known, findings: [] } : text === undefined ? readSpecFile(file, rel) : checkText(file, text);
  if (isBase && known === undefined && read.text !== undefined) ctx.baseReads?.set(file, read.text);
  if (read.text === undefined) {
    ctx.findings.push(...read.findings);
    return undefined;
  }
  const parsed = parseYaml(file, read.text);
  if (parsed.findings.length > 0) {
    ctx.findings.push(...parsed.findings);
    return undefined;
  }
  if (parsed.data === null || parsed.data === undefined) {
    ctx.findings.push(err('SPEC-EMPTY', `${rel} is empty`, isBase ? 'Add the shared settings, or remove it from `extends`.' : 'Describe the environment: apiVersion, name, region, airflow, network ...', { file, line: 1, column: 1 }, ''));
    return undefined;
  }
  if (!isPlainObject(parsed.data)) {
    const kind = Array.isArray(parsed.data) ? 'a list' : `a ${typeof parsed.data}`;
    ctx.findings.push(err('SPEC-NOT-A-MAPPING', `${rel} is ${kind}, not a mapping of keys to values`, 'A spec is a YAML mapping: `apiVersion: mwaa-gitops/v1`, `name: ...`, one key per line.', parsed.positions.get('') ?? { file, line: 1, column: 1 }, ''));
    return undefined;
  }
  const own: Layer = { data: { ...parsed.data }, positions: parsed.positions, keyPositions: parsed.keyPositions };
  // extends: string or array of strings, relative to this file
  const ext = own.data.extends;
  const refs: Array<{ value: string; p: string }> = [];
  if (typeof ext === 'string') refs.push({ value: ext, p: 'extends' });
  else if (Array.isArray(ext)) ext.forEach((v, i) => typeof v === 'string' && refs.push({ value: v, p: joinPath('extends', i) }));
  const empty = emptyLayer();
  let base = empty;
  for (const ref of refs) {
    const at = locate({ file, positions: own.positions, keyPositions: own.keyPositions }, ref.p);
    if (ref.value.trim() === '') {
      ctx.findings.push(err('SPEC-EXTENDS-MISSING', '`extends` names an empty path', 'Give the base file path relative to this file, e.g. `./_defaults.yaml`.', at, ref.p));
      continue;
    }
    const target = path.resolve(path.dirname(file), ref.value);
    const real = realpathOrNull(target);
    if (!isInside(ctx.realRoot, real ?? target) || (real === null && !isInside(ctx.repoRoot, target))) {
      ctx.findings.push(err('SPEC-EXTENDS-OUTSIDE-REPO', `\`extends: ${ref.value}\` points outside the repository (${real ?? target})`, 'Keep base files inside the repository, e.g. environments/_defaults.yaml.', at, ref.p));
      continue;
    }
    if (real === null) {
      ctx.findings.push(err('SPEC-EXTENDS-MISSING', `\`extends: ${ref.value}\`: ${path.relative(ctx.repoRoot, target)} does not exist`, 'Fix the path (relative to this file) or create the base file.', at, ref.p));
      continue;
    }
    if (stack.includes(real)) {
      const chain = [...stack.slice(stack.indexOf(real)), real].map((f) => path.relative(ctx.realRoot, f)).join(' -> ');
      ctx.findings.push(err('SPEC-EXTENDS-CYCLE', `\`extends\` cycle: ${chain}`, 'Remove one `extends` so the bases form a chain, not a loop.', at, ref.p));
      continue;
    }
    if (stack.length >= MAX_EXTENDS_DEPTH) {
      ctx.findings.push(err('SPEC-EXTENDS-CYCLE', `\`extends\` chain deeper than ${MAX_EXTENDS_DEPTH} files`, 'Flatten the chain of base files.', at, ref.p));
      continue;
    }
    const sub = loadLayer(real, undefined, [...stack, real], ctx, true);
    // the first base is the layer itself (a layer is the loader's own copy); later ones merge onto it
    if (sub) base = base === empty ? sub : mergeLayers(base, sub);
  }
  if (!ctx.files.includes(file)) ctx.files.push(file); // post-order: bases before their includer
  if (isBase) {
    // A base's own `extends` is consumed here; only the environment file's stays for the schema.
    delete own.data.extends;
    for (const m of [own.positions, own.keyPositions]) for (const k of [...m.keys()]) if (isUnder(k, 'extends')) m.delete(k);
  }
  return refs.length > 0 || Object.keys(base.data).length > 0 ? mergeLayers(base, own) : own;
}

export interface LoadOptions {
  repoRoot: string;
  /** Text of `file` (validateText: the file need not exist on disk; its bases are read from disk). */
  text?: string;
  /** Airflow version applied when absent (default: latest supported, see defaults.ts). */
  defaultVersion?: string;
  /**
   * Read the artifact side files (requirements.txt, plugins.zip, startup script) into `doc.artifacts` for the rules
   * (default true). `affected` and `diff` need only where the artifacts are, not what they hold.
   */
  readSideFiles?: boolean;
  /**
   * Base files (`extends` targets) already read by this batch of loads, by path: one run loads hundreds of
   * environments over the same `_defaults.yaml`. Only clean reads are kept. A caller shares one map across one batch
   * (a snapshot of a tree), never across batches, so an edited file is read again.
   */
  baseReads?: Map<string, string>;
}

/** Load one environment file: parse, overlays, defaults, artifacts. */
export function loadEnvironment(fileArg: string, opts: LoadOptions): LoadResult {
  const repoRoot = path.resolve(opts.repoRoot);
  const realRoot = realpathOrNull(repoRoot) ?? repoRoot;
  const file = path.resolve(repoRoot, fileArg);
  const ctx: LoadCtx = { repoRoot, realRoot, files: [], findings: [], baseReads: opts.baseReads };
  const realFile = realpathOrNull(file) ?? file;
  const layer = loadLayer(file, opts.text, [realFile], ctx, false);
  const artifacts: Record<string, string> = {};
  if (!layer) return { artifacts, findings: ctx.findings };
  // the environment file last
  const files = [...ctx.files.filter((f) => f !== file), file];
  const doc: ResolvedDocument = { file, repoRoot, files, data: layer.data, positions: layer.positions, keyPositions: layer.keyPositions };
  applyDefaults(doc.data, { defaultVersion: opts.defaultVersion });
  resolveArtifacts(doc, realRoot, artifacts, ctx.findings);
  // Read each artifact that resolved inside the repository once; rules judge the content, never the disk.
  if (opts.readSideFiles !== false) doc.artifacts = readArtifactFiles(artifacts);
  loadImports(doc, ctx.findings);
  return { doc, artifacts, findings: ctx.findings };
}

/** `environments/<name>.imports.json`, read with the spec: an input of the environment like its artifacts. */
function loadImports(doc: ResolvedDocument, findings: Finding[]): void {
  const file = importsFileFor(doc.repoRoot, doc.data.name);
  if (!file) return;
  doc.importsFile = file;
  const read = readImportsFile(file);
  if (read.error !== undefined) {
    const rel = path.relative(doc.repoRoot, file);
    findings.push(err('SPEC-IMPORTS-INVALID', `${rel}: ${read.error}`, 'Write {"imports": {"<resource address>": "<import id>", ...}} (as `mwaa-gitops import` does), or remove the file.', { file, line: 1, column: 1 }, ''));
    return;
  }
  if (read.imports) doc.imports = read.imports;
}

/** Check each artifact `source` exists and stays inside the repository (realpath: no symlink escapes). */
function resolveArtifacts(doc: ResolvedDocument, realRoot: string, out: Record<string, string>, findings: Finding[]): void {
  const bucket = doc.data.bucket;
  if (!isPlainObject(bucket)) return;
  for (const field of ARTIFACT_FIELDS) {
    const a = bucket[field];
    if (!isPlainObject(a) || typeof a.source !== 'string' || a.source === '') continue;
    const p = `bucket.${field}.source`;
    const at = locate(doc, p);
    const target = path.resolve(doc.repoRoot, a.source);
    const real = realpathOrNull(target);
    if (!isInside(realRoot, real ?? target) || (real === null && !isInside(doc.repoRoot, target))) {
      findings.push(err('SPEC-ARTIFACT-OUTSIDE-REPO', `bucket.${field}.source \`${a.source}\` resolves outside the repository (${real ?? target})`, 'Keep artifacts inside the repository (e.g. airflow/) and give the path relative to the repository root; symlinks must not point outside it.', at, p));
      continue;
    }
    if (real === null) {
      findings.push(err('SPEC-ARTIFACT-MISSING', `bucket.${field}.source \`${a.source}\` does not exist (paths are relative to the repository root ${doc.repoRoot})`, 'Create the file or fix the path, relative to the repository root (e.g. airflow/requirements.txt).', at, p));
      continue;
    }
    let isFile = false;
    try {
      isFile = fs.statSync(real).isFile();
    } catch {
      isFile = false;
    }
    if (!isFile) {
      findings.push(err('SPEC-ARTIFACT-MISSING', `bucket.${field}.source \`${a.source}\` is not a regular file`, 'Point at the file itself, not a directory.', at, p));
      continue;
    }
    out[field] = real;
  }
}
