/**
 * `terraform validate` and create-only `terraform plan` of many synthesized stacks in one run: each stack directory
 * becomes a child module of one generated root, so Terraform starts once and loads the provider's schema once
 * (seconds per run) instead of once per stack. Every child is validated and planned as it would be alone (its own
 * provider configuration, so one provider process per stack during plan), except its `terraform { backend }`
 * block, which Terraform ignores in a child module (reported as a warning, filtered here). Test support only.
 *
 * One provider process serves where Terraform allows it (src/terraform/provider-session.ts, TF_REATTACH_PROVIDERS):
 * `validate` never configures a provider, so all the children's provider blocks are validated by one process (instead
 * of one ~700 MB provider start per child); a `plan` configures each provider block, and a provider process can be
 * configured once, so only a one-stack plan (and its `show -json`) shares one process. Without a session (no lock
 * entry, no binary) the commands run as usual: the same checks, only slower.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { startProvider, type ProviderSession } from '../../src/terraform/provider-session';
import { terraformInit, terraformProcessEnv, type TfResult, type ValidateResult } from './terraform-validate';

const TERRAFORM = process.env.MWAA_GITOPS_TERRAFORM_BIN ?? 'terraform';

/** terraform without blocking the event loop (a provider started by this process keeps being drained meanwhile). */
export function terraformAsync(dir: string, args: string[], env: Record<string, string> = {}): Promise<TfResult> {
  return new Promise((resolve, reject) => {
    execFile(TERRAFORM, args, { cwd: dir, env: { ...terraformProcessEnv(), ...env }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number | string }) | null;
      if (e && typeof e.code !== 'number') reject(e);
      else resolve({ code: e ? (e.code as number) : 0, stdout, stderr });
    });
  });
}

/**
 * One provider process for the commands run in `rootDir` (after init), or undefined: pass its `env` to
 * {@link terraformAsync} for at most one `plan` (a provider is configured once) and any number of `show`/`validate`.
 */
export function shareProvider(rootDir: string, extraEnv: Record<string, string> = {}): Promise<ProviderSession | undefined> {
  const env = Object.fromEntries(Object.entries(terraformProcessEnv()).filter((e): e is [string, string] => typeof e[1] === 'string'));
  return startProvider(rootDir, { ...env, ...extraEnv });
}

export interface ManyValidateResult {
  valid: boolean;
  /** Whether one provider process served every child (TF_REATTACH_PROVIDERS). */
  sharedProvider: boolean;
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
export async function terraformValidateMany(rootDir: string, stacks: Record<string, string>): Promise<ManyValidateResult> {
  const { byDir } = writeRoot(rootDir, stacks);
  const session = await shareProvider(rootDir);
  let r: TfResult;
  try {
    r = await terraformAsync(rootDir, ['validate', '-json', '-no-color'], session?.env);
  } finally {
    await session?.stop();
  }
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
  return { valid: v.valid, sharedProvider: session !== undefined, diagnostics };
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
  /** Whether one provider process served the plan and its `show -json` (one-stack plans). */
  sharedProvider: boolean;
}

/**
 * One create-only `terraform plan` of all `stacks` (each synthesized with a provider target that needs no AWS), then
 * `terraform show -json`; `env` is added to terraform's environment and its providers' (the plan-time lookups an
 * emulator answers: test/support/lookup-plan.ts `env`). Does not throw on a failed plan.
 */
export async function terraformPlanMany(rootDir: string, stacks: Record<string, string>, env: Record<string, string> = {}): Promise<ManyPlanResult> {
  const { names } = writeRoot(rootDir, stacks);
  const moduleNames = Object.fromEntries(names);
  const session = names.size === 1 ? await shareProvider(rootDir, env) : undefined;
  const sharedProvider = session !== undefined;
  const tfEnv = { ...env, ...session?.env };
  let json: any;
  try {
    const plan = await terraformAsync(rootDir, ['plan', '-input=false', '-no-color', '-lock=false', '-refresh=false', '-out=create.tfplan'], tfEnv);
    if (plan.code !== 0) return { ok: false, output: `${plan.stderr}\n${plan.stdout}`, changes: {}, moduleNames, sharedProvider };
    const show = await terraformAsync(rootDir, ['show', '-json', '-no-color', 'create.tfplan'], tfEnv);
    if (show.code !== 0) return { ok: false, output: show.stderr, changes: {}, moduleNames, sharedProvider };
    json = JSON.parse(show.stdout);
    const changes: Record<string, PlannedChange[]> = {};
    for (const name of names.values()) changes[name] = [];
    for (const c of json.resource_changes ?? []) {
      const m = /^module\.(s\d+)\.(.+)$/.exec(c.address);
      if (!m) continue;
      changes[names.get(m[1])!].push({ address: m[2], type: c.type, actions: c.change.actions, after: c.change.after });
    }
    return { ok: true, output: plan.stdout, changes, moduleNames, sharedProvider };
  } finally {
    await session?.stop();
  }
}

/**
 * Create-only plan of one stack directory: init (with the stack's backend, normally local) and `plan -out`, then the
 * plan as JSON (`terraform show -json`), both served by one provider process where it can be started. The stack
 * must have been synthesized with OFFLINE_PROVIDER_OVERRIDES and an `account` in its spec (no caller-identity lookup).
 */
export async function terraformPlanJson(dir: string): Promise<any> {
  terraformInit(dir, { backend: true });
  const session = await shareProvider(dir);
  try {
    const must = async (args: string[]) => {
      const r = await terraformAsync(dir, args, session?.env);
      if (r.code !== 0) throw new Error(`terraform ${args.join(' ')} failed in ${dir} (exit ${r.code}):\n${r.stderr}\n${r.stdout}`);
      return r;
    };
    await must(['plan', '-input=false', '-no-color', '-lock=false', '-refresh=false', '-out=create.tfplan']);
    const show = await must(['show', '-json', '-no-color', 'create.tfplan']);
    fs.rmSync(path.join(dir, 'create.tfplan'), { force: true });
    return JSON.parse(show.stdout);
  } finally {
    await session?.stop();
  }
}
