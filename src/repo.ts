/**
 * Where the user's GitOps repository is (the directory holding `environments/`), as opposed to where the tool's own
 * files are (src/paths.ts `packageRoot()`). One module, used by every command through the CLI's pre-action hook
 * (src/cli/index.ts) and by `repoRootOf` (src/cli/result.ts).
 *
 * Discovery walks up from the start directory (the current directory, or `-C <dir>`) and stops at the first
 * directory that holds the marker file `.mwaa-gitops.yaml` (written by `mwaa-gitops init`) or an `environments/`
 * directory. It never walks above a git top level (a directory holding `.git`), so a repository nested in another
 * one is not mistaken for its parent. Like `git -C`, `-C <dir>` means "run as if started in <dir>".
 */
import * as fs from 'fs';
import * as path from 'path';
import { ENVIRONMENTS_DIR } from './spec/discover';

export { ENVIRONMENTS_DIR };

/** Marker file at the repository root, written by `mwaa-gitops init`. */
export const MARKER_FILE = '.mwaa-gitops.yaml';

export class RepoNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RepoNotFoundError';
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isRepoRoot(dir: string): boolean {
  return fs.existsSync(path.join(dir, MARKER_FILE)) || isDir(path.join(dir, ENVIRONMENTS_DIR));
}

/** The repository root at or above `start` (absolute), or undefined. */
export function findRepoRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (isRepoRoot(dir)) return dir;
    if (fs.existsSync(path.join(dir, '.git'))) return undefined; // a git top level: do not leave the repository
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export interface ResolveRepoOptions {
  /** The `-C <dir>` value, when given (relative to `cwd`). */
  dir?: string;
  /** Defaults to process.cwd(). */
  cwd?: string;
  /**
   * When no repository is found: `true` (default) throws a RepoNotFoundError saying where it looked;
   * `false` returns the start directory (commands that create the repository's files, such as `import`).
   */
  required?: boolean;
}

const LOOKED_FOR = `looked for ${ENVIRONMENTS_DIR}/ and ${MARKER_FILE}`;

/**
 * The repository root for a command. A `-C` that does not exist or is not a directory is an error even when not
 * `required`: the user named a place that is not there.
 */
export function resolveRepoRoot(opts: ResolveRepoOptions = {}): string {
  const cwd = opts.cwd ?? process.cwd();
  const required = opts.required !== false;
  if (opts.dir !== undefined) {
    const start = path.resolve(cwd, opts.dir);
    if (!fs.existsSync(start)) throw new RepoNotFoundError(`-C ${opts.dir}: no such directory (${start})`);
    if (!isDir(start)) throw new RepoNotFoundError(`-C ${opts.dir}: not a directory (${start})`);
    const found = findRepoRoot(start);
    if (found) return found;
    if (!required) return start;
    throw new RepoNotFoundError(
      `-C ${opts.dir}: no environments in ${start} or any parent directory (${LOOKED_FOR}); ` +
        `pass the directory that holds ${ENVIRONMENTS_DIR}/, or create one with \`mwaa-gitops init ${opts.dir}\``,
    );
  }
  const start = path.resolve(cwd);
  const found = findRepoRoot(start);
  if (found) return found;
  if (!required) return start;
  throw new RepoNotFoundError(
    `no mwaa-gitops repository in ${start} or any parent directory (${LOOKED_FOR}); ` +
      'run it inside the repository, pass -C <dir>, or create one with `mwaa-gitops init`',
  );
}
