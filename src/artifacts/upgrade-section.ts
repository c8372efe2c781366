/**
 * The PR comment's "Upgrade" block for one environment (the hook src/gitops/pr-comment-data.ts calls): the upgrade
 * plan from the base and head validation results, with the target's constraints pins when a local copy exists
 * (the constraints mirror MWAA_GITOPS_CONSTRAINTS_DIR, or the cache `validate --resolve` fills). No network.
 */
import type { EnvironmentResult } from '../engine/validate';
import { airflowVersion } from '../rules/data';
import { cachedConstraintPins } from './resolve';
import { planUpgrade, type UpgradePlan } from './upgrade';

export function upgradePlanFor(name: string, base: EnvironmentResult | undefined, head: EnvironmentResult | undefined, repoRoot: string): UpgradePlan | undefined {
  // the typed spec exists once the schema passed, even when rules (e.g. the stale constraint line) report errors
  if (!base?.spec || !head?.spec || base.spec.airflow.version === head.spec.airflow.version) return undefined;
  const to = head.spec.airflow.version;
  const python = airflowVersion(to)?.python;
  const pins = python ? cachedConstraintPins(to, python, { repoRoot, constraintsDir: process.env.MWAA_GITOPS_CONSTRAINTS_DIR }) : undefined;
  return planUpgrade(name, { spec: base.spec, doc: base.doc }, { spec: head.spec, doc: head.doc }, pins);
}
