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
import { resolveReport } from '../artifacts/resolve';
import { ensureResolverPython } from '../artifacts/resolver-setup';

export const FORMATS: Record<string, Formatter> = { text: formatText, json: formatJson, sarif: formatSarif, github: formatGithub };

export interface ValidateCommandOptions {
  repo: string;
  format?: string;
  strict?: boolean;
  color?: boolean;
  today?: Date;
}

/** Run validation and format it; the command's whole behaviour, without process I/O. */
export function runValidate(targets: string[], opts: ValidateCommandOptions): { exitCode: number; output: string } {
  const repoRoot = path.resolve(opts.repo);
  const files = resolveTargets(repoRoot, targets);
  const report = validateFiles(files, { repoRoot, today: opts.today });
  const format = FORMATS[opts.format ?? 'text'] ?? formatText;
  const strict = opts.strict === true;
  const output = format(report, { repoRoot, strict, color: opts.color });
  const failed = hasErrors(report.findings, strict) || (targets.length === 0 && files.length === 0);
  return { exitCode: failed ? 1 : 0, output };
}

export interface ResolveCommandOptions extends ValidateCommandOptions {
  /** Mirror of the Apache Airflow constraints files (`constraints-<airflow>/constraints-<python>.txt`). */
  constraintsDir?: string;
  /** Python whose pip resolves (default: the resolver venv, created on first use). */
  resolverPython?: string;
  /** Progress (stderr). */
  log?: (line: string) => void;
}

/**
 * `validate --resolve`: validate, resolve each environment's requirements with pip (src/artifacts/resolve.ts,
 * cached by content hash), then validate again with the results attached so MWAA-REQ-006 reports them at their lines.
 */
export async function runValidateResolve(targets: string[], opts: ResolveCommandOptions): Promise<{ exitCode: number; output: string; error?: string }> {
  const repoRoot = path.resolve(opts.repo);
  const files = resolveTargets(repoRoot, targets);
  const log = opts.log ?? (() => undefined);
  const first = validateFiles(files, { repoRoot, today: opts.today });
  let python = opts.resolverPython;
  if (!python && first.environments.some((e) => e.spec && e.doc?.artifacts?.requirements)) {
    const setup = ensureResolverPython(log);
    if (!setup.python) return { exitCode: 1, output: '', error: `validate --resolve: ${setup.error}` };
    python = setup.python;
  }
  const resolutions = python
    ? await resolveReport(first, { repoRoot, python, constraintsDir: opts.constraintsDir ?? process.env.MWAA_GITOPS_CONSTRAINTS_DIR, log })
    : new Map();
  const report = validateFiles(files, { repoRoot, today: opts.today, resolutions });
  const format = FORMATS[opts.format ?? 'text'] ?? formatText;
  const strict = opts.strict === true;
  const output = format(report, { repoRoot, strict, color: opts.color });
  const failed = hasErrors(report.findings, strict) || (targets.length === 0 && files.length === 0);
  return { exitCode: failed ? 1 : 0, output };
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
      const o = cmd.optsWithGlobals() as { repo: string; format: string; strict: boolean; resolve: boolean; constraintsDir?: string };
      if (o.resolve) {
        const r = await runValidateResolve(targets, {
          repo: o.repo,
          format: o.format,
          strict: o.strict,
          constraintsDir: o.constraintsDir,
          color: o.format === 'text' && process.stdout.isTTY === true && !process.env.NO_COLOR,
          log: (line) => process.stderr.write(`${line}\n`),
        });
        if (r.error) process.stderr.write(`${r.error}\n`);
        process.stdout.write(r.output);
        process.exitCode = r.exitCode;
        return;
      }
      const { exitCode, output } = runValidate(targets, {
        repo: o.repo,
        format: o.format,
        strict: o.strict,
        color: o.format === 'text' && process.stdout.isTTY === true && !process.env.NO_COLOR,
      });
      process.stdout.write(output);
      process.exitCode = exitCode;
    });
}
