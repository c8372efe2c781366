/**
 * `mwaa-gitops diff --base <ref> [env...] [--format text|markdown|json]`
 * Semantic diff of the resolved specs between the base commit and the working tree, with the dangers the change
 * implies (replacements, moves, refusals; src/plan/dangers.ts) even though nothing has been planned.
 * Exit 0 (differences or not), 1 on error; `--detailed-exitcode`: 2 when there are differences.
 */
import { Command, Option } from 'commander';
import { formatDiffs, type DiffFormat } from '../gitops/spec-diff';
import { diffSnapshots, snapshotBaseAndHead } from '../gitops/snapshot';
import { specDangers } from '../plan/dangers';
import { failure, repoRootOf, toOut, writeResult, type CommandResult } from './result';

export interface DiffArgs {
  repo: string;
  /** Environment names (default: every environment in the base or the working tree). */
  envs: string[];
  base: string;
  format: DiffFormat;
  all?: boolean;
  out?: string;
  detailedExitcode?: boolean;
}

export function register(program: Command): void {
  program
    .command('diff')
    .description('semantic diff of resolved specs (after extends and defaults) between a git ref and the working tree, with the dangers it implies')
    .argument('[env...]', 'environment names (default: every environment in the base or the working tree)')
    .requiredOption('--base <ref>', 'git ref whose specs are the "before" side')
    .addOption(new Option('--format <format>', 'text, markdown or json').choices(['text', 'markdown', 'json']).default('text'))
    .option('--all', 'also list environments without changes')
    .option('--detailed-exitcode', 'exit 2 when there are differences, 0 when none, 1 on error')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (envs: string[], opts: Omit<DiffArgs, 'repo' | 'envs'>, cmd: Command) => writeResult(await run({ ...opts, envs, repo: repoRootOf(cmd) })));
}

export async function run(args: DiffArgs): Promise<CommandResult> {
  try {
    const { base, head } = await snapshotBaseAndHead(args.repo, args.base, undefined, { resolveOnly: true });
    let diffs = diffSnapshots(base, head, args.envs);
    if (!args.all && args.envs.length === 0) diffs = diffs.filter((d) => d.status !== 'unchanged');
    for (const d of diffs) {
      const b = base.environments.find((e) => e.name === d.name);
      const h = head.environments.find((e) => e.name === d.name);
      d.dangers = specDangers(d.name, b?.data, h?.data);
    }
    const stdout = toOut(formatDiffs(diffs, args.format), args.out);
    const invalid = diffs.some((d) => d.status === 'invalid');
    const changed = diffs.some((d) => d.status === 'changed' || d.status === 'new' || d.status === 'deleted');
    return { exitCode: invalid ? 1 : args.detailedExitcode && changed ? 2 : 0, stdout, stderr: '' };
  } catch (err) {
    return failure((err as Error).message);
  }
}
