/**
 * Where the environments of a repository are: `environments/*.yaml`, and command-line targets -> files. Kept apart
 * from the validation engine so that commands which only discover (`affected`, the repository lookup) do not load it.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Directory of environment specs inside a repository. */
export const ENVIRONMENTS_DIR = 'environments';

/** environments/*.yaml|yml, except `_*.yaml` bases, sorted, absolute. */
export function discoverEnvironments(repoRoot: string): string[] {
  const dir = path.resolve(repoRoot, ENVIRONMENTS_DIR);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => /\.ya?ml$/i.test(n) && !n.startsWith('_') && !n.startsWith('.'))
    .sort()
    .map((n) => path.join(dir, n))
    .filter((p) => {
      try {
        return fs.statSync(p).isFile();
      } catch {
        return false;
      }
    });
}

/**
 * Command-line targets -> files: an existing path (relative to the cwd or the repository root)
 * is taken as is; anything else is an environment name, `environments/<name>.yaml` (or .yml).
 * A name that matches nothing is returned as `environments/<name>.yaml` so validation reports
 * it as a missing file. No targets: every environment.
 */
export function resolveTargets(repoRoot: string, args: string[]): string[] {
  const root = path.resolve(repoRoot);
  if (args.length === 0) return discoverEnvironments(root);
  const out: string[] = [];
  for (const arg of args) {
    const candidates = [path.resolve(arg), path.resolve(root, arg)];
    const existing = candidates.find((c) => {
      try {
        return fs.statSync(c).isFile();
      } catch {
        return false;
      }
    });
    if (existing) {
      out.push(existing);
      continue;
    }
    const byName = ['.yaml', '.yml'].map((ext) => path.join(root, ENVIRONMENTS_DIR, `${arg}${ext}`)).find((p) => fs.existsSync(p));
    const looksLikePath = arg.includes('/') || arg.includes(path.sep) || /\.ya?ml$/i.test(arg);
    out.push(byName ?? (looksLikePath ? path.resolve(root, arg) : path.join(root, ENVIRONMENTS_DIR, `${arg}.yaml`)));
  }
  return [...new Set(out)];
}
