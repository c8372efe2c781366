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

export const FORMATS: Record<string, Formatter> = { text: formatText, json: formatJson, sarif: formatSarif, github: formatGithub };
export type FormatName = keyof typeof FORMATS;

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

export function register(program: Command): void {
  program
    .command('validate')
    .description('validate environment specs (schema + MWAA rules); default: every environments/*.yaml')
    .argument('[targets...]', 'spec files or environment names')
    .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(FORMATS)).default('text'))
    .option('--strict', 'warnings fail too', false)
    .action((targets: string[], _opts: unknown, cmd: Command) => {
      const o = cmd.optsWithGlobals() as { repo: string; format: string; strict: boolean };
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
