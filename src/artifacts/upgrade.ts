/**
 * The upgrade plan: what changing an environment's Airflow version in a pull request does, from the base and head
 * specs and their artifacts. Pure (the target's constraints pins are passed in when a local copy exists).
 *
 * - kind first: a minor/patch upgrade runs in place; a major upgrade makes Terraform replace the environment (the
 *   AWS provider forces a new resource when the major version goes up); a downgrade is an in-place update that
 *   MWAA accepts only for minor versions (and 3.x -> 2.11.x);
 * - configuration options the target removes or renames (data/airflow-config-changes.json, plus the curated
 *   per-version option list), with the new name;
 * - the requirements.txt constraint line still naming the old version, and requirement pins that conflict with the
 *   target's constraints;
 * - a Python version change, with the wheels in plugins.zip built for the old Python.
 */
import { satisfies } from '@renovatebot/pep440';
import type { EnvironmentSpec, ResolvedDocument } from '../spec/types';
import { airflowVersion, compareVersions, configChangeBetween, isKnownOption, upgradeFacts } from '../rules/data';
import { classifyConstraint, officialConstraintUrl, type ConstraintPin } from './constraints';
import { optionsNamed, requirementsOf } from './requirements';
import { wheelFits, wheelPythons } from './wheel';
import { mwaaPlatform } from '../rules/data';
import { maskCredentials } from '../report/mask';

export type UpgradeKind = 'minor-upgrade' | 'major-upgrade' | 'minor-downgrade' | 'major-downgrade';

export interface UpgradeSide {
  spec: EnvironmentSpec;
  doc?: ResolvedDocument;
}

export interface UpgradePlan {
  env: string;
  from: string;
  to: string;
  kind: UpgradeKind;
  /** In place (UpdateEnvironment) or replaced (Terraform destroys and creates the environment). */
  inPlace: boolean;
  /** The first sentence of the block. */
  headline: string;
  downtime: string;
  reference: string;
  options: Array<{ key: string; renamedTo?: string; note?: string; line?: number; file?: string }>;
  staleConstraint?: { file: string; line: number; written: string; expected: string };
  missingConstraint?: { file: string; expected: string };
  /** Requirement pins the target's constraints pin differently; undefined when no copy of the constraints was at hand. */
  conflicts?: Array<{ file: string; line: number; requirement: string; constraint: string }>;
  /** The target constraints URL (for "not checked" text). */
  targetConstraints?: string;
  python?: { from: string; to: string; wheels: string[] };
}

function major(v: string): number {
  return Number.parseInt(v.split('.')[0], 10);
}

function rel(doc: ResolvedDocument | undefined, file: string): string {
  if (!doc) return file;
  return file.startsWith(`${doc.repoRoot}/`) ? file.slice(doc.repoRoot.length + 1) : file;
}

/**
 * The plan for one environment, or undefined when the Airflow version does not change. `targetPins` are the pins of
 * the target's constraints file (constraints-<to>/constraints-<python>.txt) when a local copy exists.
 */
export function planUpgrade(env: string, base: UpgradeSide, head: UpgradeSide, targetPins?: ReadonlyMap<string, ConstraintPin>): UpgradePlan | undefined {
  const from = base.spec.airflow.version;
  const to = head.spec.airflow.version;
  if (from === to) return undefined;
  const facts = upgradeFacts();
  const up = compareVersions(to, from) > 0;
  const sameMajor = major(from) === major(to);
  const kind: UpgradeKind = up ? (sameMajor ? 'minor-upgrade' : 'major-upgrade') : sameMajor ? 'minor-downgrade' : 'major-downgrade';
  let headline: string;
  let inPlace = true;
  if (kind === 'minor-upgrade') {
    headline = `In-place upgrade ${from} -> ${to}: MWAA snapshots the metadata database, upgrades every component and restores it; ${facts.downtime}.`;
  } else if (kind === 'major-upgrade') {
    inPlace = false;
    headline = `REPLACEMENT ${from} -> ${to}: a major upgrade makes Terraform destroy and re-create the environment (the AWS provider forces a new resource when the major version goes up): the metadata database (DAG run history, connections and variables stored there) is lost, and the environment is down until the new one is available.`;
  } else if (kind === 'minor-downgrade') {
    headline = `In-place downgrade ${from} -> ${to}: MWAA accepts minor downgrades (earlier editions of the guide did not allow any downgrade); ${facts.downtime}.`;
  } else {
    const allowed = facts.majorDowngradeTargets[String(major(from))];
    const ok = allowed !== undefined && to.startsWith(`${allowed}.`);
    headline = ok
      ? `In-place major downgrade ${from} -> ${to}: MWAA supports going back from ${major(from)}.x to ${allowed}.x only; ${facts.downtime}.`
      : `UNSUPPORTED downgrade ${from} -> ${to}: Terraform would update in place but MWAA ${allowed ? `only goes back from ${major(from)}.x to ${allowed}.x` : 'does not downgrade across major versions'}; the update fails. Create a new environment instead.`;
  }
  const plan: UpgradePlan = { env, from, to, kind, inPlace, headline, downtime: facts.downtime, reference: facts.reference, options: [] };

  // configuration options the target removes or renames
  for (const key of Object.keys(head.spec.airflow.configuration).sort()) {
    const change = configChangeBetween(key, from, to);
    const pos = head.doc?.keyPositions.get(`airflow.configuration.${key}`);
    const where = pos ? { file: rel(head.doc, pos.file), line: pos.line } : {};
    if (change) plan.options.push({ key, renamedTo: change.renamedTo, note: change.note, ...where });
    else if (isKnownOption(key, from) && !isKnownOption(key, to)) plan.options.push({ key, note: `not an option of Airflow ${to}`, ...where });
  }

  // requirements.txt: the constraint line, and pins the target's constraints fix differently
  const python = airflowVersion(to)?.python;
  const req = head.doc?.artifacts?.requirements;
  if (python) plan.targetConstraints = officialConstraintUrl(to, python);
  if (req && !req.unreadable && python) {
    const constraints = optionsNamed(req.lines, 'constraint');
    for (const c of constraints) {
      const ref = classifyConstraint(c.value ?? '');
      if (ref.kind === 'official' && (ref.airflow !== to || ref.python !== python)) {
        plan.staleConstraint = { file: rel(head.doc, req.file), line: c.line, written: c.value ?? '', expected: officialConstraintUrl(to, python) };
        break;
      }
    }
    if (constraints.length === 0) plan.missingConstraint = { file: rel(head.doc, req.file), expected: officialConstraintUrl(to, python) };
    if (targetPins) {
      plan.conflicts = [];
      for (const r of requirementsOf(req.lines)) {
        const pin = targetPins.get(r.normalized);
        if (!pin?.version || r.specifiers.length === 0) continue;
        const range = r.specifiers.map((s) => `${s.operator}${s.version}`).join(',');
        if (!satisfies(pin.version, range)) {
          plan.conflicts.push({ file: rel(head.doc, req.file), line: r.line, requirement: r.text, constraint: `${pin.name}==${pin.version}` });
        }
      }
    }
  }

  // Python version change: wheels in plugins.zip built for the old Python
  const pyFrom = airflowVersion(from)?.python;
  if (pyFrom && python && pyFrom !== python) {
    const plugins = head.doc?.artifacts?.plugins;
    const glibc = mwaaPlatform(to).glibc;
    const wheels = (plugins?.wheels ?? []).filter((w) => !wheelFits(w, python, glibc).python).map((w) => `${w.path} (${wheelPythons(w).join(', ')})`);
    plan.python = { from: pyFrom, to: python, wheels };
  }
  return plan;
}

/** The plan as one Markdown block for the PR comment ("Upgrade"), its kind first (credentials in URLs masked). */
export function renderUpgradeBlock(plan: UpgradePlan): string {
  return maskCredentials(renderBlock(plan));
}

function renderBlock(plan: UpgradePlan): string {
  const out: string[] = [];
  const icon = plan.inPlace ? (plan.headline.startsWith('UNSUPPORTED') ? ':x:' : ':arrows_counterclockwise:') : ':warning:';
  out.push(`#### Upgrade: Airflow ${plan.from} -> ${plan.to}`);
  out.push('');
  out.push(`${icon} **${plan.headline}**`);
  out.push('');
  if (plan.options.length === 0) {
    out.push(`- Configuration options: none of the spec's options is removed or renamed in ${plan.to}.`);
  } else {
    out.push(`- Configuration options ${plan.to} removes or renames:`);
    for (const o of plan.options) {
      const where = o.file ? ` (${o.file}:${o.line})` : '';
      out.push(`  - \`${o.key}\`${where} -> ${o.renamedTo ? `renamed to \`${o.renamedTo}\`` : 'removed'}${o.note ? `: ${o.note}` : ''}`);
    }
  }
  if (plan.staleConstraint) {
    const s = plan.staleConstraint;
    out.push(`- **Stale constraint line** ${s.file}:${s.line} still names \`${s.written}\`; ${plan.to} needs \`${s.expected}\`.`);
  } else if (plan.missingConstraint) {
    out.push(`- ${plan.missingConstraint.file} has no --constraint line; ${plan.to} needs \`${plan.missingConstraint.expected}\`.`);
  }
  if (plan.conflicts) {
    if (plan.conflicts.length === 0) out.push(`- Requirements: no pin conflicts with the ${plan.to} constraints.`);
    else {
      out.push(`- Requirements that conflict with the ${plan.to} constraints:`);
      for (const c of plan.conflicts) out.push(`  - ${c.file}:${c.line} \`${c.requirement}\` vs \`${c.constraint}\``);
    }
  } else if (plan.targetConstraints) {
    out.push(`- Requirements vs the ${plan.to} constraints: not checked here (no local copy of ${plan.targetConstraints}); \`validate --resolve\` resolves against it.`);
  }
  if (plan.python) {
    const p = plan.python;
    out.push(`- **Python ${p.from} -> ${p.to}**: wheels built for Python ${p.from} do not install on ${p.to}${p.wheels.length > 0 ? `; in plugins.zip: ${p.wheels.map((w) => `\`${w}\``).join(', ')}` : ' (plugins.zip has none)'}.`);
  }
  out.push(`- Guide: ${plan.reference}`);
  return out.join('\n');
}
