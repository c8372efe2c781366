/**
 * `terraform validate` and create-only `terraform plan` of many synthesized stacks in one run: each stack directory
 * becomes a child module of one generated root, so Terraform starts once and loads the provider's schema once
 * (seconds per run) instead of once per stack. Every child is validated and planned as it would be alone (its own
 * provider configuration, so one provider process per stack during plan), except its `terraform { backend }`
 * block, which Terraform ignores in a child module (reported as a warning, filtered here). Test support only.
 */
import * as fs from 'fs';
import * as path from 'path';
import { terraform, terraformInit, type ValidateResult } from './terraform-validate';

export interface ManyValidateResult {
  valid: boolean;
  /** Errors (and warnings other than "Backend configuration ignored"), with the stack they belong to. */
  diagnostics: Array<{ stack: string; severity: string; summary: string; detail?: string }>;
}

interface Root {
  /** `s<i>` module key -> stack name. */
  names: Map<string, string>;
  /** stack directory relative to the root -> stack name. */
  byDir: Map<string, string>;
}

function writeRoot(rootDir: string, stacks: Record<string, string>): Root {
  fs.mkdirSync(rootDir, { recursive: true });
  const modules: Record<string, { source: string }> = {};
  const byDir = new Map<string, string>();
  const names = new Map<string, string>();
  for (const [i, [name, dir]] of Object.entries(stacks).entries()) {
    const key = `s${i}`;
    const rel = path.relative(rootDir, dir).split(path.sep).join('/');
    modules[key] = { source: rel.startsWith('.') ? rel : `./${rel}` };
    byDir.set(rel.replace(/^\.\//, ''), name);
    names.set(key, name);
  }
  fs.writeFileSync(path.join(rootDir, 'main.tf.json'), JSON.stringify({ module: modules }, null, 2));
  terraformInit(rootDir);
  return { names, byDir };
}

/** Validates `stacks` (name -> synthesized stack directory) in one `terraform validate`, under `rootDir`. */
export function terraformValidateMany(rootDir: string, stacks: Record<string, string>): ManyValidateResult {
  const { byDir } = writeRoot(rootDir, stacks);
  const r = terraform(rootDir, ['validate', '-json', '-no-color']);
  const v = JSON.parse(r.stdout) as Omit<ValidateResult, 'diagnostics'> & { diagnostics: Array<{ severity: string; summary: string; detail?: string; range?: { filename: string } }> };
  const stackOf = (file?: string) => {
    if (!file) return '(root)';
    const f = file.split(path.sep).join('/');
    for (const [rel, name] of byDir) if (f.startsWith(`${rel}/`) || f.startsWith(`./${rel}/`)) return name;
    return file;
  };
  const diagnostics = v.diagnostics
    .filter((d) => d.summary !== 'Backend configuration ignored')
    .map((d) => ({ stack: stackOf(d.range?.filename), severity: d.severity, summary: d.summary, detail: d.detail }));
  return { valid: v.valid, diagnostics };
}

export interface PlannedChange {
  /** Address inside the stack (`aws_subnet.private_0`). */
  address: string;
  type: string;
  actions: string[];
  after: any;
}

export interface ManyPlanResult {
  ok: boolean;
  /** Terraform's output when the plan failed (errors name `module.s<i>`; see moduleNames). */
  output: string;
  /** Planned resource changes per stack name. */
  changes: Record<string, PlannedChange[]>;
  /** `s<i>` -> stack name. */
  moduleNames: Record<string, string>;
}

/**
 * One create-only `terraform plan` of all `stacks` (each synthesized with a provider target that needs no AWS, or
 * whose lookups an emulator answers), then `terraform show -json`. Does not throw on a failed plan.
 */
export function terraformPlanMany(rootDir: string, stacks: Record<string, string>): ManyPlanResult {
  const { names } = writeRoot(rootDir, stacks);
  const moduleNames = Object.fromEntries(names);
  const plan = terraform(rootDir, ['plan', '-input=false', '-no-color', '-lock=false', '-refresh=false', '-out=create.tfplan']);
  if (plan.code !== 0) return { ok: false, output: `${plan.stderr}\n${plan.stdout}`, changes: {}, moduleNames };
  const show = terraform(rootDir, ['show', '-json', '-no-color', 'create.tfplan']);
  if (show.code !== 0) return { ok: false, output: show.stderr, changes: {}, moduleNames };
  const json = JSON.parse(show.stdout);
  const changes: Record<string, PlannedChange[]> = {};
  for (const name of names.values()) changes[name] = [];
  for (const c of json.resource_changes ?? []) {
    const m = /^module\.(s\d+)\.(.+)$/.exec(c.address);
    if (!m) continue;
    changes[names.get(m[1])!].push({ address: m[2], type: c.type, actions: c.change.actions, after: c.change.after });
  }
  return { ok: true, output: plan.stdout, changes, moduleNames };
}
