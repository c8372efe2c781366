/**
 * Renders the plan model (src/plan/) as text (terminal), markdown (`--format markdown`, the PR comment) or json.
 * Every command that shows a plan (plan, apply, drift, destroy, pr-comment) renders through here, so their counts are
 * the same: Terraform's own `N to import, X to add, Y to change, Z to destroy`. Destroys and replacements always come
 * first, with what they lose.
 */
import { formatCounts, hasChanges, type EnvironmentPlan, type PlannedResource } from '../plan/model';
import type { Danger } from '../plan/dangers';

export type PlanFormat = 'text' | 'markdown' | 'json';

const SYMBOL: Record<string, string> = { create: '+', update: '~', delete: '-', replace: '-/+', forget: '.', 'no-op': '<=', read: '<=' };

function actionLabel(r: PlannedResource): string {
  if (r.action === 'no-op' && r.importing) return 'import';
  return r.importing ? `${r.action}, import` : r.action;
}

function symbolOf(r: PlannedResource): string {
  return r.action === 'no-op' && r.importing ? '<=' : SYMBOL[r.action] ?? '~';
}

/** The headline counts of a plan: Terraform's summary, plus how many of them are replacements. */
export function countsLine(p: EnvironmentPlan): string {
  const c = p.counts;
  const extra = [c.replace ? `${c.replace} replacement${c.replace === 1 ? '' : 's'}` : '', c.forget ? `${c.forget} to forget` : ''].filter(Boolean).join(', ');
  return `${formatCounts(c)}${extra ? ` (${extra})` : ''}`;
}

/** One line saying what the plan does (`no changes` when nothing). */
export function headline(p: EnvironmentPlan): string {
  if (hasChanges(p) && p.counts.import + p.counts.add + p.counts.change + p.counts.destroy + p.counts.forget === 0) {
    return `no resource changes; outputs change: ${p.outputChanges.join(', ')}`;
  }
  return hasChanges(p) ? countsLine(p) : 'no changes';
}

function why(r: PlannedResource): string {
  const parts: string[] = [];
  if (r.loss) parts.push(r.loss);
  if (r.forcedMeaning.length) parts.push(`changing ${r.forcedMeaning.join(', ')} forces it`);
  return parts.join('; ');
}

function textResource(r: PlannedResource, indent: string): string[] {
  const lines = [`${indent}${symbolOf(r)} ${r.address} (${actionLabel(r)})${r.forcedBy.length ? ` forced by ${r.forcedBy.join(', ')}` : ''}`];
  const w = why(r);
  if (w) lines.push(`${indent}    ! ${w}`);
  if (r.protectedResource) lines.push(`${indent}    ! protected (protection.preventDestroy): apply refuses this unless --allow-replace ${r.address}`);
  for (const a of r.attributes) lines.push(`${indent}    ${a.path}: ${a.before} -> ${a.after}`);
  return lines;
}

const tagOf = (p: EnvironmentPlan) => (p.protected ? ' [protected]' : '');

export function renderPlanText(plans: EnvironmentPlan[], mode: 'plan' | 'drift' = 'plan'): string {
  const out: string[] = [];
  for (const p of plans) {
    if (p.error) {
      out.push(`${p.environment}${tagOf(p)}: ERROR`, ...p.error.split('\n').map((l) => `  ${l}`), '');
      continue;
    }
    if (mode === 'drift') {
      out.push(...driftText(p), '');
      continue;
    }
    out.push(`${p.environment}${tagOf(p)}: ${headline(p)}`);
    for (const w of p.warnings ?? []) out.push(`  warning: ${w}`);
    const dangers = p.resources.filter((r) => r.action === 'delete' || r.action === 'replace');
    if (dangers.length) {
      out.push('  DESTROY / REPLACE:');
      for (const d of dangers) out.push(...textResource(d, '    '));
    }
    for (const c of p.resources.filter((r) => !dangers.includes(r))) out.push(...textResource(c, '  '));
    if (p.airflowConfiguration.length) {
      out.push('  Airflow configuration options:');
      for (const c of p.airflowConfiguration) {
        if (c.change === 'added') out.push(`    + ${c.key} = ${c.after}`);
        else if (c.change === 'removed') out.push(`    - ${c.key} (was ${c.before})`);
        else out.push(`    ~ ${c.key}: ${c.before} -> ${c.after}`);
      }
    }
    out.push('');
  }
  return out.join('\n');
}

function specRef(a: { spec?: string; fixed?: string }): string {
  if (a.spec && a.fixed) return `spec: ${a.spec}, or ${a.fixed}`;
  if (a.spec) return `spec: ${a.spec}`;
  if (a.fixed) return `not in the spec: ${a.fixed}`;
  return 'no spec field';
}

function driftText(p: EnvironmentPlan): string[] {
  const out = [p.drift.length ? `${p.environment}${tagOf(p)}: drift in ${p.drift.length} resource(s)` : `${p.environment}${tagOf(p)}: no drift`];
  for (const d of p.drift) {
    if (d.kind === 'deleted') {
      out.push(`  - ${d.address} (deleted outside Terraform)${d.specFields.length ? `  [${d.specFields.join('; ')}]` : ''}`);
      continue;
    }
    out.push(`  ~ ${d.address} (changed outside Terraform)`);
    for (const a of d.attributes) out.push(`      ${a.path}: ${a.before} -> ${a.after}  [${specRef(a)}]`);
  }
  return out;
}

const md = (s: string) => s.replace(/\|/g, '\\|');
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

/** The markdown body of one environment's plan (no heading): counts, a caution block for destroys/replacements, the
 * other changes as a table, Airflow configuration options. */
export function renderPlanBodyMarkdown(p: EnvironmentPlan, opts: { counts?: boolean } = {}): string {
  const out: string[] = [];
  if (p.error) return ['**The plan failed.**', '', '```', p.error, '```', ''].join('\n');
  if (opts.counts !== false) out.push(hasChanges(p) ? `**Plan: ${headline(p)}**` : 'No changes.', '');
  for (const w of p.warnings ?? []) out.push('> [!WARNING]', `> ${md(w)}`, '');
  const dangers = p.resources.filter((r) => r.action === 'delete' || r.action === 'replace');
  if (dangers.length) {
    out.push('> [!CAUTION]');
    for (const d of dangers) {
      const w = why(d);
      out.push(`> **${d.action === 'delete' ? 'destroy' : 'replace'}** ${code(d.address)}${d.forcedBy.length ? ` (forced by ${d.forcedBy.map(code).join(', ')})` : ''}${w ? `: ${md(w)}` : ''}${d.protectedResource ? `. **Protected**: apply refuses it unless \`--allow-replace ${d.address}\`` : ''}`, '>');
    }
    out.pop();
    out.push('');
  }
  const others = p.resources.filter((r) => !dangers.includes(r));
  if (others.length) {
    out.push('| | action | resource | attributes |', '|---|---|---|---|');
    for (const c of others) {
      const attrs = c.attributes.map((a) => `${code(a.path)}: ${md(a.before)} → ${md(a.after)}`).join('<br>');
      out.push(`| \`${symbolOf(c)}\` | ${actionLabel(c)} | ${code(c.address)} | ${attrs} |`);
    }
    out.push('');
  }
  if (p.airflowConfiguration.length) {
    out.push('Airflow configuration options:', '');
    for (const c of p.airflowConfiguration) {
      out.push(c.change === 'added' ? `- \`+ ${c.key}\` = ${md(String(c.after))}` : c.change === 'removed' ? `- \`- ${c.key}\`` : `- \`~ ${c.key}\`: ${md(String(c.before))} → ${md(String(c.after))}`);
    }
    out.push('');
  }
  return out.join('\n');
}

function driftMarkdown(p: EnvironmentPlan): string[] {
  const out: string[] = [];
  if (!p.drift.length) out.push('No drift.', '');
  for (const d of p.drift) {
    out.push(`- ${code(d.address)}: ${d.kind === 'deleted' ? '**deleted** outside Terraform' : 'changed outside Terraform'}${d.kind === 'deleted' && d.specFields.length ? ` (${md(d.specFields.join('; '))})` : ''}`);
    for (const a of d.attributes) out.push(`  - ${code(a.path)}: ${md(a.before)} → ${md(a.after)} (${md(specRef(a))})`);
  }
  out.push('');
  return out;
}

export function renderPlanMarkdown(plans: EnvironmentPlan[], mode: 'plan' | 'drift' = 'plan'): string {
  const out: string[] = [];
  for (const p of plans) {
    out.push(`### \`${p.environment}\`${p.protected ? ' (protected)' : ''}`, '');
    if (p.error) {
      out.push('**Error**', '', '```', p.error, '```', '');
      continue;
    }
    if (mode === 'drift') out.push(...driftMarkdown(p));
    else out.push(renderPlanBodyMarkdown(p));
  }
  return out.join('\n');
}

export function renderPlan(plans: EnvironmentPlan[], format: PlanFormat, mode: 'plan' | 'drift' = 'plan'): string {
  if (format === 'json') {
    const environments = plans.map((p) => ({ ...p, summary: p.error ? undefined : mode === 'drift' ? `${p.drift.length} drifted` : headline(p) }));
    return `${JSON.stringify({ mode, environments }, null, 2)}\n`;
  }
  if (format === 'markdown') return renderPlanMarkdown(plans, mode);
  return renderPlanText(plans, mode);
}

// ---- dangers ----

const SUBJECT_TEXT: Record<string, (env: string) => string> = {
  environment: (env) => `\`${env}\``,
  bucket: (env) => `the source bucket of \`${env}\``,
  key: (env) => `the KMS key of \`${env}\``,
  network: (env) => `the VPC and subnets of \`${env}\``,
  'public-network': (env) => `the public subnets and NAT gateways of \`${env}\``,
};

function evidenceText(d: Danger): string {
  switch (d.evidence) {
    case 'confirmed': {
      const by = (d.confirmedBy ?? []).map((c) => `\`${c.address}\` ${c.action}${c.forcedBy.length ? ` (forced by ${c.forcedBy.map((f) => `\`${f}\``).join(', ')})` : ''}`);
      return `Plan: confirmed: ${by.join('; ')}.`;
    }
    case 'not-in-plan':
      return d.effect === 'moves' || d.effect === 'refused' ? 'Plan: Terraform cannot see this; it is decided by AWS.' : 'Plan: refined: the plan does not replace it (nothing to replace yet?).';
    case 'plan-failed':
      return 'Plan: failed, so Terraform has not checked this.';
    case 'not-planned':
      return 'Plan: not run yet.';
    default:
      return '';
  }
}

/** One danger as a sentence (markdown inline code for names): "replaces `analytics-prod` (protected: apply will refuse); loses ...". */
export function dangerSentence(d: Danger, opts: { evidence?: boolean; markdown?: boolean } = {}): string {
  const env = d.environment;
  let s: string;
  if (d.source === 'plan') {
    s = `${d.effect} \`${d.address}\``;
  } else if (d.effect === 'moves') {
    s = `moves \`${env}\``;
  } else if (d.effect === 'refused') {
    s = `cannot apply to \`${env}\``;
  } else {
    s = `replaces ${SUBJECT_TEXT[d.subject]?.(env) ?? `\`${env}\``}`;
  }
  if (d.protectionRemoved && d.effect !== 'moves') s += ' (protection is turned off in the same change: apply will NOT refuse)';
  else if (d.protected && (d.effect === 'replaces' || d.effect === 'destroys')) s += ' (protected: apply will refuse)';
  const tail: string[] = [];
  if (d.loss) tail.push(d.loss);
  if (d.because) tail.push(d.because);
  if (tail.length) s += `; ${tail.join('; ')}`;
  if (d.causes.length) s += ` — ${d.causes.map((c) => `\`${c.field}\`: ${c.before} → ${c.after}`).join(', ')}`;
  if (opts.evidence !== false && d.source === 'spec') s += `. ${evidenceText(d)}`;
  if (!opts.markdown) s = s.replace(/`/g, '').replace(/→/g, '->').replace(/ — /g, ' - ');
  return s;
}
