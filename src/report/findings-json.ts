/** Machine-readable findings: one JSON document. */
import { hasErrors } from '../findings';
import { countBySeverity, relPath, type Formatter } from './findings-common';
import { maskCredentials } from './mask';

export const formatJson: Formatter = (report, opts) => {
  const counts = countBySeverity(report.findings);
  const out = {
    valid: !hasErrors(report.findings, opts.strict),
    strict: opts.strict,
    summary: { environments: report.environments.length, ...counts },
    environments: report.environments.map((e) => ({
      file: relPath(opts.repoRoot, e.file),
      name: e.name ?? null,
      valid: !hasErrors(e.findings, opts.strict),
      errors: countBySeverity(e.findings).errors,
      warnings: countBySeverity(e.findings).warnings,
    })),
    findings: report.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      file: relPath(opts.repoRoot, f.file),
      line: f.line,
      column: f.column,
      path: f.path,
      message: maskCredentials(f.message),
      fix: f.fix ?? null,
      reference: f.reference ?? null,
    })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
};
