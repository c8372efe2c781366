/**
 * The plan from `terraform plan -json`'s machine-readable event stream (Terraform's "machine-readable UI", the same in
 * OpenTofu), so a plan needs one Terraform process instead of two (`plan`, then `show -json` of the saved plan, which
 * starts the ~700 MB provider and decodes its whole schema again). Pure: events + the synthesized stack in, a PlanJson
 * for the one plan model (src/plan/model.ts) out, or the reason `show -json` is still needed.
 *
 * The stream names every planned change (address, action, reason, import), every output change and Terraform's own
 * counts, but no attribute values. So it is enough exactly when the model needs no value:
 * - creates, destroys, forgets, imports without an update, output changes: the model shows the address and the
 *   action; the one value it shows for a create, the Airflow configuration options of a new MWAA environment, is the
 *   stack's own constant (cdk.tf.json), which is what a create's `after` holds;
 * - updates and replacements (attribute diffs, the attributes forcing a replacement), drift (refresh-only: the
 *   drifted values), an action the stream names that this module does not know, and a stream whose counts disagree
 *   with Terraform's `change_summary` need the saved plan's values: the caller runs `show -json`.
 * `plan --json-out` always writes the full `show -json` (the PR comment reads values from it).
 */
import { CONFIG_ATTR } from './model';
import type { Action, PlanJson, ResourceChange } from './types';

/** One line of `terraform plan -json` (only the fields read here). */
export interface UiEvent {
  type?: string;
  change?: {
    resource?: { addr?: string; resource_type?: string; resource_name?: string; resource_key?: string | number | null; module?: string };
    action?: string;
    reason?: string;
    importing?: { id?: string } | null;
  };
  changes?: { add?: number; change?: number; import?: number; remove?: number; operation?: string };
  outputs?: Record<string, { action?: string; sensitive?: boolean }>;
}

/** The event types the plan is built from (everything else in the stream is progress or diagnostics). */
export const PLAN_EVENT_TYPES: ReadonlySet<string> = new Set(['planned_change', 'resource_drift', 'change_summary', 'outputs']);

export type StreamResult = { plan: PlanJson } | { needsShow: string };

type StackJson = { resource?: Record<string, Record<string, Record<string, unknown>>> };

/** Stream action -> the plan JSON's actions; undefined: values are needed (or the action is unknown). */
const ACTIONS: Record<string, Action[] | undefined> = {
  create: ['create'],
  delete: ['delete'],
  remove: ['forget'],
  read: ['read'],
  noop: ['no-op'],
  move: ['no-op'],
  import: ['no-op'],
};

function isDataAddress(addr: string): boolean {
  return /(^|\.)data\./.test(addr);
}

/** A create's configuration options: the stack's constant map, or undefined when not a plain string map. */
function configOptions(stack: StackJson | undefined, type: string, name: string): Record<string, string> | null | undefined {
  const r = stack?.resource?.[type]?.[name];
  if (!r) return undefined;
  const v = r[CONFIG_ATTR];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) return undefined;
  const entries = Object.entries(v as Record<string, unknown>);
  // an interpolation or a non-string value: Terraform decides the value, not the stack
  if (entries.some(([k, x]) => typeof x !== 'string' || x.includes('${') || k.includes('${'))) return undefined;
  return Object.fromEntries(entries) as Record<string, string>;
}

/**
 * The plan as data from the event stream and the stack it planned, when no attribute value is needed; else why
 * `show -json` is. `mode` 'refresh-only' with any drift always needs the values.
 */
export function planFromEvents(events: readonly UiEvent[], stack: StackJson | undefined, mode: 'plan' | 'refresh-only' | 'destroy' = 'plan'): StreamResult {
  const summary = events.find((e) => e.type === 'change_summary')?.changes;
  if (!summary) return { needsShow: 'no change_summary in the plan stream' };
  if (mode === 'refresh-only' && events.some((e) => e.type === 'resource_drift')) return { needsShow: 'drift details need the drifted values' };
  const changes: ResourceChange[] = [];
  const seen = new Set<string>();
  for (const e of events) {
    if (e.type !== 'planned_change' || !e.change?.resource?.addr) continue;
    const res = e.change.resource;
    const addr = res.addr!;
    if (res.module) return { needsShow: `resource in a module (${addr})` };
    const actions = ACTIONS[e.change.action ?? ''];
    if (!actions) return { needsShow: `${addr}: ${e.change.action ?? 'unknown'} needs attribute values` };
    if (seen.has(addr)) return { needsShow: `${addr} planned twice (deposed object)` };
    seen.add(addr);
    const data = isDataAddress(addr);
    const type = res.resource_type ?? '';
    const name = res.resource_name ?? '';
    let after: Record<string, unknown> | null = null;
    if (!data && actions[0] === 'create' && type === 'aws_mwaa_environment') {
      if (res.resource_key !== null && res.resource_key !== undefined) return { needsShow: `${addr}: counted environment` };
      const options = configOptions(stack, type, name);
      if (options === undefined) return { needsShow: `${addr}: configuration options are not constants of the stack` };
      after = { [CONFIG_ATTR]: options };
    }
    changes.push({
      address: addr,
      mode: data ? 'data' : 'managed',
      type,
      name,
      ...(res.resource_key !== null && res.resource_key !== undefined ? { index: res.resource_key } : {}),
      change: { actions, before: null, after, ...(e.change.importing ? { importing: e.change.importing } : {}) },
      ...(e.change.reason ? { action_reason: e.change.reason } : {}),
    });
  }
  const outputs = events.find((e) => e.type === 'outputs')?.outputs ?? {};
  const outputChanges: PlanJson['output_changes'] = {};
  for (const [k, o] of Object.entries(outputs)) {
    const a = o.action === 'create' ? 'create' : o.action === 'update' ? 'update' : o.action === 'delete' ? 'delete' : o.action === 'noop' || o.action === undefined ? 'no-op' : undefined;
    if (!a) return { needsShow: `output ${k}: ${o.action}` };
    outputChanges[k] = { actions: [a] };
  }
  // in address order, as `show -json` lists them (the stream follows the graph walk)
  changes.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const plan: PlanJson = { format_version: '1.2', resource_changes: changes, resource_drift: [], output_changes: outputChanges };
  // Terraform's own counts must agree with what the stream listed, or the values decide.
  const managed = changes.filter((c) => c.mode === 'managed');
  const counted = {
    add: managed.filter((c) => c.change.actions[0] === 'create').length,
    change: 0,
    remove: managed.filter((c) => c.change.actions[0] === 'delete').length,
    import: managed.filter((c) => c.change.importing).length,
  };
  for (const k of ['add', 'change', 'remove', 'import'] as const) {
    if ((summary[k] ?? 0) !== counted[k]) return { needsShow: `the stream lists ${counted[k]} to ${k}, change_summary says ${summary[k] ?? 0}` };
  }
  return { plan };
}
