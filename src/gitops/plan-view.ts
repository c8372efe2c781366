/**
 * `terraform show -json` plan -> the PlanView the PR comment needs (counts, danger lines, details).
 * Pure. Dangers: every delete, every replacement (with the attributes that force it), and any destroy or
 * replacement in an environment whose spec sets `protection.preventDestroy`.
 */
import type { PlanJson, ResourceChange } from '../terraform/runner';
import type { PlanView } from './pr-comment';

export type ChangeKind = 'create' | 'update' | 'delete' | 'replace' | 'import' | 'no-op' | 'read';

export function changeKind(rc: ResourceChange): ChangeKind {
  const a = rc.change.actions;
  if (a.includes('delete') && a.includes('create')) return 'replace';
  if (a.includes('delete')) return 'delete';
  if (a.includes('create')) return 'create';
  if (a.includes('update')) return 'update';
  if (a.includes('read')) return 'read';
  return (rc.change as { importing?: unknown }).importing ? 'import' : 'no-op';
}

function isImporting(rc: ResourceChange): boolean {
  return Boolean((rc.change as { importing?: unknown }).importing);
}

function pathText(p: Array<string | number>): string {
  return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

const SYMBOL: Record<ChangeKind, string> = { create: '+', update: '~', delete: '-', replace: '-/+', import: '⇐', 'no-op': ' ', read: '<=' };

export interface PlanViewOptions {
  /** The environment's spec sets protection.preventDestroy. */
  protected?: boolean;
}

export function planViewFromJson(plan: PlanJson, opts: PlanViewOptions = {}): PlanView {
  const managed = (plan.resource_changes ?? []).filter((rc) => rc.mode === 'managed');
  const view: PlanView = { add: 0, change: 0, destroy: 0, replace: 0, import: 0, dangers: [], details: '' };
  const rows: string[] = [];
  for (const rc of managed) {
    const kind = changeKind(rc);
    if (isImporting(rc)) view.import += 1;
    if (kind === 'create') view.add += 1;
    else if (kind === 'update') view.change += 1;
    else if (kind === 'delete') view.destroy += 1;
    else if (kind === 'replace') {
      view.replace += 1;
      view.add += 1;
      view.destroy += 1;
    }
    if (kind === 'no-op' && !isImporting(rc)) continue;
    const forced = (rc.change.replace_paths ?? []).map(pathText);
    if (kind === 'replace') {
      view.dangers.push(`**replace** \`${rc.address}\`${forced.length ? ` (forced by ${forced.map((f) => `\`${f}\``).join(', ')})` : ''}${opts.protected ? ' — environment is **protected** (preventDestroy)' : ''}`);
    } else if (kind === 'delete') {
      view.dangers.push(`**destroy** \`${rc.address}\`${opts.protected ? ' — environment is **protected** (preventDestroy)' : ''}`);
    }
    const label = isImporting(rc) && kind === 'no-op' ? 'import' : kind;
    rows.push(`| \`${SYMBOL[isImporting(rc) && kind === 'no-op' ? 'import' : kind]}\` | ${label}${isImporting(rc) && kind !== 'no-op' ? ' + import' : ''} | \`${rc.address}\` | ${forced.length ? forced.map((f) => `\`${f}\``).join(', ') : ''} |`);
  }
  const order = (r: string) => (r.includes('| replace') ? 0 : r.includes('| delete') ? 1 : 2);
  rows.sort((a, b) => order(a) - order(b));
  view.details = rows.length ? ['| | Action | Resource | Forces replacement |', '|---|---|---|---|', ...rows].join('\n') : '';
  return view;
}
