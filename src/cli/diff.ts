/**
 * `mwaa-gitops diff --base <ref> [env...] [--format text|markdown|json]`
 * Semantic diff of the resolved specs between the base commit and the working tree, with the dangers the change
 * implies (replacements, moves, refusals; src/plan/dangers.ts) even though nothing has been planned.
 * Exit 0 (differences or not), 1 on error; `--detailed-exitcode`: 2 when there are differences.
 */
import { Command, Option } from 'commander';
import { emit, fail, repoRootOf } from '../gitops/cli-common';
import { formatDiffs, type DiffFormat } from '../gitops/spec-diff';
import { diffSnapshots, snapshotBaseAndHead } from '../gitops/snapshot';
import { specDangers } from '../plan/dangers';

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
    .action(async (envs: string[], opts: { base: string; format: DiffFormat; all?: boolean; out?: string; detailedExitcode?: boolean }, cmd: Command) => {
      try {
        const { base, head } = await snapshotBaseAndHead(repoRootOf(cmd), opts.base, undefined, { resolveOnly: true });
        let diffs = diffSnapshots(base, head, envs);
        if (!opts.all && envs.length === 0) diffs = diffs.filter((d) => d.status !== 'unchanged');
        for (const d of diffs) {
          const b = base.environments.find((e) => e.name === d.name);
          const h = head.environments.find((e) => e.name === d.name);
          d.dangers = specDangers(d.name, b?.data, h?.data);
        }
        emit(formatDiffs(diffs, opts.format), opts.out);
        const invalid = diffs.some((d) => d.status === 'invalid');
        const changed = diffs.some((d) => d.status === 'changed' || d.status === 'new' || d.status === 'deleted');
        process.exitCode = invalid ? 1 : opts.detailedExitcode && changed ? 2 : 0;
      } catch (err) {
        fail((err as Error).message);
      }
    });
}
