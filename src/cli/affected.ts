/**
 * `mwaa-gitops affected --base <ref> [--format names|json] [--committed-only]`
 * The environments a change touches (see src/gitops/affected.ts for the rules and src/gitops/git.ts for the
 * exact git commands). Exit 0 (also when nothing is affected), 1 on a git or usage error.
 */
import { Command, Option } from 'commander';
import { formatAffected, type AffectedFormat } from '../gitops/affected';
import { emit, fail, repoRootOf } from '../gitops/cli-common';
import { affectedSince } from '../gitops/snapshot';

export function register(program: Command): void {
  program
    .command('affected')
    .description('list the environments a change touches (own spec, extended files, artifacts; all on tool or _defaults changes)')
    .requiredOption('--base <ref>', 'git ref to compare against (merge base with HEAD, plus uncommitted and untracked files)')
    .addOption(new Option('--format <format>', 'names (one a line) or json (GitHub Actions matrix: {"include":[{"env":...}]})').choices(['names', 'json']).default('names'))
    .option('--committed-only', 'ignore uncommitted and untracked changes')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (opts: { base: string; format: AffectedFormat; committedOnly?: boolean; out?: string }, cmd: Command) => {
      try {
        const { result } = await affectedSince(repoRootOf(cmd), opts.base, { workingTree: !opts.committedOnly });
        emit(formatAffected(result, opts.format), opts.out);
        if (opts.format === 'names' && result.deleted.length > 0) {
          process.stderr.write(`deleted environments (not planned): ${result.deleted.map((d) => `${d.name} (${d.file})`).join(', ')}\n`);
        }
        process.exitCode = 0;
      } catch (err) {
        fail((err as Error).message);
      }
    });
}
