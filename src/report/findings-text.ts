/**
 * Human-readable findings: `file:line:col  severity  RULE-ID  message`, the YAML source line with
 * a caret under the column, the fix, and a summary line.
 */
import * as fs from 'fs';
import { createColors } from 'picocolors';
import { hasErrors } from '../findings';
import { countBySeverity, relPath, type Formatter } from './findings-common';
import { maskCredentials, maskSourceLine } from './mask';

/** What every command says when the repository has no environment specs (the validation summary line): the one copy. */
export const NO_ENVIRONMENTS = 'no environments found (environments/*.yaml)';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Reads each file once; files that cannot be read (virtual files) show no source line. */
function sourceLines(): (file: string) => string[] | undefined {
  const cache = new Map<string, string[] | undefined>();
  return (file) => {
    if (!cache.has(file)) {
      try {
        const st = fs.statSync(file);
        cache.set(file, st.isFile() && st.size <= 1024 * 1024 ? fs.readFileSync(file, 'utf8').split(/\r?\n/) : undefined);
      } catch {
        cache.set(file, undefined);
      }
    }
    return cache.get(file);
  };
}

export const formatText: Formatter = (report, opts) => {
  const c = createColors(opts.color === true);
  const lines = sourceLines();
  const out: string[] = [];
  for (const f of report.findings) {
    const sev = f.severity === 'error' ? c.red('error') : f.severity === 'warning' ? c.yellow('warning') : c.blue('info');
    out.push(`${c.bold(`${relPath(opts.repoRoot, f.file)}:${f.line}:${f.column}`)}  ${sev}  ${c.dim(f.ruleId)}  ${maskCredentials(f.message)}`);
    const raw = lines(f.file)?.[f.line - 1];
    // the source line may hold a secret value (e.g. a finding on smtp.smtp_password): mask it
    const src = raw === undefined ? undefined : maskSourceLine(raw);
    if (src !== undefined && !src.includes('\u0000')) {
      const shown = src.length > 200 ? `${src.slice(0, 200)}...` : src;
      const gutter = String(f.line).padStart(5);
      out.push(`${c.dim(`${gutter} |`)} ${shown.replace(/\t/g, ' ')}`);
      const col = Math.max(1, Math.min(f.column, shown.length + 1));
      out.push(`${c.dim(`${' '.repeat(gutter.length)} |`)} ${' '.repeat(col - 1)}${c.red('^')}`);
    }
    if (f.fix) out.push(`  ${c.cyan('fix:')} ${f.fix}`);
    out.push('');
  }
  const n = report.environments.length;
  const { errors, warnings } = countBySeverity(report.findings);
  const failed = hasErrors(report.findings, opts.strict);
  const invalidEnvs = report.environments.filter((e) => hasErrors(e.findings, opts.strict)).length;
  if (n === 0) {
    out.push(c.yellow(NO_ENVIRONMENTS));
  } else if (!failed) {
    const extra = warnings > 0 ? ` (${plural(warnings, 'warning')})` : '';
    out.push(c.green(`${plural(n, 'environment')} valid${extra}`));
  } else {
    out.push(
      c.red(`${plural(errors, 'error')}, ${plural(warnings, 'warning')}: ${invalidEnvs} of ${plural(n, 'environment')} invalid${opts.strict ? ' (--strict: warnings fail)' : ''}`),
    );
  }
  return `${out.join('\n')}\n`;
};
