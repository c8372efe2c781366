/**
 * The one shape of every command: `run(args, deps?) -> { exitCode, stdout, stderr }`. A command module exports
 * `run` (its whole behaviour, with its inputs parsed into `args` and its outside world in optional `deps`) and
 * `register(program)` (the commander definition, whose action parses the options into `args`, calls `run` and hands
 * the result to `writeResult`). Tests call `run` directly: no process, no captured streams.
 *
 * Progress that must be seen while a command runs (terraform's resource lines, notes) is written as it happens and
 * is not part of the result; the result holds the command's final output.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Command } from 'commander';
import { resolveRepoRoot } from '../repo';

export interface CommandResult {
  /** 0 success, 1 error; 2 only where the command documents it. */
  exitCode: number;
  /** Machine output: one complete document. */
  stdout: string;
  /** Messages for people: errors, refusals, warnings. */
  stderr: string;
}

/** A failure reported as one line (no stack trace for bad input), exit 1. */
export function failure(message: string, stdout = ''): CommandResult {
  return { exitCode: 1, stdout, stderr: `mwaa-gitops: ${message}\n` };
}

/**
 * `--out <file>`: the document goes to the file (creating directories) instead of stdout; `-` or none keeps it on
 * stdout.
 */
export function toOut(text: string, out?: string): string {
  if (!out || out === '-') return text;
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, text);
  return '';
}

/** Writes a result to the process: stdout, then stderr, then the exit code. */
export function writeResult(r: CommandResult): void {
  if (r.stdout) process.stdout.write(r.stdout);
  if (r.stderr) process.stderr.write(r.stderr);
  process.exitCode = r.exitCode;
}

/**
 * The repository root, absolute: the global `repo` option, which the CLI's pre-action hook sets to the root found by
 * src/repo.ts (from `-C <dir>` or the current directory, upwards); found here the same way when no hook ran.
 */
export function repoRootOf(cmd: Command): string {
  const opts = cmd.optsWithGlobals() as { repo?: string };
  return opts.repo !== undefined ? path.resolve(opts.repo) : resolveRepoRoot();
}
