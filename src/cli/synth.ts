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

export interface SynthCommandOptions {
  repo: string;
  out?: string;
  stateDir?: string;
  providerArgs?: string;
}

export function runSynth(targets: string[], opts: SynthCommandOptions): { exitCode: number; output: string } {
  const repoRoot = path.resolve(opts.repo);
  const loaded = loadValidSpecs(repoRoot, targets);
  if (!loaded.ok) {
    const text = formatText(loaded.report, { repoRoot, strict: false, color: false });
    return { exitCode: 1, output: text }; // no environments: its summary line says so (NO_ENVIRONMENTS)
  }
  const results = synthesize(loaded.specs, {
    repoRoot,
    outDir: opts.out ? path.resolve(opts.out) : undefined,
    stateDir: opts.stateDir ? path.resolve(opts.stateDir) : undefined,
    providerOverrides: loadTarget(opts.providerArgs),
  });
  const warnings = loaded.report.findings.length ? formatText(loaded.report, { repoRoot, strict: false, color: false }) : '';
  const lines = results.map((r) => `${r.env}: ${path.relative(process.cwd(), r.file) || r.file} (${r.resources} resources)`);
  return { exitCode: 0, output: `${warnings}${lines.join('\n')}\n` };
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
      const o = providerArgsOf(cmd.optsWithGlobals() as SynthCommandOptions & { target?: string });
      const { exitCode, output } = runSynth(targets, o);
      (exitCode === 0 ? process.stdout : process.stderr).write(output);
      process.exitCode = exitCode;
    });
}
