/**
 * GitHub Actions workflow commands: one `::error file=...,line=...,col=...,title=...::message`
 * per finding (warning -> ::warning, info -> ::notice), escaped per the runner's rules.
 */
import type { Finding } from '../findings';
import { relPath, type Formatter } from './findings-common';
import { maskCredentials } from './mask';

/** Escape the message part (%, CR, LF). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a property value (%, CR, LF, `:` and `,`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(f: Finding): string {
  return f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
}

export const formatGithub: Formatter = (report, opts) =>
  report.findings
    .map((f) => {
      const props = [
        `file=${escapeProperty(relPath(opts.repoRoot, f.file))}`,
        `line=${f.line}`,
        `col=${f.column}`,
        `title=${escapeProperty(f.ruleId)}`,
      ].join(',');
      const msg = maskCredentials(`${f.message}${f.fix ? `\nfix: ${f.fix}` : ''}`);
      return `::${command(f)} ${props}::${escapeData(msg)}\n`;
    })
    .join('');
