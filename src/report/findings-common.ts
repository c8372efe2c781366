/** Shared helpers of the findings formatters. */
import * as path from 'path';
import type { Finding } from '../findings';
import { CROSS_RULES, SPEC_RULES } from '../rules/index';
import type { RuleMeta } from '../rules/types';
import { BUILTIN_RULES, schemaRuleMeta } from '../engine/builtin-rules';
import type { ValidationReport } from '../engine/validate';

export interface FormatOptions {
  repoRoot: string;
  /** Warnings fail too. */
  strict: boolean;
  /** ANSI colors (text format only). */
  color?: boolean;
}

/** A path relative to the repository root, with forward slashes (absolute when outside it). */
export function relPath(repoRoot: string, file: string): string {
  const rel = path.relative(repoRoot, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return file.split(path.sep).join('/');
  return rel.split(path.sep).join('/');
}

export function countBySeverity(findings: readonly Finding[]): { errors: number; warnings: number; infos: number } {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
    else infos++;
  }
  return { errors, warnings, infos };
}

/** Metadata of every rule id that appears (registry, built-ins, schema keywords). */
export function ruleMetaFor(id: string): RuleMeta {
  const found = [...SPEC_RULES, ...CROSS_RULES].find((r) => r.meta.id === id)?.meta ?? BUILTIN_RULES.find((r) => r.id === id);
  if (found) return found;
  if (id.startsWith('SCHEMA-')) return schemaRuleMeta(id);
  return { id, severity: 'error', description: id, reference: 'README.md' };
}

export type Formatter = (report: ValidationReport, opts: FormatOptions) => string;
