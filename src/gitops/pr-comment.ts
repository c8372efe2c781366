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
 * Size: GitHub rejects comments over 65,536 characters. When the full text is longer, it is cut in this order until
 * it fits: for environments without dangers (and whose plan did not fail), plan details (largest first), spec diffs,
 * cost tables, then their whole sections (their counts stay in the table); then the same for environments with
 * dangers (their dangers stay listed at the top); then the table rows of environments without dangers become one line
 * of names. Failures and dangers are never cut while anything else is left to cut; only when they alone exceed the
 * limit are danger lines shortened, and that is said. A final note says what was cut (names when few, else counts).
 * Sections are rendered once per cut state (cached), so 300 environments fit in well under a second.
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
  /** Environments whose whole section is left out. */
  section: Set<string>;
  /** Table rows of environments without dangers replaced by one line of names. */
  compactRows: boolean;
}

type SectionOf = (e: EnvironmentSection) => string;

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

/** `a`, `b` and `c`, or `12 environments` when there are more than a few. */
function namesOrCount(names: Set<string>, what: string): string {
  if (names.size <= 12) return `${what} of ${[...names].map((n) => `\`${n}\``).join(', ')}`;
  return `${what} of ${names.size} environments`;
}

function render(input: PrCommentInput, cuts: Cuts, dangerLimit: number, sectionOf: SectionOf = (e) => renderSection(e, cuts)): string {
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
    const compacted = cuts.compactRows ? sorted.filter((e) => !isRisky(e)) : [];
    for (const e of sorted) {
      if (compacted.includes(e)) continue;
      const spec = !e.diff ? '—' : e.diff.status === 'changed' ? `${e.diff.entries.length} change${e.diff.entries.length === 1 ? '' : 's'}` : e.diff.status;
      out.push(`| \`${e.name}\`${dangerCount(e) ? ' ⚠️' : ''} | ${spec} | ${planCell(e)} | ${costCell(e.cost)} |`);
    }
    out.push('');
    if (compacted.length) {
      const c = compacted.reduce((a, e) => ({ add: a.add + (e.plan?.counts.add ?? 0), change: a.change + (e.plan?.counts.change ?? 0), destroy: a.destroy + (e.plan?.counts.destroy ?? 0) }), { add: 0, change: 0, destroy: 0 });
      out.push(`${compacted.length} environments without dangers (in all +${c.add} ~${c.change} -${c.destroy}): ${compacted.map((e) => `\`${e.name}\``).join(', ')}.`, '');
    }
    for (const e of sorted) if (!cuts.section.has(e.name)) out.push(sectionOf(e));
  }

  const cutNotes: string[] = [];
  const bodyOnly = (set: Set<string>) => new Set([...set].filter((n) => !cuts.section.has(n)));
  if (bodyOnly(cuts.plan).size) cutNotes.push(namesOrCount(bodyOnly(cuts.plan), 'plan details'));
  if (bodyOnly(cuts.diff).size) cutNotes.push(namesOrCount(bodyOnly(cuts.diff), 'spec diffs'));
  if (bodyOnly(cuts.cost).size) cutNotes.push(namesOrCount(bodyOnly(cuts.cost), 'cost tables'));
  if (cuts.section.size) cutNotes.push(`${namesOrCount(cuts.section, 'the sections (reasons, spec diff, plan, cost)')} (their counts are in the table)`);
  if (cuts.compactRows) cutNotes.push('the table rows of environments without dangers (named in one line under the table)');
  if (dangers.length > dangerLimit) cutNotes.push(`${dangers.length - dangerLimit} danger lines (more dangers than fit in one comment: see the workflow log)`);
  if (cutNotes.length) out.push(`> ✂️ Cut to stay under GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')}-character comment limit: ${cutNotes.join('; ')}. The full plans are in the plan jobs' logs and artifacts.`, '');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** Failed plans and environments with dangers first, then by name. */
function orderSections(envs: EnvironmentSection[]): EnvironmentSection[] {
  const weight = (e: EnvironmentSection) => (e.planStatus === 'failed' ? 2 : 0) + (dangerCount(e) > 0 ? 1 : 0);
  return [...envs].sort((a, b) => weight(b) - weight(a) || a.name.localeCompare(b.name));
}

/** An environment whose plan failed or that has a danger: cut last. */
function isRisky(e: EnvironmentSection): boolean {
  return e.planStatus === 'failed' || dangerCount(e) > 0;
}

export function renderPrComment(input: PrCommentInput): string {
  const limit = input.limit ?? GITHUB_COMMENT_LIMIT;
  const cuts: Cuts = { plan: new Set(), diff: new Set(), cost: new Set(), section: new Set(), compactRows: false };
  // one rendering per environment and cut state: fitting 300 environments re-renders the comment hundreds of times
  const cache = new Map<string, string>();
  const sectionOf: SectionOf = (e) => {
    const key = `${e.name}\0${cuts.plan.has(e.name) ? 1 : 0}${cuts.diff.has(e.name) ? 1 : 0}${cuts.cost.has(e.name) ? 1 : 0}`;
    let text = cache.get(key);
    if (text === undefined) cache.set(key, (text = renderSection(e, cuts)));
    return text;
  };
  let dangerLimit = Number.MAX_SAFE_INTEGER;
  let text = render(input, cuts, dangerLimit, sectionOf);
  if (text.length <= limit) return text;

  const planSize = new Map(input.environments.map((e) => [e.name, e.plan ? renderPlanBodyMarkdown(e.plan).length : 0]));
  const bySize = (f: (e: EnvironmentSection) => number) => (a: EnvironmentSection, b: EnvironmentSection) => f(b) - f(a);
  const steps: Array<() => void> = [];
  for (const risky of [false, true]) {
    const group = input.environments.filter((e) => isRisky(e) === risky);
    for (const env of group.filter((e) => e.plan).sort(bySize((e) => planSize.get(e.name) ?? 0))) steps.push(() => cuts.plan.add(env.name));
    for (const env of group.filter((e) => e.diff).sort(bySize((e) => e.diff?.entries.length ?? 0))) steps.push(() => cuts.diff.add(env.name));
    for (const env of group.filter((e) => e.cost)) steps.push(() => cuts.cost.add(env.name));
    for (const env of [...group].sort(bySize((e) => sectionOf(e).length))) steps.push(() => cuts.section.add(env.name));
  }
  steps.push(() => (cuts.compactRows = true));
  for (const step of steps) {
    step();
    text = render(input, cuts, dangerLimit, sectionOf);
    if (text.length <= limit) return text;
  }
  // Still too long: the failures and dangers alone do not fit. Shorten the danger list (said), then hard-truncate (said).
  for (dangerLimit = 200; dangerLimit >= 0 && text.length > limit; dangerLimit = dangerLimit > 10 ? Math.floor(dangerLimit / 2) : dangerLimit - 5) {
    text = render(input, cuts, Math.max(0, dangerLimit), sectionOf);
    if (dangerLimit <= 0) break;
  }
  if (text.length <= limit) return text;
  const note = `\n\n> ✂️ Truncated at ${limit.toLocaleString('en-US')} characters (GitHub's comment limit); the full report is in the workflow log.\n`;
  return text.slice(0, limit - note.length) + note;
}
