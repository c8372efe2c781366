/**
 * `mwaa-gitops affected --base <ref> [--format names|json|matrix|report] [--max-jobs N] [--committed-only]`
 * `mwaa-gitops affected --all [--format ...]`: every environment (for scheduled drift checks).
 * The environments a change touches (see src/gitops/affected.ts for the rules and src/gitops/git.ts for the
 * exact git commands). Exit 0 (also when nothing is affected), 1 on a git or usage error.
 */
import { Command, Option } from 'commander';
import { batchEnvironments, formatAffected, GITHUB_MATRIX_LIMIT, type AffectedFormat } from '../gitops/affected';
import { affectedSince, dependencySnapshot } from '../gitops/snapshot';
import type { AffectedResult } from '../gitops/affected';
import { failure, repoRootOf, toOut, writeResult, type CommandResult } from './result';

export interface AffectedArgs {
  repo: string;
  base?: string;
  all?: boolean;
  format: AffectedFormat;
  committedOnly?: boolean;
  out?: string;
  maxJobs: string;
}

function everyEnvironment(repoRoot: string): AffectedResult {
  return {
    affected: dependencySnapshot(repoRoot).map((e) => ({ name: e.name, file: e.file, reasons: ['--all'] })).sort((a, b) => a.name.localeCompare(b.name)),
    deleted: [],
    global: [],
    changed: [],
  };
}

export function register(program: Command): void {
  program
    .command('affected')
    .description('list the environments a change touches (own spec, extended files, artifacts; all on tool or _defaults changes)')
    .option('--base <ref>', 'git ref to compare against (merge base with HEAD, plus uncommitted and untracked files)')
    .addOption(new Option('--format <format>', 'names (one a line), json (one job per environment: {"include":[{"env":...,"file":...}]}), matrix (batched: {"include":[{"batch":...,"envs":"a b","label":...}]}) or report (matrix + batches + deleted + reasons)').choices(['names', 'json', 'matrix', 'report']).default('names'))
    .option('--max-jobs <n>', `matrix: batch the environments into at most n jobs (GitHub runs at most ${GITHUB_MATRIX_LIMIT} per matrix); each job lists its environments`, String(GITHUB_MATRIX_LIMIT))
    .option('--all', 'every environment in the working tree, regardless of changes (no --base)')
    .option('--committed-only', 'ignore uncommitted and untracked changes')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (opts: Omit<AffectedArgs, 'repo'>, cmd: Command) => writeResult(await run({ ...opts, repo: repoRootOf(cmd) })));
}

export async function run(args: AffectedArgs): Promise<CommandResult> {
  try {
    const maxJobs = Number(args.maxJobs);
    batchEnvironments([], maxJobs); // a bad --max-jobs fails before any git work
    if (!args.all && !args.base) throw new Error('give --base <ref> (the change to look at) or --all (every environment)');
    if (args.all && args.base) throw new Error('--all and --base exclude each other');
    const result = args.all ? everyEnvironment(args.repo) : (await affectedSince(args.repo, args.base!, { workingTree: !args.committedOnly })).result;
    const stdout = toOut(formatAffected(result, args.format, maxJobs), args.out);
    const stderr =
      args.format === 'names' && result.deleted.length > 0
        ? `deleted environments (not planned): ${result.deleted.map((d) => `${d.name} (${d.file})`).join(', ')}\n`
        : '';
    return { exitCode: 0, stdout, stderr };
  } catch (err) {
    return failure((err as Error).message);
  }
}
