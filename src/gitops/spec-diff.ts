/**
 * Semantic diff of two resolved specs (after `extends` and defaults). Pure.
 *
 * Objects are compared key by key; arrays and scalars are compared as whole values. Key paths are dotted
 * (`airflow.workers.max`); a key that itself contains a dot or other punctuation is bracketed
 * (`airflow.configuration["core.default_task_retries"]`). Secrets are masked by what they are (src/report/mask.ts:
 * secret Airflow options, secret policy condition keys, credentials in any value); topology, names, CIDRs, ARNs and
 * IDs are always shown. Dangers (src/plan/dangers.ts) ride along with each environment's diff.
 */
import type { Danger } from '../plan/dangers';
import { dangerSentence } from '../report/plan-render';
import { MASK, maskSpecValue } from '../report/mask';

export { MASK };

export type DiffKind = 'changed' | 'added' | 'removed';

export interface DiffEntry {
  path: string;
  kind: DiffKind;
  /** Rendered values, secrets masked. */
  before?: string;
  after?: string;
  /** True when a value was masked. */
  masked: boolean;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function joinPath(parent: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) || /^\d+$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

export function renderValue(v: unknown): string {
  if (v === undefined) return '(unset)';
  if (v === MASK) return MASK;
  if (typeof v === 'string') return /^[\w./:@+*-]+$/.test(v) && v !== '' ? v : JSON.stringify(v);
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
  const walk = (a: unknown, b: unknown, p: string, segs: string[]): void => {
    if (equal(a, b)) return;
    if (isPlainObject(a) && isPlainObject(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const k of keys) walk(a[k], b[k], joinPath(p, k), [...segs, k]);
      return;
    }
    if (a === undefined && isPlainObject(b)) {
      for (const k of Object.keys(b).sort()) walk(undefined, b[k], joinPath(p, k), [...segs, k]);
      return;
    }
    if (b === undefined && isPlainObject(a)) {
      for (const k of Object.keys(a).sort()) walk(a[k], undefined, joinPath(p, k), [...segs, k]);
      return;
    }
    const kind: DiffKind = a === undefined ? 'added' : b === undefined ? 'removed' : 'changed';
    const ma = maskSpecValue(segs, a);
    const mb = maskSpecValue(segs, b);
    out.push({
      path: p,
      kind,
      before: a === undefined ? undefined : renderValue(ma),
      after: b === undefined ? undefined : renderValue(mb),
      masked: !equal(ma, a) || !equal(mb, b),
    });
  };
  walk(before, after, '', []);
  return out.sort((x, y) => x.path.localeCompare(y.path));
}

/** One line per entry: `path: before -> after`, `+ path: value`, `- path: value`. */
export function diffLine(e: DiffEntry): string {
  if (e.kind === 'added') return `+ ${e.path}: ${e.after}`;
  if (e.kind === 'removed') return `- ${e.path}: ${e.before}`;
  return `~ ${e.path}: ${e.before} -> ${e.after}`;
}

export type EnvDiffStatus = 'changed' | 'unchanged' | 'new' | 'deleted' | 'invalid';

export interface EnvironmentDiff {
  name: string;
  status: EnvDiffStatus;
  entries: DiffEntry[];
  /** For `invalid`: why the spec could not be resolved (base or head). */
  problems?: string[];
  /** What the change replaces or cannot do (src/plan/dangers.ts), from the spec diff alone or checked by a plan. */
  dangers?: Danger[];
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

function dangerLines(d: EnvironmentDiff, markdown: boolean): string[] {
  return (d.dangers ?? []).map((x) => dangerSentence(x, { markdown, evidence: x.evidence !== 'not-planned' }));
}

export function formatDiffs(diffs: EnvironmentDiff[], format: DiffFormat): string {
  if (format === 'json') return `${JSON.stringify({ environments: diffs }, null, 2)}\n`;
  if (format === 'text') {
    if (diffs.length === 0) return 'No environments to compare.\n';
    return diffs.map((d) => [headline(d), ...dangerLines(d, false).map((l) => `  DANGER: ${l}`), ...bodyLines(d).map((l) => `  ${l}`)].join('\n')).join('\n') + '\n';
  }
  return diffs.map((d) => renderDiffMarkdown(d)).join('\n');
}

/** Markdown for one environment: a headline and a ```diff block. */
export function renderDiffMarkdown(d: EnvironmentDiff, headingLevel = 3): string {
  const lines = bodyLines(d);
  const h = '#'.repeat(headingLevel);
  const dangers = dangerLines(d, true);
  const caution = dangers.length ? `\n> [!CAUTION]\n${dangers.map((l) => `> **Danger**: ${l}`).join('\n>\n')}\n` : '';
  const title = `${h} \`${d.name}\`\n\n${headline(d).slice(d.name.length + 2)}\n${caution}`;
  if (lines.length === 0) return `${title}`;
  return `${title}\n${fence(lines.join('\n'), 'diff')}\n`;
}

/** A fenced block whose fence is longer than any backtick run inside (so content cannot close it). */
export function fence(text: string, lang = ''): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const f = '`'.repeat(Math.max(3, longest + 1));
  return `${f}${lang}\n${text}\n${f}`;
}
