/**
 * Apply what was reviewed: the plan made at merge time against the plan the reviewers saw on the pull request (the
 * JSON `plan --json-out` wrote in the PR job). Pure functions on the one plan model, no I/O.
 *
 * The fresh plan may do less than the reviewed one, or the same; it may not destroy or replace anything the reviewed
 * plan did not destroy or replace (matched by resource address and action: a replacement reviewed does not cover a
 * plain destroy of the same address, nor the other way round). An environment with no reviewed plan, or whose reviewed
 * plan failed (reviewers never saw what it does), is refused whatever the fresh plan says.
 * New creates and updates are not refused (they lose nothing) but are listed, so the log says the plans differ.
 */
import { isDanger, type EnvironmentPlan, type ResourceAction } from './model';

/** What the apply job found for one environment. */
export type ReviewedPlan =
  | { kind: 'plan'; model: EnvironmentPlan; source: string }
  /** The PR job's plan failed: it wrote an error document, not a plan. */
  | { kind: 'failed'; message: string; source: string }
  /** No reviewed plan for this environment (never planned, or the artifact was not found). */
  | { kind: 'missing'; source: string };

export interface PlanDifference {
  address: string;
  action: ResourceAction;
  /** What the reviewed plan did to that address (absent: nothing). */
  reviewedAction?: ResourceAction;
}

export interface ReviewVerdict {
  ok: boolean;
  /** Why it is refused (empty when ok). */
  reasons: string[];
  /** Destroys and replacements in the fresh plan that the reviewed plan did not have. */
  newDangers: PlanDifference[];
  /** Other changes in the fresh plan that the reviewed plan did not have (not refused, reported). */
  newChanges: PlanDifference[];
}

function actionsByAddress(p: EnvironmentPlan): Map<string, ResourceAction> {
  return new Map(p.resources.map((r) => [r.address, r.action]));
}

/** Compares the fresh plan of an environment with the plan reviewed on the pull request. */
export function compareWithReviewed(fresh: EnvironmentPlan, reviewed: ReviewedPlan): ReviewVerdict {
  const env = fresh.environment;
  if (reviewed.kind === 'missing') {
    return { ok: false, reasons: [`no reviewed plan for ${env} (${reviewed.source}): it was never planned on a pull request, so nobody reviewed what this apply would do`], newDangers: [], newChanges: [] };
  }
  if (reviewed.kind === 'failed') {
    return { ok: false, reasons: [`the reviewed plan of ${env} failed (${reviewed.source}: ${reviewed.message}): reviewers never saw what this apply would do`], newDangers: [], newChanges: [] };
  }
  const before = actionsByAddress(reviewed.model);
  const newDangers: PlanDifference[] = [];
  const newChanges: PlanDifference[] = [];
  for (const r of fresh.resources) {
    const was = before.get(r.address);
    if (was === r.action) continue;
    const d: PlanDifference = { address: r.address, action: r.action, ...(was ? { reviewedAction: was } : {}) };
    if (isDanger(r)) newDangers.push(d);
    else if (r.action !== 'no-op' && r.action !== 'read') newChanges.push(d);
  }
  const reasons = newDangers.map((d) => `the plan now would ${d.action === 'replace' ? 'replace' : 'destroy'} ${d.address}, which the reviewed plan ${d.reviewedAction ? `would only ${d.reviewedAction}` : 'did not touch'}`);
  return { ok: newDangers.length === 0, reasons, newDangers, newChanges };
}

/** The refusal (or the note) for people: what differs, why it matters, what to do. */
export function describeVerdict(env: string, v: ReviewVerdict): string {
  if (v.ok) {
    if (!v.newChanges.length) return `${env}: the plan matches the reviewed plan (no destroy or replacement that was not reviewed)`;
    return `${env}: no destroy or replacement beyond the reviewed plan; also changes (not in the reviewed plan, nothing lost): ${v.newChanges.map((d) => `${d.action} ${d.address}`).join(', ')}`;
  }
  const lines = [`${env}: refused: the plan differs from the plan reviewed on the pull request; nothing was applied.`, ...v.reasons.map((r) => `  - ${r}`)];
  if (v.newChanges.length) lines.push(`  also not reviewed: ${v.newChanges.map((d) => `${d.action} ${d.address}`).join(', ')}`);
  lines.push(
    v.newDangers.length
      ? '  Something changed between the review and the merge (main moved, or the infrastructure drifted). Open a pull request (or re-run its plan job) so reviewers see the new plan, then merge it.'
      : '  Plan the environment on a pull request (the plan workflow keeps the plan for the apply job), have it reviewed, then merge.',
  );
  return lines.join('\n');
}
