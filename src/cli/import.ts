/**
 * `mwaa-gitops import <mwaa-name> --region <r> [--out environments/<name>.yaml] [--provider-args <file.json>] [--force]`
 * Reads an existing MWAA environment and what it uses (subnets -> VPC, security groups, bucket, role, KMS key,
 * log groups, artifacts) and writes a spec plus `environments/<name>.imports.json` (Terraform import blocks at
 * synth time), so that the first plan imports instead of creating. Exit 0 written, 1 on error.
 */
import * as path from 'path';
import type { Command } from 'commander';
import { deprecatedTargetOption, PROVIDER_ARGS_HELP, providerArgsOf } from './plan';
import { fail, repoRootOf } from '../gitops/cli-common';

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
      try {
        const opts = providerArgsOf(given);
        // Loaded here: the AWS SDK is only needed by this command.
        const { importEnvironment } = await import('../gitops/import');
        const { loadTarget } = await import('../synth');
        const repoRoot = repoRootOf(cmd);
        const r = await importEnvironment({ repoRoot, name, region: opts.region, out: opts.out, target: loadTarget(opts.providerArgs), force: opts.force });
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
        process.stdout.write(`${lines.join('\n')}\n`);
        process.exitCode = 0;
      } catch (err) {
        const e = err as { name?: string; message?: string };
        fail(e.name && /NotFound/.test(e.name) ? `no MWAA environment named ${name} in ${given.region} (${e.message})` : (e.message ?? String(err)));
      }
    });
}
