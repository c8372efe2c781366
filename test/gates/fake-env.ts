/**
 * An in-process environment for the protective gates: an EnvContext (src/terraform/workflow.ts) whose runner is a
 * recording stand-in for terraform. `apply`, `destroy`, `plan` and `drift` run through their real code paths
 * (applyEnv, destroyEnv, planEnv) without a process, so each gate can be broken and watched going red quickly.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { EnvironmentSpec } from '../../src/spec/types';
import type { PlanJson, ResourceChange } from '../../src/plan/types';
import type { TerraformRunner } from '../../src/terraform/runner';
import type { EnvContext } from '../../src/terraform/workflow';

export interface FakeEnv {
  ctx: EnvContext;
  /** terraform commands the runner was asked to run, in order. */
  calls: string[];
  notes: string[];
  dir: string;
  stateFile: string;
  cleanup: () => void;
}

export function change(type: string, name: string, actions: string[], extra: Partial<ResourceChange['change']> = {}): ResourceChange {
  return { address: `${type}.${name}`, mode: 'managed', type, name, change: { actions, before: {}, after: {}, ...extra } } as ResourceChange;
}

export function planOf(...changes: ResourceChange[]): PlanJson {
  return { format_version: '1.2', resource_changes: changes } as PlanJson;
}

/** `fakeEnv` for one test file: every environment it makes is removed after the file's tests (call at top level). */
export function fakeEnvs(): typeof fakeEnv {
  const made: FakeEnv[] = [];
  afterAll(() => made.forEach((e) => e.cleanup()));
  return (o) => {
    const e = fakeEnv(o);
    made.push(e);
    return e;
  };
}

/** `plan` is what `terraform show -json` returns; `planChanges` what `terraform plan -detailed-exitcode` says. */
export function fakeEnv(o: { name?: string; protected: boolean; plan: PlanJson; planChanges?: boolean; savedPlan?: boolean }): FakeEnv {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-gates-'));
  const stateFile = path.join(dir, 'terraform.tfstate');
  fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify({ terraform: { backend: { local: { path: 'terraform.tfstate' } } } }));
  const planFile = path.join(dir, 'env.tfplan');
  if (o.savedPlan) fs.writeFileSync(planFile, 'saved plan');
  const calls: string[] = [];
  const notes: string[] = [];
  const runner = {
    init: async () => (calls.push('init'), { skipped: false }),
    plan: async (p: { refreshOnly?: boolean; destroy?: boolean }) => {
      calls.push(`plan${p.refreshOnly ? ' -refresh-only' : ''}${p.destroy ? ' -destroy' : ''}`);
      return { changes: o.planChanges ?? true, events: [] };
    },
    showPlan: async () => (calls.push('show'), o.plan),
    apply: async () => void calls.push('apply'),
    destroy: async () => void calls.push('destroy'),
  } as unknown as TerraformRunner;
  const spec = { name: o.name ?? 'analytics-prod', protection: { preventDestroy: o.protected }, state: { backend: 'local' } } as unknown as EnvironmentSpec;
  return {
    ctx: { spec, dir, runner, planFile, notify: (l) => notes.push(l) },
    calls,
    notes,
    dir,
    stateFile,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
