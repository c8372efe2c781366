/**
 * Gathers everything the PR comment shows, from real sources: git (change set, base tree), the loader and
 * validator (both trees), plan JSON files written by `terraform show -json` (one per environment), and
 * data/pricing.json. The rendering itself is pure (pr-comment.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { upgradePlanFor } from '../artifacts/upgrade-section';
import type { Finding } from '../findings';
import type { PlanJson } from '../terraform/runner';
import { costMoved, estimateCost } from './cost';
import type { EnvironmentSection, PrCommentInput, ValidationSummary } from './pr-comment';
import { planViewFromJson } from './plan-view';
import { affectedSince, diffSnapshots, snapshotBaseAndHead, type TreeSnapshot } from './snapshot';

export interface PrCommentOptions {
  repoRoot: string;
  base: string;
  head?: string;
  /** Directory with `<env>.json` (or `<env>/plan.json`): `terraform show -json` of each environment's plan. */
  planJsonDir?: string;
  limit?: number;
}

export function validationSummary(tree: TreeSnapshot, max = 20): ValidationSummary {
  const findings: Finding[] = tree.report.findings;
  const rel = (f: string) => path.relative(tree.repoRoot, f).split(path.sep).join('/');
  return {
    environments: tree.environments.length,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    lines: findings
      .filter((f) => f.severity !== 'info')
      .slice(0, max)
      .map((f) => `${rel(f.file)}:${f.line}:${f.column} ${f.severity} ${f.ruleId} ${f.message}`),
  };
}

export function readPlanJson(dir: string, env: string): { plan?: PlanJson; note?: string } {
  const candidates = [path.join(dir, `${env}.json`), path.join(dir, env, 'plan.json')];
  const file = candidates.find((c) => fs.existsSync(c));
  if (!file) return { note: `no plan JSON (looked for ${candidates.map((c) => path.relative(process.cwd(), c) || c).join(' and ')}); the plan job may have failed` };
  try {
    const plan = JSON.parse(fs.readFileSync(file, 'utf8')) as PlanJson;
    if (typeof plan !== 'object' || plan === null || !('format_version' in plan)) return { note: `${path.basename(file)} is not \`terraform show -json\` plan output` };
    return { plan };
  } catch (err) {
    return { note: `${path.basename(file)} is not valid JSON: ${(err as Error).message}` };
  }
}

export async function gatherPrComment(opts: PrCommentOptions): Promise<PrCommentInput> {
  const { base, head } = await snapshotBaseAndHead(opts.repoRoot, opts.base);
  const { result } = await affectedSince(opts.repoRoot, opts.base, { base, head });
  const sections: EnvironmentSection[] = [];
  for (const a of result.affected) {
    const h = head.environments.find((e) => e.name === a.name);
    const b = base.environments.find((e) => e.name === a.name);
    const [diff] = diffSnapshots(base, head, [a.name]);
    const section: EnvironmentSection = { name: a.name, reasons: a.reasons, diff };
    const upgrade = upgradePlanFor(a.name, b?.result, h?.result, opts.repoRoot);
    if (upgrade) section.upgrade = upgrade;
    if (opts.planJsonDir) {
      const { plan, note } = readPlanJson(opts.planJsonDir, a.name);
      if (plan) section.plan = planViewFromJson(plan, { protected: h?.spec?.protection.preventDestroy === true || b?.spec?.protection.preventDestroy === true });
      else section.planNote = note;
    } else {
      section.planNote = 'not planned (no --plan-json directory given)';
    }
    if (!h?.spec) section.planNote = 'not planned: the spec has validation errors';
    const before = b?.spec ? estimateCost(b.spec) : undefined;
    const after = h?.spec ? estimateCost(h.spec) : undefined;
    if (costMoved(before, after)) section.cost = h && !h.spec ? { before, after, headInvalid: true } : { before, after };
    sections.push(section);
  }
  return {
    base: opts.base,
    head: opts.head,
    validation: validationSummary(head),
    environments: sections,
    deleted: result.deleted,
    global: result.global,
    limit: opts.limit,
  };
}
