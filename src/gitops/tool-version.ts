/**
 * Which mwaa-gitops a repository runs, read from its package manifest and lockfile, so that `affected` can tell a
 * tool upgrade (every environment must be planned with the new tool) from an unrelated dependency bump (nothing to
 * plan). Pure: takes file texts, returns comparable pins.
 *
 * What pins the tool:
 *   - package.json: the `mwaa-gitops` entry of dependencies / devDependencies / optionalDependencies (the spec string);
 *   - package-lock.json / npm-shrinkwrap.json: the installed package's version, resolved URL and integrity
 *     (lockfile v2/v3 `packages["node_modules/mwaa-gitops"]`, v1 `dependencies["mwaa-gitops"]`), so a rebuilt tarball
 *     under the same version counts too;
 *   - yarn.lock / pnpm-lock.yaml: every entry whose key names mwaa-gitops, with its indented body.
 * The tool pins its own dependencies to exact versions, so its behaviour moves with its own entry; other entries of
 * the lockfile are not followed.
 *
 * `toolVersionInputs` (the only function here that reads anything) gets the texts from git and the working tree.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { git, showFile, type ChangedFile } from './git';

export const TOOL_PACKAGE = 'mwaa-gitops';
export const MANIFEST_FILES: readonly string[] = ['package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml'];

const DEP_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJson(text: string): Json | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return isObj(v) ? v : undefined;
  } catch {
    return undefined;
  }
}


/** The package name of a package.json text, or undefined. */
export function packageName(text: string | undefined): string | undefined {
  const pkg = text === undefined ? undefined : parseJson(text);
  return typeof pkg?.name === 'string' ? pkg.name : undefined;
}

/**
 * The pin of mwaa-gitops in one manifest or lockfile (by base name), as a comparable one-line string; undefined
 * when the file does not mention the tool. A JSON file that does not parse pins by its digest (any change counts).
 */
export function toolPin(fileName: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (fileName === 'package.json') {
    const pkg = parseJson(text);
    if (!pkg) return `unreadable package.json (sha256 ${digest(text)})`;
    for (const f of DEP_FIELDS) {
      const deps = pkg[f];
      if (isObj(deps) && typeof deps[TOOL_PACKAGE] === 'string') return `${deps[TOOL_PACKAGE]}`;
    }
    return undefined;
  }
  if (fileName === 'package-lock.json' || fileName === 'npm-shrinkwrap.json') {
    const lock = parseJson(text);
    if (!lock) return `unreadable ${fileName} (sha256 ${digest(text)})`;
    const entry =
      (isObj(lock.packages) ? lock.packages[`node_modules/${TOOL_PACKAGE}`] : undefined) ??
      (isObj(lock.dependencies) ? lock.dependencies[TOOL_PACKAGE] : undefined);
    if (!isObj(entry)) return undefined;
    const resolved = typeof entry.resolved === 'string' ? ` ${entry.resolved}` : '';
    const integrity = typeof entry.integrity === 'string' ? ` ${entry.integrity}` : '';
    return `${String(entry.version ?? '?')}${resolved}${integrity}`;
  }
  if (fileName === 'yarn.lock' || fileName === 'pnpm-lock.yaml') return textLockEntries(text);
  return undefined;
}

/** Lines whose key names mwaa-gitops, each with the more-indented lines below it (yarn v1/berry, pnpm). */
function textLockEntries(text: string): string | undefined {
  const lines = text.split(/\r?\n/);
  const keyRe = new RegExp(`^(\\s*)["']?(/)?${TOOL_PACKAGE}[@:/'"]`);
  const blocks: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = keyRe.exec(lines[i]);
    if (!m) continue;
    const indent = m[1].length;
    const block = [lines[i].trim()];
    for (let j = i + 1; j < lines.length; j++) {
      const l = lines[j];
      if (l.trim() === '') break;
      if (l.length - l.trimStart().length <= indent) break;
      block.push(l.trim());
    }
    blocks.push(block.join(' '));
  }
  return blocks.length ? `sha256 ${digest(blocks.join('\n'))}` : undefined;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** One line per file whose pin differs between base and head, e.g. `mwaa-gitops 0.1.0 -> 0.2.0 (package.json)`. */
export function toolPinChange(file: string, base: string | undefined, head: string | undefined): string | undefined {
  const name = file.split('/').pop() ?? file;
  const b = toolPin(name, base);
  const h = toolPin(name, head);
  if (b === h) return undefined;
  const show = (p: string | undefined) => (p === undefined ? '(absent)' : p.replace(/\b(sha\d+-[A-Za-z0-9+/]{12})[A-Za-z0-9+/=]*/g, '$1…'));
  return `${TOOL_PACKAGE} ${show(b)} -> ${show(h)} (${file})`;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * What `computeAffected` needs about the tool for a change set against `baseRef`: whether this is the tool's own
 * repository, and how the mwaa-gitops pin changed in each changed manifest or lockfile at the repository root or at
 * the git top level (where package.json usually is when environments/ lives in a subdirectory). The base side is the
 * merge base of `baseRef` and HEAD (what `git diff base...HEAD` compares against); the head side is the working tree,
 * or HEAD with `workingTree: false`.
 */
export async function toolVersionInputs(
  repoRoot: string,
  gitTopLevel: string,
  baseRef: string,
  changes: ChangedFile[],
  opts: { workingTree?: boolean } = {},
): Promise<{ toolRepository: boolean; toolVersionChanges: { file: string; change: string }[] }> {
  const toolRepository = packageName(readText(path.join(repoRoot, 'package.json'))) === TOOL_PACKAGE;
  const changed = new Set(changes.map((c) => c.path));
  const dirs = [...new Set([path.relative(gitTopLevel, repoRoot), ''])];
  const candidates = dirs.flatMap((d) => MANIFEST_FILES.map((f) => (d ? `${d.split(path.sep).join('/')}/${f}` : f))).filter((p) => changed.has(p));
  const toolVersionChanges: { file: string; change: string }[] = [];
  if (toolRepository || candidates.length === 0) return { toolRepository, toolVersionChanges };
  const mergeBase = (await git(['merge-base', baseRef, 'HEAD'], { cwd: gitTopLevel })).trim();
  for (const rel of candidates) {
    const base = await showFile(gitTopLevel, mergeBase, rel);
    const head = opts.workingTree === false ? await showFile(gitTopLevel, 'HEAD', rel) : readText(path.join(gitTopLevel, rel));
    const file = path.relative(repoRoot, path.join(gitTopLevel, rel)).split(path.sep).join('/');
    const change = toolPinChange(file, base, head);
    if (change) toolVersionChanges.push({ file, change });
  }
  return { toolRepository, toolVersionChanges };
}
