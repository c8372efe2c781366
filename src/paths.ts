/**
 * Where the tool's own files are: the package root (the directory of mwaa-gitops's package.json), whether the code
 * runs from source (ts-jest, ts-node), from dist/ or from node_modules/mwaa-gitops.
 */
import * as fs from 'fs';
import * as path from 'path';

let cached: string | undefined;

/** The mwaa-gitops package root (holds package.json, data/, schemas/, src/sandbox/*.py). */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'mwaa-gitops') return (cached = dir);
      } catch {
        /* not ours */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`mwaa-gitops: package root not found above ${__dirname}`);
    dir = up;
  }
}

let version: string | undefined;

/** The installed mwaa-gitops version (package.json `version` of the package root). */
export function toolVersion(): string {
  if (version) return version;
  const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
  return (version = typeof pkg.version === 'string' ? pkg.version : '0.0.0');
}
