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
