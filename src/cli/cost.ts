/**
 * `mwaa-gitops cost [env...] [--format text|markdown|json] [--base <ref>]`
 * Monthly cost range per environment from data/pricing.json; with --base, the base range too.
 * Exit 0, 1 when an environment does not resolve.
 */
import * as path from 'path';
import { Command, Option } from 'commander';
import { estimateCost, formatCosts, formatRange, type CostEstimate, type CostFormat } from '../gitops/cost';
import { snapshotBaseAndHead, snapshotTree, type TreeSnapshot } from '../gitops/snapshot';
import { failure, repoRootOf, toOut, writeResult, type CommandResult } from './result';

export interface CostArgs {
  repo: string;
  /** Environment names (default: all). */
  envs: string[];
  format: CostFormat;
  base?: string;
  out?: string;
}

function pick(tree: TreeSnapshot, envs: string[]): { estimates: CostEstimate[]; missing: string[] } {
  const missing: string[] = [];
  const estimates: CostEstimate[] = [];
  const wanted = envs.length ? envs : tree.environments.map((e) => e.name);
  for (const name of wanted) {
    const e = tree.environments.find((x) => x.name === name || x.file === name || path.basename(x.file).replace(/\.ya?ml$/, '') === name);
    if (!e || !e.spec) missing.push(name);
    else estimates.push(estimateCost(e.spec));
  }
  return { estimates, missing };
}

export function register(program: Command): void {
  program
    .command('cost')
    .description('monthly cost range (class, schedulers, workers min..max, webservers, NAT gateways, VPC endpoints) from data/pricing.json')
    .argument('[env...]', 'environment names (default: all)')
    .addOption(new Option('--format <format>', 'text, markdown or json').choices(['text', 'markdown', 'json']).default('text'))
    .option('--base <ref>', 'also estimate the specs at this git ref and show the change')
    .option('--out <file>', 'write to a file instead of stdout')
    .action(async (envs: string[], opts: Omit<CostArgs, 'repo' | 'envs'>, cmd: Command) => writeResult(await run({ ...opts, envs, repo: repoRootOf(cmd) })));
}

export async function run(args: CostArgs): Promise<CommandResult> {
  try {
    let head: TreeSnapshot;
    let base: TreeSnapshot | undefined;
    if (args.base) ({ base, head } = await snapshotBaseAndHead(args.repo, args.base));
    else head = snapshotTree(args.repo);
    const { estimates, missing } = pick(head, args.envs);
    let text = formatCosts(estimates, args.format);
    if (base) {
      const before = new Map(pick(base, estimates.map((e) => e.name)).estimates.map((e) => [e.name, e]));
      if (args.format === 'json') {
        text = `${JSON.stringify({ estimates, base: estimates.map((e) => before.get(e.name) ?? null) }, null, 2)}\n`;
      } else {
        const lines = estimates.map((e) => {
          const b = before.get(e.name);
          return `${e.name}: ${b ? formatRange(b) : '(not in base)'} -> ${formatRange(e)}`;
        });
        text += `\nChange against ${args.base}:\n${lines.join('\n')}\n`;
      }
    }
    const stdout = toOut(text, args.out);
    if (missing.length) return failure(`no valid spec for: ${missing.join(', ')} (run \`mwaa-gitops validate\`)`, stdout);
    return { exitCode: 0, stdout, stderr: '' };
  } catch (err) {
    return failure((err as Error).message);
  }
}
