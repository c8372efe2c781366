/**
 * `mwaa-gitops validate [files or env names...]`: schema + MWAA rules, all findings at once.
 * Exit 0 valid, 1 invalid (errors, or warnings with --strict).
 */
import * as path from 'path';
import { Command, Option } from 'commander';
import { hasErrors } from '../findings';
import type { Formatter } from '../report/findings-common';
import { formatGithub } from '../report/findings-github';
import { formatJson } from '../report/findings-json';
import { formatSarif } from '../report/findings-sarif';
import { formatText } from '../report/findings-text';
import { resolveTargets, validateFiles } from '../engine/validate';
import type { Resolution } from '../artifacts/model';
import { writeResult, type CommandResult } from './result';

export const FORMATS: Record<string, Formatter> = { text: formatText, json: formatJson, sarif: formatSarif, github: formatGithub };

export interface ValidateArgs {
  repo: string;
  /** Spec files or environment names (default: every environments/*.yaml). */
  targets: string[];
  format?: string;
  strict?: boolean;
  color?: boolean;
  today?: Date;
  /** `--resolve`: also resolve each requirements.txt with pip against its constraints. */
  resolve?: boolean;
  /** Mirror of the Apache Airflow constraints files (`constraints-<airflow>/constraints-<python>.txt`). */
  constraintsDir?: string;
}

export interface ValidateDeps {
  /** Python whose pip resolves (default: the resolver venv, created on first use). */
  resolverPython?: string;
  /** Progress of `--resolve` (default: stderr, as it happens). */
  log?: (line: string) => void;
}

/**
 * Validation, formatted; with `--resolve`, validate, resolve each environment's requirements with pip
 * (src/artifacts/resolve.ts, cached by content hash), then validate again with the results attached so MWAA-REQ-006
 * reports them at their lines. Exit 0 valid, 1 invalid (errors, or warnings with --strict) or no environment found.
 */
export async function run(args: ValidateArgs, deps: ValidateDeps = {}): Promise<CommandResult> {
  const repoRoot = path.resolve(args.repo);
  const files = resolveTargets(repoRoot, args.targets);
  let resolutions: Map<string, Resolution> | undefined;
  if (args.resolve) {
    const log = deps.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
    // loaded for --resolve only (the resolver's modules are not needed to validate)
    const { ensureResolverPython } = require('../artifacts/resolver-setup') as typeof import('../artifacts/resolver-setup');
    const { resolveReport } = require('../artifacts/resolve') as typeof import('../artifacts/resolve');
    const first = validateFiles(files, { repoRoot, today: args.today });
    let python = deps.resolverPython;
    if (!python && first.environments.some((e) => e.spec && e.doc?.artifacts?.requirements)) {
      const setup = ensureResolverPython(log);
      if (!setup.python) return { exitCode: 1, stdout: '', stderr: `validate --resolve: ${setup.error}\n` };
      python = setup.python;
    }
    resolutions = python
      ? await resolveReport(first, { repoRoot, python, constraintsDir: args.constraintsDir ?? process.env.MWAA_GITOPS_CONSTRAINTS_DIR, log })
      : new Map();
  }
  const report = validateFiles(files, { repoRoot, today: args.today, resolutions });
  const format = FORMATS[args.format ?? 'text'] ?? formatText;
  const strict = args.strict === true;
  const stdout = format(report, { repoRoot, strict, color: args.color });
  const failed = hasErrors(report.findings, strict) || (args.targets.length === 0 && files.length === 0);
  return { exitCode: failed ? 1 : 0, stdout, stderr: '' };
}

export function register(program: Command): void {
  program
    .command('validate')
    .description('validate environment specs (schema + MWAA rules); default: every environments/*.yaml')
    .argument('[targets...]', 'spec files or environment names')
    .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(FORMATS)).default('text'))
    .option('--strict', 'warnings fail too', false)
    .option('--resolve', 'also resolve each requirements.txt with pip against its constraints (Python of the environment, manylinux x86_64, wheels only); needs PyPI', false)
    .option('--constraints-dir <dir>', 'local mirror of the Airflow constraints files (constraints-<airflow>/constraints-<python>.txt); env MWAA_GITOPS_CONSTRAINTS_DIR')
    .action(async (targets: string[], _opts: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals() as Omit<ValidateArgs, 'targets'> & { format: string };
      const color = o.format === 'text' && process.stdout.isTTY === true && !process.env.NO_COLOR;
      writeResult(await run({ repo: o.repo, targets, format: o.format, strict: o.strict, resolve: o.resolve, constraintsDir: o.constraintsDir, color }));
    });
}
