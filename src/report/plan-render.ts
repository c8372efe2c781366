/**
 * Renders plan / drift summaries as text (terminal), markdown (PR comments) or json (machines).
 * Destroys and replacements always come first, with their MWAA consequence.
 */
import { EnvironmentPlanSummary, hasChanges, ResourceSummary } from './plan-summary';

export type PlanFormat = 'text' | 'markdown' | 'json';

const SYMBOL: Record<string, string> = { create: '+', update: '~', delete: '-', replace: '-/+' };

function countsLine(s: EnvironmentPlanSummary): string {
  const c = s.counts;
  return `${c.add} to add, ${c.change} to change, ${c.destroy} to destroy, ${c.replace} to replace`;
}

function textResource(r: ResourceSummary, indent: string): string[] {
  const lines = [`${indent}${SYMBOL[r.action] ?? '~'} ${r.address} (${r.action})${r.forcedBy.length ? ` forced by ${r.forcedBy.join(', ')}` : ''}`];
  if (r.consequence) lines.push(`${indent}    ! ${r.consequence}`);
  for (const a of r.attributes) lines.push(`${indent}    ${a.path}: ${a.before} -> ${a.after}`);
  return lines;
}

export function renderPlanText(summaries: EnvironmentPlanSummary[], mode: 'plan' | 'drift' = 'plan'): string {
  const out: string[] = [];
  for (const s of summaries) {
    const tag = s.protected ? ' [protected]' : '';
    if (s.error) {
      out.push(`${s.environment}${tag}: ERROR`, ...s.error.split('\n').map((l) => `  ${l}`), '');
      continue;
    }
    if (mode === 'drift') {
      out.push(s.drift.length ? `${s.environment}${tag}: drift in ${s.drift.length} resource(s)` : `${s.environment}${tag}: no drift`);
      for (const d of s.drift) {
        out.push(`  ~ ${d.address}${d.action === 'delete' ? ' (deleted outside Terraform)' : ''}`);
        for (const a of d.attributes) out.push(`      ${a.path}: ${a.before} -> ${a.after}`);
      }
      out.push('');
      continue;
    }
    out.push(hasChanges(s) ? `${s.environment}${tag}: ${countsLine(s)}` : `${s.environment}${tag}: no changes`);
    if (s.dangers.length) {
      out.push('  DESTROY / REPLACE:');
      for (const d of s.dangers) out.push(...textResource(d, '    '));
    }
    for (const c of s.changes) out.push(...textResource(c, '  '));
    if (s.airflowConfiguration.length) {
      out.push('  Airflow configuration options:');
      for (const c of s.airflowConfiguration) {
        if (c.change === 'added') out.push(`    + ${c.key} = ${c.after}`);
        else if (c.change === 'removed') out.push(`    - ${c.key} (was ${c.before})`);
        else out.push(`    ~ ${c.key}: ${c.before} -> ${c.after}`);
      }
    }
    out.push('');
  }
  return out.join('\n');
}

const md = (s: string) => s.replace(/\|/g, '\\|');

export function renderPlanMarkdown(summaries: EnvironmentPlanSummary[], mode: 'plan' | 'drift' = 'plan'): string {
  const out: string[] = [];
  for (const s of summaries) {
    out.push(`### \`${s.environment}\`${s.protected ? ' (protected)' : ''}`, '');
    if (s.error) {
      out.push('**Error**', '', '```', s.error, '```', '');
      continue;
    }
    if (mode === 'drift') {
      if (!s.drift.length) out.push('No drift.', '');
      for (const d of s.drift) {
        out.push(`- \`${d.address}\``);
        for (const a of d.attributes) out.push(`  - \`${a.path}\`: ${md(a.before)} → ${md(a.after)}`);
      }
      out.push('');
      continue;
    }
    out.push(hasChanges(s) ? `**${countsLine(s)}**` : 'No changes.', '');
    if (s.dangers.length) {
      out.push('> [!CAUTION]');
      for (const d of s.dangers) {
        out.push(`> **${d.action}** \`${d.address}\`${d.forcedBy.length ? ` (forced by ${d.forcedBy.map((f) => `\`${f}\``).join(', ')})` : ''}${d.consequence ? `: ${d.consequence}` : ''}`, '>');
      }
      out.push('');
    }
    if (s.changes.length) {
      out.push('| | resource | attributes |', '|---|---|---|');
      for (const c of s.changes) {
        const attrs = c.attributes.map((a) => `\`${a.path}\`: ${md(a.before)} → ${md(a.after)}`).join('<br>');
        out.push(`| \`${SYMBOL[c.action]}\` | \`${c.address}\` | ${attrs} |`);
      }
      out.push('');
    }
    if (s.airflowConfiguration.length) {
      out.push('Airflow configuration options:', '');
      for (const c of s.airflowConfiguration) {
        out.push(c.change === 'added' ? `- \`+ ${c.key}\` = ${md(String(c.after))}` : c.change === 'removed' ? `- \`- ${c.key}\`` : `- \`~ ${c.key}\`: ${md(String(c.before))} → ${md(String(c.after))}`);
      }
      out.push('');
    }
  }
  return out.join('\n');
}

export function renderPlan(summaries: EnvironmentPlanSummary[], format: PlanFormat, mode: 'plan' | 'drift' = 'plan'): string {
  if (format === 'json') return `${JSON.stringify({ mode, environments: summaries }, null, 2)}\n`;
  if (format === 'markdown') return renderPlanMarkdown(summaries, mode);
  return renderPlanText(summaries, mode);
}
