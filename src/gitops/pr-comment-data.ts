/**
 * Gathers everything the PR comment shows, from real sources: git (change set, base tree), the loader and
 * validator (both trees), the plan JSON of each environment (`plan --json-out`, or `terraform show -json`; an error
 * document when the plan failed) turned into the one plan model (src/plan/), the dangers of the spec diff checked
 * against it, and data/pricing.json. The rendering itself is pure (pr-comment.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { upgradePlanFor } from '../artifacts/upgrade-section';
import type { Finding } from '../findings';
import { mergeDangers, specDangers } from '../plan/dangers';
import { buildPlanModel, errorPlan, type EnvironmentPlan } from '../plan/model';
import { isPlanErrorDocument, type PlanJson } from '../plan/types';
import { maskCredentials } from '../report/mask';
import { costMoved, estimateCost } from './cost';
import type { EnvironmentSection, PrCommentInput, ValidationSummary } from './pr-comment';
import { affectedSince, diffSnapshots, snapshotBaseAndHead, type TreeSnapshot } from './snapshot';

export interface PrCommentOptions {
  repoRoot: string;
  base: string;
  head?: string;
  /** Directory with `<env>.json` (or `<env>/plan.json`): each environment's plan JSON. */
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
      .map((f) => `${rel(f.file)}:${f.line}:${f.column} ${f.severity} ${f.ruleId} ${maskCredentials(f.message)}`),
  };
}

export interface PlanRead {
  plan?: PlanJson;
  /** The plan failed: why (secrets masked). */
  failure?: string;
  /** No plan file: where it was looked for. */
  missing?: string;
}

export function readPlanJson(dir: string, env: string): PlanRead {
  const candidates = [path.join(dir, `${env}.json`), path.join(dir, env, 'plan.json')];
  const file = candidates.find((c) => fs.existsSync(c));
  if (!file) return { missing: `no plan JSON (looked for ${candidates.map((c) => path.relative(process.cwd(), c) || c).join(' and ')})` };
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    return { failure: `${path.basename(file)} is not valid JSON: ${(err as Error).message}` };
  }
  if (isPlanErrorDocument(doc)) return { failure: maskCredentials(doc.mwaa_gitops_plan_error.message) };
  if (typeof doc !== 'object' || doc === null || !('format_version' in doc)) return { failure: `${path.basename(file)} is not plan JSON (\`plan --json-out\` or \`terraform show -json\`)` };
  const plan = doc as PlanJson;
  if (plan.errored) return { failure: `${env}: Terraform reported errors while planning (the plan JSON says "errored": true); see the plan job's log` };
  return { plan };
}

export async function gatherPrComment(opts: PrCommentOptions): Promise<PrCommentInput> {
  const { base, head } = await snapshotBaseAndHead(opts.repoRoot, opts.base);
  const { result } = await affectedSince(opts.repoRoot, opts.base, { base, head });
  const validation = validationSummary(head);
  const sections: EnvironmentSection[] = [];
  for (const a of result.affected) {
    const h = head.environments.find((e) => e.name === a.name);
    const b = base.environments.find((e) => e.name === a.name);
    const [diff] = diffSnapshots(base, head, [a.name]);
    const isProtected = h?.spec?.protection.preventDestroy === true || (h?.spec === undefined && b?.spec?.protection.preventDestroy === true);
    const section: EnvironmentSection = { name: a.name, reasons: a.reasons, diff, planStatus: 'not-planned', dangers: [] };
    const upgrade = upgradePlanFor(a.name, b?.result, h?.result, opts.repoRoot);
    if (upgrade) section.upgrade = upgrade;
    let model: EnvironmentPlan | undefined;
    if (!h?.spec) {
      section.planNote = 'not planned: the spec has validation errors';
    } else if (!opts.planJsonDir) {
      section.planNote = 'not planned (no --plan-json directory given)';
    } else {
      const read = readPlanJson(opts.planJsonDir, a.name);
      if (read.plan) {
        model = buildPlanModel({ environment: a.name, protected: isProtected, plan: read.plan });
        section.planStatus = 'planned';
        section.plan = model;
      } else if (read.failure || validation.errors === 0) {
        // a plan was expected (validation passed) and there is none, or it failed: the plan job failed
        section.planStatus = 'failed';
        section.planNote = read.failure ?? `${read.missing}: the plan job failed before writing it, or did not run`;
        model = errorPlan(a.name, isProtected, section.planNote);
      } else {
        section.planNote = 'not planned: validation failed';
      }
    }
    section.dangers = mergeDangers(specDangers(a.name, b?.data, h?.data), section.planStatus === 'not-planned' ? undefined : model);
    if (diff) diff.dangers = section.dangers;
    const before = b?.spec ? estimateCost(b.spec) : undefined;
    const after = h?.spec ? estimateCost(h.spec) : undefined;
    if (costMoved(before, after)) section.cost = h && !h.spec ? { before, after, headInvalid: true } : { before, after };
    sections.push(section);
  }
  return {
    base: opts.base,
    head: opts.head,
    validation,
    environments: sections,
    deleted: result.deleted,
    global: result.global,
    limit: opts.limit,
  };
}
