/**
 * Thin wrappers over the real `git` binary (child_process.execFile, never a shell).
 *
 * What counts as "changed against a base" (used by `affected`, `diff` and `pr-comment`):
 *   1. committed changes on the branch: `git diff --name-status -z --no-renames <base>...HEAD`
 *      (three dots: against the merge base of <base> and HEAD, what a pull request shows);
 *   2. tracked changes not yet committed, staged or not: `git diff --name-status -z --no-renames HEAD`;
 *   3. untracked files that are not ignored: `git ls-files --others --exclude-standard -z`.
 * The union of the three is the change set. Renames are reported as a delete plus an add (`--no-renames`),
 * so both the old and the new path count as changed.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitError';
  }
}

export interface GitRunOptions {
  /** Working directory (inside the repository). */
  cwd: string;
}

/** Runs `git <args>` and resolves with stdout; rejects with a GitError naming the command and git's message. */
export function git(args: string[], opts: GitRunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd: opts.cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } },
      (err, stdout, stderr) => {
        if (err) {
          const msg = (stderr || err.message).trim().split('\n').slice(0, 3).join(' ');
          reject(new GitError(`git ${args.join(' ')} failed: ${msg}`));
          return;
        }
        resolve(stdout);
      },
    );
  });
}

/** Absolute path of the repository's top-level directory. */
export async function gitTopLevel(dir: string): Promise<string> {
  const out = await git(['rev-parse', '--show-toplevel'], { cwd: dir });
  return fs.realpathSync(out.trim());
}

/** Full commit id of `ref`; a GitError with a readable message when it does not name a commit. */
export async function resolveCommit(dir: string, ref: string): Promise<string> {
  if (ref.startsWith('-')) throw new GitError(`'${ref}' is not a git revision (it starts with '-')`);
  try {
    const out = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { cwd: dir });
    return out.trim();
  } catch {
    throw new GitError(`'${ref}' does not name a commit in ${dir} (fetch it first, e.g. \`git fetch origin ${ref}\`)`);
  }
}

export type ChangeStatus = 'A' | 'M' | 'D';

export interface ChangedFile {
  /** Path relative to the git top level, forward slashes. */
  path: string;
  status: ChangeStatus;
}

function parseNameStatusZ(out: string): ChangedFile[] {
  const parts = out.split('\0').filter((p) => p.length > 0);
  const files: ChangedFile[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const code = parts[i][0];
    const status: ChangeStatus = code === 'A' ? 'A' : code === 'D' ? 'D' : 'M';
    files.push({ path: parts[i + 1], status });
  }
  return files;
}

export interface ChangeSetOptions {
  /** Include uncommitted and untracked changes (default true). */
  workingTree?: boolean;
}

/**
 * The change set between `base` and the working tree (see the file comment for the exact git commands).
 * When a path appears more than once, the working-tree status wins (it describes the current state).
 */
export async function changedFiles(dir: string, base: string, opts: ChangeSetOptions = {}): Promise<ChangedFile[]> {
  // independent questions are asked at once: starting git is most of each one's time
  const [, top] = await Promise.all([resolveCommit(dir, base), gitTopLevel(dir)]);
  const workingTree = opts.workingTree !== false;
  const [committed, tracked, untracked] = await Promise.all([
    git(['diff', '--name-status', '-z', '--no-renames', `${base}...HEAD`, '--'], { cwd: top }),
    workingTree ? git(['diff', '--name-status', '-z', '--no-renames', 'HEAD', '--'], { cwd: top }) : '',
    workingTree ? git(['ls-files', '--others', '--exclude-standard', '-z'], { cwd: top }) : '',
  ]);
  const byPath = new Map<string, ChangedFile>();
  for (const f of parseNameStatusZ(committed)) byPath.set(f.path, f);
  if (workingTree) {
    for (const f of parseNameStatusZ(tracked)) {
      const prev = byPath.get(f.path);
      // A file added on the branch and edited since is still an addition relative to the base.
      byPath.set(f.path, prev && prev.status === 'A' && f.status === 'M' ? prev : f);
    }
    for (const p of untracked.split('\0').filter((s) => s.length > 0)) {
      if (!byPath.has(p)) byPath.set(p, { path: p, status: 'A' });
    }
  }
  return [...byPath.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Writes the tree of commit `ref` into a fresh temporary directory (`git archive --format=tar` to a file,
 * then `tar -xf`), and returns the directory that corresponds to `dir` inside it (same sub-path as `dir`
 * has below the top level). The caller removes `root` when done (see `removeTree`).
 */
export async function materializeTree(dir: string, ref: string): Promise<{ root: string; repoDir: string }> {
  const [commit, top] = await Promise.all([resolveCommit(dir, ref), gitTopLevel(dir)]);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-gitops-base-'));
  const tarFile = path.join(root, '.base.tar');
  const treeDir = path.join(root, 'tree');
  fs.mkdirSync(treeDir);
  await git(['archive', '--format=tar', `--output=${tarFile}`, commit], { cwd: top });
  await new Promise<void>((resolve, reject) => {
    execFile('tar', ['-xf', tarFile, '-C', treeDir], (err, _out, stderr) =>
      err ? reject(new GitError(`tar -xf failed: ${(stderr || err.message).trim()}`)) : resolve(),
    );
  });
  fs.rmSync(tarFile, { force: true });
  const rel = path.relative(top, fs.realpathSync(dir));
  return { root, repoDir: path.join(treeDir, rel) };
}

export function removeTree(root: string): void {
  fs.rmSync(root, { recursive: true, force: true });
}

/** Content of `relPath` (relative to the top level) at `ref`, or undefined when it does not exist there. */
export async function showFile(dir: string, ref: string, relPath: string): Promise<string | undefined> {
  try {
    return await git(['show', `${ref}:${relPath}`], { cwd: await gitTopLevel(dir) });
  } catch {
    return undefined;
  }
}
