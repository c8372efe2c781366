/**
 * A finding is one problem with one spec, located in a file. Every stage that judges input
 * (YAML parse, overlays, schema, MWAA rules, cross-file checks) reports findings; none throws
 * for bad input.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** Rule id, e.g. `MWAA-NET-001`; parse/schema/overlay problems use `YAML-*`, `SCHEMA-*`, `SPEC-*`. */
  ruleId: string;
  severity: Severity;
  /** What is wrong, in one sentence, naming the value. */
  message: string;
  /** How to fix it. */
  fix?: string;
  /** Where the rule comes from (MWAA guide section, API reference). */
  reference?: string;
  /** Absolute path of the file the offending key or value is in. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Dotted key path inside the spec, e.g. `airflow.workers.max` ('' for the whole document). */
  path: string;
}

export function hasErrors(findings: readonly Finding[], strict = false): boolean {
  return findings.some((f) => f.severity === 'error' || (strict && f.severity === 'warning'));
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId),
  );
}
