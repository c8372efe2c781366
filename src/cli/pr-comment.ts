/**
 * `mwaa-gitops pr-comment --base <ref> [--plan-json <dir>] [--head <sha>] [--out <file>] [--limit <n>]`
 * One Markdown comment for the pull request: validation, then per affected environment the spec diff,
 * the plan summary (from `terraform show -json` files in <dir>: `<env>.json` or `<env>/plan.json`) and the
 * cost change; dangers first; under GitHub's 65,536-character limit. The first line is a hidden marker
 * (`<!-- mwaa-gitops:pr-comment -->`) the workflow uses to update the same comment.
 * Exit 0 when the comment was written, 1 on error (validation errors are reported in the comment, not the exit code).
 */
import { Command } from 'commander';
import { GITHUB_COMMENT_LIMIT, renderPrComment } from '../gitops/pr-comment';
import { gatherPrComment } from '../gitops/pr-comment-data';
import { failure, repoRootOf, toOut, writeResult, type CommandResult } from './result';

export interface PrCommentArgs {
  repo: string;
  base: string;
  /** Directory of `terraform show -json` plans: <env>.json or <env>/plan.json. */
  planJson?: string;
  head?: string;
  limit: number;
  out?: string;
}

export function register(program: Command): void {
  program
    .command('pr-comment')
    .description('render the pull-request comment (validation, spec diffs, plan summaries, cost) as Markdown')
    .requiredOption('--base <ref>', 'git ref the pull request merges into (e.g. origin/main)')
    .option('--plan-json <dir>', 'directory of `terraform show -json` plans: <env>.json or <env>/plan.json')
    .option('--head <sha>', 'commit shown in the title (default: none)')
    .option('--limit <chars>', 'maximum comment length', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1000) throw new Error('--limit must be an integer >= 1000');
      return n;
    }, GITHUB_COMMENT_LIMIT)
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (opts: Omit<PrCommentArgs, 'repo'>, cmd: Command) => writeResult(await run({ ...opts, repo: repoRootOf(cmd) })));
}

export async function run(args: PrCommentArgs): Promise<CommandResult> {
  try {
    const input = await gatherPrComment({ repoRoot: args.repo, base: args.base, head: args.head, planJsonDir: args.planJson, limit: args.limit });
    return { exitCode: 0, stdout: toOut(renderPrComment(input), args.out), stderr: '' };
  } catch (err) {
    return failure((err as Error).message);
  }
}
