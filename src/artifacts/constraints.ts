/**
 * Airflow constraints: what a `--constraint` line names, the official URL for a version, and the pins of a
 * constraints file. Pure.
 */
import { artifactFacts } from '../rules/data';
import { normalizeName, parseRequirementsText, requirementsOf } from './requirements';

export type ConstraintRef =
  /** The Apache Airflow constraints URL for one Airflow and Python version. */
  | { kind: 'official'; airflow: string; python: string }
  /** A file in the environment's DAGs folder (`/usr/local/airflow/dags/...`): stored in the bucket, no internet needed. */
  | { kind: 'dags'; relative: string }
  /** Another URL (a fork, a private mirror). */
  | { kind: 'url' }
  /** A path relative to the requirements file (pip resolves it; on MWAA it must exist next to requirements.txt). */
  | { kind: 'path' };

export function classifyConstraint(value: string): ConstraintRef {
  const facts = artifactFacts().requirements;
  const m = new RegExp(facts.officialConstraintUrl).exec(value);
  if (m?.groups) return { kind: 'official', airflow: m.groups.airflow, python: m.groups.python };
  if (value.startsWith(facts.dagsDir)) return { kind: 'dags', relative: value.slice(facts.dagsDir.length) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return { kind: 'url' };
  return { kind: 'path' };
}

/** The constraints URL the MWAA guide asks for: Airflow version and its Python version. */
export function officialConstraintUrl(airflow: string, python: string): string {
  return artifactFacts().requirements.officialConstraintTemplate.replace('{airflow}', airflow).replace('{python}', python);
}

/** A package pinned by a constraints file. */
export interface ConstraintPin {
  name: string;
  normalized: string;
  /** The pinned version (`==X`), or undefined for a non-`==` constraint. */
  version?: string;
  /** 1-based line in the constraints file. */
  line: number;
}

/** Pins (`name==version`) of a constraints file's text, by normalized name. */
export function parseConstraints(text: string): Map<string, ConstraintPin> {
  const out = new Map<string, ConstraintPin>();
  for (const r of requirementsOf(parseRequirementsText(text).lines)) {
    const eq = r.specifiers.find((s) => s.operator === '==' || s.operator === '===');
    out.set(r.normalized, { name: r.name, normalized: normalizeName(r.name), version: eq?.version, line: r.line });
  }
  return out;
}
