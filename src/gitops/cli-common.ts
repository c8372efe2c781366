/** Small helpers shared by the GitOps command modules (src/cli/affected.ts, diff.ts, pr-comment.ts, cost.ts, import.ts). */
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { resolveRepoRoot } from '../repo';

/**
 * The repository root, absolute: the global `repo` option, which the CLI's pre-action hook sets to the root found by
 * src/repo.ts (from `-C <dir>` or the current directory, upwards); found here the same way when no hook ran.
 */
export function repoRootOf(cmd: Command): string {
  const opts = cmd.optsWithGlobals() as { repo?: string };
  return opts.repo !== undefined ? path.resolve(opts.repo) : resolveRepoRoot();
}

/** Writes text to a file (creating directories) or to stdout when `out` is undefined or '-'. */
export function emit(text: string, out?: string): void {
  if (!out || out === '-') {
    process.stdout.write(text);
    return;
  }
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, text);
}

/** Reports a failure as one line and sets exit code 1 (no stack trace for bad input). */
export function fail(message: string): void {
  process.stderr.write(`mwaa-gitops: ${message}\n`);
  process.exitCode = 1;
}
