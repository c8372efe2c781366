/**
 * Semantic diff of two resolved specs (after `extends` and defaults). Pure.
 *
 * Objects are compared key by key; arrays and scalars are compared as whole values. Key paths are dotted
 * (`airflow.workers.max`); a key that itself contains a dot or other punctuation is bracketed
 * (`airflow.configuration["core.default_task_retries"]`). Values under a secret-looking key, and values that
 * look like a URI carrying credentials, are masked as `****` (SECRET_KEY / CREDENTIAL_URI below).
 */

export type DiffKind = 'changed' | 'added' | 'removed';

export interface DiffEntry {
  path: string;
  kind: DiffKind;
  /** Rendered (and masked when secret-looking) values. */
  before?: string;
  after?: string;
  /** True when a value was masked. */
  masked: boolean;
}

// one definition of "secret" for every output: src/report/mask.ts
import { CREDENTIAL_URI, MASK, maskNested, SECRET_KEY } from '../report/mask';
export { CREDENTIAL_URI, MASK, SECRET_KEY };
/**
 * Spec fields whose names look secret but are not (S3 object keys, the state key, secrets-backend prefixes);
 * their values are still masked when they look like a URI with credentials.
 */
export const NOT_SECRET_PATHS = /^(bucket\.(requirements|plugins|startupScript)\.key|state\.key|iam\.secretsBackend(\..*)?)$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function joinPath(parent: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) || /^\d+$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

function containsCredentialUri(v: unknown): boolean {
  if (typeof v === 'string') return CREDENTIAL_URI.test(v.trim());
  if (Array.isArray(v)) return v.some(containsCredentialUri);
  if (isPlainObject(v)) return Object.values(v).some(containsCredentialUri);
  return false;
}

/** Whether a value at `key` (last path segment) must be masked. */
export function isSecret(key: string, value: unknown, path = ''): boolean {
  return secretKey(key, path) || containsCredentialUri(value);
}

function secretKey(key: string, path: string): boolean {
  return SECRET_KEY.test(key) && !NOT_SECRET_PATHS.test(path);
}

export function renderValue(v: unknown): string {
  if (v === undefined) return '(unset)';
  if (typeof v === 'string') return /^[\w./:@+-]+$/.test(v) && v !== '' ? v : JSON.stringify(v);
  return JSON.stringify(v);
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && equal(a[k], b[k]));
  }
  return false;
}

/**
 * Differences from `before` to `after`, sorted by path. Removed/added objects are expanded to their leaves so
 * every configuration key shows up on its own line.
 */
export function diffSpecs(before: unknown, after: unknown): DiffEntry[] {
  const out: DiffEntry[] = [];
  const walk = (a: unknown, b: unknown, p: string, key: string, masked: boolean): void => {
    if (equal(a, b)) return;
    const secret = masked || isSecret(key, a, p) || isSecret(key, b, p);
    const inherit = masked || secretKey(key, p);
    if (isPlainObject(a) && isPlainObject(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const k of keys) walk(a[k], b[k], joinPath(p, k), k, inherit);
      return;
    }
    if (a === undefined && isPlainObject(b)) {
      for (const k of Object.keys(b).sort()) walk(undefined, b[k], joinPath(p, k), k, inherit);
      return;
    }
    if (b === undefined && isPlainObject(a)) {
      for (const k of Object.keys(a).sort()) walk(a[k], undefined, joinPath(p, k), k, inherit);
      return;
    }
    const kind: DiffKind = a === undefined ? 'added' : b === undefined ? 'removed' : 'changed';
    // values shown whole (arrays such as extraPolicyStatements) keep nested secret-looking keys masked
    const ma = maskNested(a);
    const mb = maskNested(b);
    out.push({
      path: p,
      kind,
      before: a === undefined ? undefined : secret ? MASK : renderValue(ma),
      after: b === undefined ? undefined : secret ? MASK : renderValue(mb),
      masked: secret || !equal(ma, a) || !equal(mb, b),
    });
  };
  walk(before, after, '', '', false);
  return out.sort((x, y) => x.path.localeCompare(y.path));
}

/** One line per entry: `path: before -> after`, `+ path: value`, `- path: value`. */
export function diffLine(e: DiffEntry): string {
  const note = e.masked ? ' (masked)' : '';
  if (e.kind === 'added') return `+ ${e.path}: ${e.after}${note}`;
  if (e.kind === 'removed') return `- ${e.path}: ${e.before}${note}`;
  if (e.masked) return `~ ${e.path}: changed (masked)`;
  return `~ ${e.path}: ${e.before} -> ${e.after}`;
}

export type EnvDiffStatus = 'changed' | 'unchanged' | 'new' | 'deleted' | 'invalid';

export interface EnvironmentDiff {
  name: string;
  status: EnvDiffStatus;
  entries: DiffEntry[];
  /** For `invalid`: why the spec could not be resolved (base or head). */
  problems?: string[];
}

export type DiffFormat = 'text' | 'markdown' | 'json';

function headline(d: EnvironmentDiff): string {
  switch (d.status) {
    case 'new':
      return `${d.name}: NEW environment (${d.entries.length} settings)`;
    case 'deleted':
      return `${d.name}: DELETED environment (spec removed; its resources will be destroyed when its stack is destroyed)`;
    case 'unchanged':
      return `${d.name}: no change in the resolved spec`;
    case 'invalid':
      return `${d.name}: cannot diff, the spec does not resolve`;
    default:
      return `${d.name}: ${d.entries.length} change${d.entries.length === 1 ? '' : 's'}`;
  }
}

/** Lines shown for a diff: a new or deleted environment is one line, its settings are not listed. */
function bodyLines(d: EnvironmentDiff): string[] {
  if (d.status === 'invalid') return (d.problems ?? []).map((p) => `! ${p}`);
  if (d.status === 'new' || d.status === 'deleted') return [];
  return d.entries.map(diffLine);
}

export function formatDiffs(diffs: EnvironmentDiff[], format: DiffFormat): string {
  if (format === 'json') return `${JSON.stringify({ environments: diffs }, null, 2)}\n`;
  if (format === 'text') {
    if (diffs.length === 0) return 'No environments to compare.\n';
    return diffs.map((d) => [headline(d), ...bodyLines(d).map((l) => `  ${l}`)].join('\n')).join('\n') + '\n';
  }
  return diffs.map((d) => renderDiffMarkdown(d)).join('\n');
}

/** Markdown for one environment: a headline and a ```diff block. */
export function renderDiffMarkdown(d: EnvironmentDiff, headingLevel = 3): string {
  const lines = bodyLines(d);
  const h = '#'.repeat(headingLevel);
  const title = `${h} \`${d.name}\`\n\n${headline(d).slice(d.name.length + 2)}\n`;
  if (lines.length === 0) return `${title}`;
  return `${title}\n${fence(lines.join('\n'), 'diff')}\n`;
}

/** A fenced block whose fence is longer than any backtick run inside (so content cannot close it). */
export function fence(text: string, lang = ''): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const f = '`'.repeat(Math.max(3, longest + 1));
  return `${f}${lang}\n${text}\n${f}`;
}
