/**
 * `mwaa-gitops synth [env...]`: validate (findings as text, exit 1 when invalid), then synthesize in-process to
 * `<out>/stacks/<env>/cdk.tf.json`, one line per environment with its directory and resource count.
 * `--provider-args <file.json>` (or MWAA_GITOPS_PROVIDER_ARGS) merges test/emulator arguments into the aws provider block.
 */
import * as path from 'path';
import type { Command } from 'commander';
import { deprecatedTargetOption, PROVIDER_ARGS_HELP, providerArgsOf } from './plan';
import { formatText } from '../report/findings-text';
import { loadTarget, loadValidSpecs, synthesize } from '../synth';
import { writeResult, type CommandResult } from './result';

export interface SynthArgs {
  repo: string;
  /** Environment names or spec files (default: every environments/*.yaml). */
  targets: string[];
  out?: string;
  stateDir?: string;
  providerArgs?: string;
}

export function run(args: SynthArgs): CommandResult {
  const repoRoot = path.resolve(args.repo);
  const loaded = loadValidSpecs(repoRoot, args.targets);
  if (!loaded.ok) {
    const text = formatText(loaded.report, { repoRoot, strict: false, color: false });
    return { exitCode: 1, stdout: '', stderr: text }; // no environments: its summary line says so (NO_ENVIRONMENTS)
  }
  const results = synthesize(loaded.specs, {
    repoRoot,
    outDir: args.out ? path.resolve(args.out) : undefined,
    stateDir: args.stateDir ? path.resolve(args.stateDir) : undefined,
    providerOverrides: loadTarget(args.providerArgs),
  });
  const warnings = loaded.report.findings.length ? formatText(loaded.report, { repoRoot, strict: false, color: false }) : '';
  const lines = results.map((r) => `${r.env}: ${path.relative(process.cwd(), r.file) || r.file} (${r.resources} resources)`);
  return { exitCode: 0, stdout: `${warnings}${lines.join('\n')}\n`, stderr: '' };
}

export function register(program: Command): void {
  program
    .command('synth')
    .description('validate, then synthesize one Terraform stack per environment to cdktf.out/stacks/<env>/cdk.tf.json')
    .argument('[targets...]', 'environment names or spec files (default: every environments/*.yaml)')
    .option('-o, --out <dir>', 'output directory (default <repo>/cdktf.out)')
    .option('--state-dir <dir>', 'local state root (default <repo>/.mwaa-gitops/state)')
    .option('--provider-args <file.json>', PROVIDER_ARGS_HELP)
    .addOption(deprecatedTargetOption())
    .action((targets: string[], _opts: unknown, cmd: Command) => {
      const o = providerArgsOf(cmd.optsWithGlobals() as Omit<SynthArgs, 'targets'> & { target?: string });
      writeResult(run({ ...o, targets }));
    });
}
