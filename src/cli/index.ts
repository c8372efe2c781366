/**
 * The mwaa-gitops command line. Each command lives in its own module under src/cli/ and exports
 * `register(program)`; its action sets `process.exitCode` (0 ok, 1 invalid/failed, 2 changes/drift).
 * Bad input never produces a stack trace: unexpected exceptions are reported as one line and exit 1.
 */
import { Command } from 'commander';
import { COMMANDS } from './commands';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('mwaa-gitops')
    .description('GitOps for Amazon MWAA: validate YAML specs, synthesize CDKTF stacks, plan/apply/drift with Terraform')
    .option('-C, --repo <dir>', 'repository root (holds environments/)', process.cwd())
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err: unknown) {
    const e = err as { code?: string; exitCode?: number; message?: string };
    if (e && typeof e.code === 'string' && e.code.startsWith('commander.')) {
      // help / version are exit 0; usage errors were already printed by commander.
      return e.exitCode === 0 ? 0 : 1;
    }
    process.stderr.write(`mwaa-gitops: ${e?.message ?? String(err)}\n`);
    if (process.env.MWAA_GITOPS_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
