/**
 * `mwaa-gitops import <mwaa-name> --region <r> [--out environments/<name>.yaml] [--provider-args <file.json>] [--force]`
 * Reads an existing MWAA environment and what it uses (subnets -> VPC, security groups, bucket, role, KMS key,
 * log groups, artifacts) and writes a spec plus `environments/<name>.imports.json` (Terraform import blocks at
 * synth time), so that the first plan imports instead of creating. Exit 0 written, 1 on error.
 */
import * as path from 'path';
import type { Command } from 'commander';
import type { AwsClients } from '../gitops/import';
import { deprecatedTargetOption, PROVIDER_ARGS_HELP, providerArgsOf } from './plan';
import { failure, repoRootOf, writeResult, type CommandResult } from './result';

export interface ImportArgs {
  /** Directory the spec, imports file and artifacts are written into (the repository root, or the start directory). */
  repo: string;
  /** Name of the MWAA environment. */
  name: string;
  region: string;
  out?: string;
  providerArgs?: string;
  force?: boolean;
}

export interface ImportDeps {
  /** The AWS clients the environment is read with (default: made from the region and --provider-args). */
  clients?: AwsClients;
}

export function register(program: Command): void {
  program
    .command('import')
    .description('adopt an existing MWAA environment: write its spec and Terraform import blocks')
    .argument('<mwaa-name>', 'name of the MWAA environment')
    .requiredOption('--region <region>', 'AWS Region of the environment')
    .option('--out <file>', 'spec file to write (default environments/<name>.yaml)')
    .option('--provider-args <file.json>', PROVIDER_ARGS_HELP)
    .addOption(deprecatedTargetOption())
    .option('--force', 'overwrite existing spec, imports and artifact files')
    .action(async (name: string, given: { region: string; out?: string; providerArgs?: string; target?: string; force?: boolean }, cmd: Command) => {
      const { target: _deprecated, ...opts } = providerArgsOf(given);
      writeResult(await run({ ...opts, name, repo: repoRootOf(cmd) }));
    });
}

export async function run(args: ImportArgs, deps: ImportDeps = {}): Promise<CommandResult> {
  try {
    // Loaded here: the AWS SDK is only needed by this command.
    const { importEnvironment } = await import('../gitops/import');
    const { loadTarget } = await import('../synth');
    const repoRoot = args.repo;
    const r = await importEnvironment({ repoRoot, name: args.name, region: args.region, out: args.out, target: loadTarget(args.providerArgs), force: args.force, clients: deps.clients });
    const rel = (f: string) => path.relative(repoRoot, f);
    const lines = [
      `wrote ${rel(r.specFile)} and ${rel(r.importsFile)}`,
      ...r.artifacts.map((a) => `downloaded ${a}`),
      `import (${Object.keys(r.imports).length}):`,
      ...Object.entries(r.imports).map(([a, id]) => `  ${a} <= ${id}`),
      `create on first apply (${r.toCreate.length}):`,
      ...r.toCreate.map((a) => `  ${a}`),
      ...r.notes.map((n) => `note: ${n}`),
      `next: mwaa-gitops plan ${r.name}`,
    ];
    return { exitCode: 0, stdout: `${lines.join('\n')}\n`, stderr: '' };
  } catch (err) {
    const e = err as { name?: string; message?: string };
    return failure(e.name && /NotFound/.test(e.name) ? `no MWAA environment named ${args.name} in ${args.region} (${e.message})` : (e.message ?? String(err)));
  }
}
