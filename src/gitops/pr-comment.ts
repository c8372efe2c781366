/**
 * The pull-request comment: one Markdown document for the whole PR. Pure: takes the validation result,
 * the spec diff, plan summary and cost of each affected environment, returns Markdown.
 *
 * Layout (most important first, details collapsed):
 *   hidden marker (to find and update the comment) -> title -> validation result -> dangers (destroy,
 *   replace, protected) -> summary table -> per environment: reasons, spec diff, plan, cost in <details>
 *   -> deleted environments -> what was cut.
 * Size: GitHub rejects comments over 65,536 characters. When the full text is longer, bodies are cut in
 * this order until it fits: plan details of environments without dangers (largest first), then of the
 * others, then spec diffs, then cost tables; a final note lists what was cut. Dangers and the table are kept.
 */
import { renderUpgradeBlock, type UpgradePlan } from '../artifacts/upgrade';
import { fence, renderDiffMarkdown, type EnvironmentDiff } from './spec-diff';
import { formatCosts, formatRange, money, type CostEstimate } from './cost';

export const COMMENT_MARKER = '<!-- mwaa-gitops:pr-comment -->';
export const GITHUB_COMMENT_LIMIT = 65536;

export interface ValidationSummary {
  environments: number;
  errors: number;
  warnings: number;
  /** Up to a few formatted finding lines (`file:line:col ruleId message`). */
  lines: string[];
}

/** The plan of one environment as the comment needs it (adapted from the plan summary module). */
export interface PlanView {
  add: number;
  change: number;
  destroy: number;
  replace: number;
  import: number;
  /** One line per dangerous action: destroy, replace, or a protected resource touched. */
  dangers: string[];
  /** Markdown body with the resource-level details. */
  details: string;
}

export interface EnvironmentSection {
  name: string;
  reasons: string[];
  diff?: EnvironmentDiff;
  plan?: PlanView;
  /** Why there is no plan (plan failed, not run, invalid spec). */
  planNote?: string;
  /** `headInvalid`: the head spec exists but does not validate, so there is no head estimate (not a removal). */
  cost?: { before?: CostEstimate; after?: CostEstimate; headInvalid?: boolean };
  /** Airflow version change: the upgrade plan (src/artifacts/upgrade.ts), rendered as the section's "Upgrade" block. */
  upgrade?: UpgradePlan;
}

export interface PrCommentInput {
  base: string;
  head?: string;
  validation: ValidationSummary;
  environments: EnvironmentSection[];
  deleted: { name: string; file: string }[];
  /** Repository-wide files whose change affects every environment. */
  global: string[];
  limit?: number;
}

interface Cuts {
  plan: Set<string>;
  diff: Set<string>;
  cost: Set<string>;
}

const esc = (s: string): string => s.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c] as string);

function planCell(p?: PlanView, note?: string): string {
  if (!p) return note ? `n/a` : '—';
  const parts = [`+${p.add}`, `~${p.change}`, `-${p.destroy}`];
  if (p.replace) parts.push(`±${p.replace}`);
  if (p.import) parts.push(`⇐${p.import}`);
  return parts.join(' ');
}

function costCell(c?: EnvironmentSection['cost']): string {
  if (!c || (!c.before && !c.after)) return '—';
  if (c.before && c.after) {
    if (c.before.min === c.after.min && c.before.max === c.after.max) return formatRange(c.after).replace('/month', '');
    const delta = c.after.max - c.before.max;
    return `${formatRange(c.before).replace('/month', '')} → ${formatRange(c.after).replace('/month', '')} (${delta >= 0 ? '+' : '−'}${money(Math.abs(delta))} max)`;
  }
  if (c.after) return `new: ${formatRange(c.after).replace('/month', '')}`;
  if (c.headInvalid) return `not estimated: the spec is invalid (was ${formatRange(c.before!).replace('/month', '')})`;
  return `removed: ${formatRange(c.before!).replace('/month', '')}`;
}

function dangerCount(e: EnvironmentSection): number {
  return e.plan ? e.plan.dangers.length : 0;
}

function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body.trim()}\n\n</details>\n`;
}

function renderSection(e: EnvironmentSection, cuts: Cuts): string {
  const out: string[] = [];
  const danger = dangerCount(e) > 0 ? ' ⚠️' : '';
  out.push(`### \`${e.name}\`${danger}`, '');
  if (e.reasons.length) out.push(`Affected because: ${e.reasons.map(esc).join('; ')}.`, '');
  if (e.upgrade) out.push(renderUpgradeBlock(e.upgrade), '');
  if (e.diff) {
    const n = e.diff.status === 'changed' ? e.diff.entries.length : 0;
    const label =
      e.diff.status === 'new'
        ? 'Spec: new environment'
        : e.diff.status === 'deleted'
          ? 'Spec: deleted'
          : e.diff.status === 'unchanged'
            ? 'Spec: no change in the resolved spec'
            : e.diff.status === 'invalid'
              ? 'Spec: does not resolve'
              : `Spec diff (${n} change${n === 1 ? '' : 's'})`;
    if (cuts.diff.has(e.name)) out.push(details(label, '_Cut to fit the comment size limit; run `mwaa-gitops diff` locally._'));
    else if (e.diff.status === 'changed' || e.diff.status === 'invalid') out.push(details(label, renderDiffMarkdown(e.diff, 4).replace(/^#### .*\n\n.*\n/, '')));
    else out.push(`${label}.`, '');
  }
  if (e.plan) {
    const p = e.plan;
    const label = `Plan: ${p.add} to add, ${p.change} to change, ${p.destroy} to destroy${p.replace ? `, ${p.replace} to replace` : ''}${p.import ? `, ${p.import} to import` : ''}`;
    if (cuts.plan.has(e.name)) out.push(details(label, '_Plan details cut to fit the comment size limit; see the workflow log._'));
    else out.push(details(label, p.details || '_No resource changes._'));
  } else if (e.planNote) {
    out.push(`Plan: ${esc(e.planNote)}`, '');
  }
  if (e.cost && (e.cost.before || e.cost.after)) {
    const c = e.cost;
    const label = c.headInvalid && !c.after ? `Cost: ${costCell(c)}` : `Cost: ${costCell(c)} per month`;
    if (cuts.cost.has(e.name)) out.push(details(label, '_Cut to fit the comment size limit; run `mwaa-gitops cost` locally._'));
    else out.push(details(label, formatCosts([c.after ?? c.before!], 'markdown').replace(/^### .*\n\n/, '')));
  }
  return out.join('\n');
}

function render(input: PrCommentInput, cuts: Cuts, dangerLimit: number): string {
  const out: string[] = [COMMENT_MARKER];
  const head = input.head ? ` → \`${input.head.slice(0, 12)}\`` : '';
  out.push(`## mwaa-gitops: \`${input.base}\`${head}`, '');

  const v = input.validation;
  if (v.errors > 0) {
    out.push(`**Validation: ❌ ${v.errors} error${v.errors === 1 ? '' : 's'}, ${v.warnings} warning${v.warnings === 1 ? '' : 's'}** in ${v.environments} environment${v.environments === 1 ? '' : 's'} (see the annotations on the changed lines).`, '');
  } else {
    out.push(`**Validation: ✅ ${v.environments} environment${v.environments === 1 ? '' : 's'} valid**${v.warnings ? `, ${v.warnings} warning${v.warnings === 1 ? '' : 's'}` : ''}.`, '');
  }
  if (v.lines.length) out.push(details(`Findings (${v.lines.length} shown)`, fence(v.lines.join('\n'))));

  const dangers: string[] = [];
  for (const e of input.environments) for (const d of e.plan?.dangers ?? []) dangers.push(`- \`${e.name}\`: ${d}`);
  for (const d of input.deleted) dangers.push(`- \`${d.name}\`: spec \`${d.file}\` deleted — its resources stay until the stack is destroyed`);
  if (dangers.length) {
    out.push(`### ⚠️ Dangers (${dangers.length})`, '');
    out.push(...dangers.slice(0, dangerLimit));
    if (dangers.length > dangerLimit) out.push(`- … ${dangers.length - dangerLimit} more (cut to fit the comment size limit)`);
    out.push('');
  }

  if (input.global.length) out.push(`Repository-wide change (${input.global.map((g) => `\`${g}\``).join(', ')}): every environment is affected.`, '');

  if (input.environments.length === 0) {
    out.push('No environment is affected by this change.', '');
  } else {
    out.push('| Environment | Spec | Plan (+ add ~ change - destroy ± replace) | Cost / month |', '|---|---|---|---|');
    const sorted = orderSections(input.environments);
    for (const e of sorted) {
      const spec = !e.diff ? '—' : e.diff.status === 'changed' ? `${e.diff.entries.length} change${e.diff.entries.length === 1 ? '' : 's'}` : e.diff.status;
      out.push(`| \`${e.name}\`${dangerCount(e) ? ' ⚠️' : ''} | ${spec} | ${planCell(e.plan, e.planNote)} | ${costCell(e.cost)} |`);
    }
    out.push('');
    for (const e of sorted) out.push(renderSection(e, cuts));
  }

  const cutNotes: string[] = [];
  if (cuts.plan.size) cutNotes.push(`plan details of ${[...cuts.plan].map((n) => `\`${n}\``).join(', ')}`);
  if (cuts.diff.size) cutNotes.push(`spec diffs of ${[...cuts.diff].map((n) => `\`${n}\``).join(', ')}`);
  if (cuts.cost.size) cutNotes.push(`cost tables of ${[...cuts.cost].map((n) => `\`${n}\``).join(', ')}`);
  if (dangers.length > dangerLimit) cutNotes.push(`${dangers.length - dangerLimit} danger lines`);
  if (cutNotes.length) out.push(`> ✂️ Cut to stay under GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}-character comment limit: ${cutNotes.join('; ')}.`, '');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** Environments with dangers first, then by name. */
function orderSections(envs: EnvironmentSection[]): EnvironmentSection[] {
  return [...envs].sort((a, b) => Number(dangerCount(b) > 0) - Number(dangerCount(a) > 0) || a.name.localeCompare(b.name));
}

export function renderPrComment(input: PrCommentInput): string {
  const limit = input.limit ?? GITHUB_COMMENT_LIMIT;
  const cuts: Cuts = { plan: new Set(), diff: new Set(), cost: new Set() };
  let dangerLimit = Number.MAX_SAFE_INTEGER;
  let text = render(input, cuts, dangerLimit);
  if (text.length <= limit) return text;

  const bySize = (f: (e: EnvironmentSection) => number) => (a: EnvironmentSection, b: EnvironmentSection) => f(b) - f(a);
  const candidates: Array<{ kind: keyof Cuts; env: EnvironmentSection }> = [];
  const planSize = (e: EnvironmentSection) => e.plan?.details.length ?? 0;
  const safe = input.environments.filter((e) => dangerCount(e) === 0 && e.plan).sort(bySize(planSize));
  const risky = input.environments.filter((e) => dangerCount(e) > 0 && e.plan).sort(bySize(planSize));
  for (const env of [...safe, ...risky]) candidates.push({ kind: 'plan', env });
  for (const env of input.environments.filter((e) => e.diff).sort(bySize((e) => e.diff?.entries.length ?? 0))) candidates.push({ kind: 'diff', env });
  for (const env of input.environments.filter((e) => e.cost)) candidates.push({ kind: 'cost', env });
  for (const c of candidates) {
    cuts[c.kind].add(c.env.name);
    text = render(input, cuts, dangerLimit);
    if (text.length <= limit) return text;
  }
  // Still too long: many environments or dangers. Shorten the danger list, then hard-truncate.
  for (dangerLimit = 200; dangerLimit >= 0 && text.length > limit; dangerLimit = dangerLimit > 10 ? Math.floor(dangerLimit / 2) : dangerLimit - 5) {
    text = render(input, cuts, Math.max(0, dangerLimit));
    if (dangerLimit <= 0) break;
  }
  if (text.length <= limit) return text;
  const note = `\n\n> ✂️ Truncated at ${limit.toLocaleString('en-US')} characters (GitHub's comment limit); the full report is in the workflow log.\n`;
  return text.slice(0, limit - note.length) + note;
}
