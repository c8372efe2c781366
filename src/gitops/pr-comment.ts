/**
 * The pull-request comment: one Markdown document for the whole PR. Pure: takes the validation result, the spec
 * diff, the plan model (src/plan/), dangers and cost of each affected environment, returns Markdown.
 *
 * Layout (what decides a merge first, details collapsed):
 *   hidden marker (to find and update the comment) -> title -> failed plans (red) -> dangers (red: replacements,
 *   destroys, moves, refusals, deleted specs; from the spec diff even without a plan, checked by the plan when there is
 *   one) -> validation result -> summary table -> per environment: reasons, spec diff, plan, cost in <details>
 *   -> what was cut.
 * Plan counts are Terraform's own (`N to import, X to add, Y to change, Z to destroy`), rendered by the same code as
 * `plan` (src/report/plan-render.ts).
 * Size: GitHub rejects comments over 65,536 characters. When the full text is longer, bodies are cut in this order
 * until it fits: plan details of environments without dangers (largest first), then of the others, then spec diffs,
 * then cost tables; a final note lists what was cut. Failures, dangers and the table are kept.
 */
import { renderUpgradeBlock, type UpgradePlan } from '../artifacts/upgrade';
import { fence, renderDiffMarkdown, type EnvironmentDiff } from './spec-diff';
import { formatCosts, formatRange, money, type CostEstimate } from './cost';
import { standing, type Danger } from '../plan/dangers';
import type { EnvironmentPlan } from '../plan/model';
import { dangerSentence, headline, renderPlanBodyMarkdown } from '../report/plan-render';

export const COMMENT_MARKER = '<!-- mwaa-gitops:pr-comment -->';
export const GITHUB_COMMENT_LIMIT = 65536;

export interface ValidationSummary {
  environments: number;
  errors: number;
  warnings: number;
  /** Up to a few formatted finding lines (`file:line:col ruleId message`). */
  lines: string[];
}

/** Where an environment's plan stands. */
export type PlanStatus =
  /** A plan JSON was read: `plan` holds the model. */
  | 'planned'
  /** The plan job failed: an error document, an errored plan, or no plan JSON where one was expected. */
  | 'failed'
  /** Not planned, for a reason that is not a failure (`planNote`): validation errors, no --plan-json. */
  | 'not-planned';

export interface EnvironmentSection {
  name: string;
  reasons: string[];
  diff?: EnvironmentDiff;
  planStatus: PlanStatus;
  plan?: EnvironmentPlan;
  /** Why there is no plan, or why it failed (secrets masked). */
  planNote?: string;
  /** Spec dangers checked against the plan, plus the plan's own (src/plan/dangers.ts mergeDangers). */
  dangers: Danger[];
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

function planCell(e: EnvironmentSection): string {
  if (e.planStatus === 'failed') return '❌ failed';
  const p = e.plan;
  if (!p) return e.planStatus === 'not-planned' ? 'n/a' : '—';
  const c = p.counts;
  const parts = [`+${c.add}`, `~${c.change}`, `-${c.destroy}`];
  if (c.import) parts.unshift(`⇐${c.import}`);
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
  return standing(e.dangers).length;
}

function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body.trim()}\n\n</details>\n`;
}

/** Lines of a blockquote (each line prefixed, so fenced code stays inside the quote). */
function quote(lines: string[]): string[] {
  return lines.map((l) => (l ? `> ${l}` : '>'));
}

function planLabel(e: EnvironmentSection): string {
  return e.plan ? `Plan: ${headline(e.plan)}` : 'Plan';
}

function renderSection(e: EnvironmentSection, cuts: Cuts): string {
  const out: string[] = [];
  const danger = dangerCount(e) > 0 ? ' ⚠️' : '';
  out.push(`### \`${e.name}\`${danger}`, '');
  if (e.reasons.length) out.push(`Affected because: ${e.reasons.map(esc).join('; ')}.`, '');
  if (e.upgrade) out.push(renderUpgradeBlock(e.upgrade), '');
  const refined = e.dangers.filter((d) => !standing([d]).length);
  for (const d of refined) out.push(`Note: the spec change would make this danger, but the plan shows otherwise: ${dangerSentence(d, { markdown: true })}`, '');
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
    else if (e.diff.status === 'changed' || e.diff.status === 'invalid') out.push(details(label, renderDiffMarkdown({ ...e.diff, dangers: [] }, 4).replace(/^#### .*\n\n.*\n/, '')));
    else out.push(`${label}.`, '');
  }
  if (e.plan && !e.plan.error) {
    if (cuts.plan.has(e.name)) out.push(details(planLabel(e), '_Plan details cut to fit the comment size limit; see the workflow log._'));
    else out.push(details(planLabel(e), renderPlanBodyMarkdown(e.plan, { counts: false }) || '_No resource changes._'));
  } else if (e.planStatus === 'failed') {
    out.push('Plan: **failed** (see the top of this comment).', '');
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

function failureBlock(input: PrCommentInput): string[] {
  const failed = input.environments.filter((e) => e.planStatus === 'failed');
  if (!failed.length) return [];
  const lines: string[] = [`**❌ The plan failed for ${failed.map((e) => `\`${e.name}\``).join(', ')}.** Terraform has not checked what this change does to ${failed.length === 1 ? 'it' : 'them'}: do not merge until the plan passes.`];
  for (const e of failed) {
    const msg = (e.planNote ?? 'no plan output').split('\n');
    const shown = msg.slice(0, 14);
    if (msg.length > shown.length) shown.push(`… ${msg.length - shown.length} more lines in the workflow log`);
    lines.push('', fence(shown.join('\n')));
  }
  return [...quote(['[!CAUTION]', ...lines.join('\n').split('\n')]), ''];
}

function render(input: PrCommentInput, cuts: Cuts, dangerLimit: number): string {
  const out: string[] = [COMMENT_MARKER];
  const head = input.head ? ` → \`${input.head.slice(0, 12)}\`` : '';
  out.push(`## mwaa-gitops: \`${input.base}\`${head}`, '');

  out.push(...failureBlock(input));

  const dangers: string[] = [];
  for (const e of orderSections(input.environments)) for (const d of standing(e.dangers)) dangers.push(`- \`${e.name}\`: ${dangerSentence(d, { markdown: true })}`);
  for (const d of input.deleted) dangers.push(`- \`${d.name}\`: spec \`${d.file}\` deleted — its resources stay until the stack is destroyed`);
  if (dangers.length) {
    out.push(`### ⚠️ Dangers (${dangers.length})`, '');
    const shown = dangers.slice(0, dangerLimit);
    if (dangers.length > dangerLimit) shown.push(`- … ${dangers.length - dangerLimit} more (cut to fit the comment size limit)`);
    out.push(...quote(['[!CAUTION]', ...shown]), '');
  }

  const v = input.validation;
  if (v.errors > 0) {
    out.push(`**Validation: ❌ ${v.errors} error${v.errors === 1 ? '' : 's'}, ${v.warnings} warning${v.warnings === 1 ? '' : 's'}** in ${v.environments} environment${v.environments === 1 ? '' : 's'} (see the annotations on the changed lines).`, '');
  } else {
    out.push(`**Validation: ✅ ${v.environments} environment${v.environments === 1 ? '' : 's'} valid**${v.warnings ? `, ${v.warnings} warning${v.warnings === 1 ? '' : 's'}` : ''}.`, '');
  }
  if (v.lines.length) out.push(details(`Findings (${v.lines.length} shown)`, fence(v.lines.join('\n'))));

  if (input.global.length) out.push(`Repository-wide change (${input.global.map((g) => `\`${g}\``).join(', ')}): every environment is affected.`, '');

  if (input.environments.length === 0) {
    out.push('No environment is affected by this change: nothing to plan.', '');
  } else {
    out.push('| Environment | Spec | Plan (⇐ import + add ~ change - destroy) | Cost / month |', '|---|---|---|---|');
    const sorted = orderSections(input.environments);
    for (const e of sorted) {
      const spec = !e.diff ? '—' : e.diff.status === 'changed' ? `${e.diff.entries.length} change${e.diff.entries.length === 1 ? '' : 's'}` : e.diff.status;
      out.push(`| \`${e.name}\`${dangerCount(e) ? ' ⚠️' : ''} | ${spec} | ${planCell(e)} | ${costCell(e.cost)} |`);
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

/** Failed plans and environments with dangers first, then by name. */
function orderSections(envs: EnvironmentSection[]): EnvironmentSection[] {
  const weight = (e: EnvironmentSection) => (e.planStatus === 'failed' ? 2 : 0) + (dangerCount(e) > 0 ? 1 : 0);
  return [...envs].sort((a, b) => weight(b) - weight(a) || a.name.localeCompare(b.name));
}

export function renderPrComment(input: PrCommentInput): string {
  const limit = input.limit ?? GITHUB_COMMENT_LIMIT;
  const cuts: Cuts = { plan: new Set(), diff: new Set(), cost: new Set() };
  let dangerLimit = Number.MAX_SAFE_INTEGER;
  let text = render(input, cuts, dangerLimit);
  if (text.length <= limit) return text;

  const bySize = (f: (e: EnvironmentSection) => number) => (a: EnvironmentSection, b: EnvironmentSection) => f(b) - f(a);
  const candidates: Array<{ kind: keyof Cuts; env: EnvironmentSection }> = [];
  const planSize = (e: EnvironmentSection) => (e.plan ? renderPlanBodyMarkdown(e.plan).length : 0);
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
