/**
 * The one plan model: `terraform show -json` of a plan (or a refresh-only / destroy plan) + the environment's name and
 * protection -> what `plan`, `apply`, `drift`, `destroy` and the PR comment show. Pure functions, no I/O.
 *
 * - counts are Terraform's own (`N to import, X to add, Y to change, Z to destroy`): a replacement counts in both
 *   add and destroy, an import counts as an import whatever else happens to the resource, data sources never count;
 * - every managed change is classified (create, update, delete, replace, forget; importing or not), destroys and
 *   replacements first, with the attributes forcing them and what they lose in MWAA terms (data/protected-resources.json);
 * - Airflow configuration options (sensitive in the provider) as a key-level diff, secrets masked (src/report/mask.ts);
 * - refresh-only plans: drift (src/plan/drift.ts).
 */
import { MASK, maskOption, maskString } from '../report/mask';
import { driftItems, type DriftItem } from './drift';
import { forceNewMeaning, lossOf, PROTECTED_TYPES } from './facts';
import type { PlanJson, ResourceChange } from './types';

export type ResourceAction = 'create' | 'update' | 'delete' | 'replace' | 'forget' | 'read' | 'no-op';

export interface AttributeChange {
  path: string;
  before: string;
  after: string;
}

export interface PlannedResource {
  address: string;
  type: string;
  action: ResourceAction;
  /** The change imports an existing object (an `import` block). */
  importing: boolean;
  /** Attribute paths that force a replacement (Terraform's replace_paths). */
  forcedBy: string[];
  /** What those attributes mean ("the subnets"), from data/replacement-fields.json. */
  forcedMeaning: string[];
  /** What a destroy or replacement loses, in MWAA terms. */
  loss?: string;
  /** A resource `protection.preventDestroy` protects, in a protected environment. */
  protectedResource: boolean;
  /** Changed attributes (updates and replacements), secrets and sensitive values masked. */
  attributes: AttributeChange[];
}

export interface ConfigOptionChange {
  key: string;
  change: 'added' | 'removed' | 'changed';
  before?: string;
  after?: string;
}

/** Terraform's counts. `replace` says how many of add/destroy are replacements; `forget` is not in Terraform's line. */
export interface PlanCounts {
  import: number;
  add: number;
  change: number;
  destroy: number;
  replace: number;
  forget: number;
}

export type PlanMode = 'plan' | 'refresh-only' | 'destroy';

export interface EnvironmentPlan {
  environment: string;
  protected: boolean;
  mode: PlanMode;
  counts: PlanCounts;
  /** Managed resources with something to do (or being imported): destroys and replacements first. */
  resources: PlannedResource[];
  /** Root module outputs that change. */
  outputChanges: string[];
  airflowConfiguration: ConfigOptionChange[];
  /** Refresh-only plans: what changed outside Terraform. */
  drift: DriftItem[];
  /** Planning failed: the message (secrets masked), nothing else is known. */
  error?: string;
  /** Warnings about the environment's setup found while planning (e.g. a state bucket without versioning). */
  warnings?: string[];
}

export interface PlanInput {
  environment: string;
  protected: boolean;
  plan: PlanJson;
  mode?: PlanMode;
}

export function actionOf(rc: Pick<ResourceChange, 'change'>): ResourceAction {
  const a = rc.change.actions;
  if (a.includes('delete') && a.includes('create')) return 'replace';
  if (a.includes('create')) return 'create';
  if (a.includes('delete')) return 'delete';
  if (a.includes('update')) return 'update';
  if (a.includes('forget')) return 'forget';
  if (a.includes('read')) return 'read';
  return 'no-op';
}

export function isImporting(rc: Pick<ResourceChange, 'change'>): boolean {
  return Boolean(rc.change.importing);
}

export function pathText(p: ReadonlyArray<string | number>): string {
  return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

export function emptyCounts(): PlanCounts {
  return { import: 0, add: 0, change: 0, destroy: 0, replace: 0, forget: 0 };
}

/** Counts the way Terraform's plan renderer does (managed resources; data source reads are not changes). */
export function countPlan(plan: Pick<PlanJson, 'resource_changes'>): PlanCounts {
  const c = emptyCounts();
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== 'managed') continue;
    if (isImporting(rc)) c.import += 1;
    switch (actionOf(rc)) {
      case 'create': // create-then-forget too: Terraform counts it as an add only
        c.add += 1;
        break;
      case 'update':
        c.change += 1;
        break;
      case 'delete':
        c.destroy += 1;
        break;
      case 'replace':
        c.add += 1;
        c.destroy += 1;
        c.replace += 1;
        break;
      case 'forget':
        c.forget += 1;
        break;
      default:
        break;
    }
  }
  return c;
}

/** `1 to import, 3 to add, 1 to change, 3 to destroy`: Terraform's own summary (without "Plan: " and the period). */
export function formatCounts(c: PlanCounts): string {
  return `${c.import ? `${c.import} to import, ` : ''}${c.add} to add, ${c.change} to change, ${c.destroy} to destroy`;
}

export function hasChanges(p: Pick<EnvironmentPlan, 'counts' | 'outputChanges'>): boolean {
  const c = p.counts;
  return c.import + c.add + c.change + c.destroy + c.forget > 0 || p.outputChanges.length > 0;
}

export function isDanger(r: PlannedResource): boolean {
  return r.action === 'delete' || r.action === 'replace';
}

export function dangerousResources(p: EnvironmentPlan): PlannedResource[] {
  return p.resources.filter(isDanger);
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The sensitivity (or unknown) marker at a path: true = the whole value is marked. */
export function markedAt(marker: unknown, path: ReadonlyArray<string | number>): boolean {
  let m: unknown = marker;
  for (const seg of path) {
    if (m === true) return true;
    if (Array.isArray(m) && typeof seg === 'number') m = m[seg];
    else if (isObj(m) && typeof seg === 'string') m = m[seg];
    else return false;
  }
  return m === true;
}

/** A plan value as text, credentials inside strings masked. */
export function showValue(v: unknown): string {
  if (v === undefined) return '(absent)';
  const masked = (x: unknown): unknown =>
    typeof x === 'string' ? maskString(x) : Array.isArray(x) ? x.map(masked) : isObj(x) ? Object.fromEntries(Object.entries(x).map(([k, y]) => [k, masked(y)])) : x;
  return JSON.stringify(masked(v));
}

export interface DiffOptions {
  beforeSensitive?: unknown;
  afterSensitive?: unknown;
  afterUnknown?: unknown;
  /** Top-level attributes not diffed value by value. */
  skip?: ReadonlySet<string>;
}

/** Leaf-level differences between two values (lists compared as a whole when their lengths differ). */
export function diffValues(before: unknown, after: unknown, opts: DiffOptions = {}, path: Array<string | number> = []): Array<AttributeChange & { rawPath: Array<string | number>; rawBefore: unknown; rawAfter: unknown }> {
  if (path.length === 1 && opts.skip?.has(String(path[0]))) return [];
  const unknownHere = markedAt(opts.afterUnknown, path);
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffValues(before[k], after[k], opts, [...path, k]));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => diffValues(b, after[i], opts, [...path, i]));
  }
  const shown = (v: unknown, marker: unknown) => (v === undefined ? '(absent)' : markedAt(marker, path) && v !== null ? MASK : showValue(v));
  if (unknownHere) {
    return [{ path: pathText(path), before: shown(before, opts.beforeSensitive), after: '(known after apply)', rawPath: path, rawBefore: before, rawAfter: after }];
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  // Absent vs null is no change worth reading.
  if ((before === null || before === undefined) && (after === null || after === undefined)) return [];
  return [{ path: pathText(path), before: shown(before, opts.beforeSensitive), after: shown(after, opts.afterSensitive), rawPath: path, rawBefore: before, rawAfter: after }];
}

/** Key-level diff of Airflow configuration options; values of secret options and credentials masked. */
export function configDiff(before: Record<string, string> | undefined, after: Record<string, string> | undefined, maskedChanges: ReadonlySet<string> = new Set()): ConfigOptionChange[] {
  const b = before ?? {};
  const a = after ?? {};
  const out: ConfigOptionChange[] = [];
  for (const key of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
    const show = (v: string | undefined) => (v === undefined ? undefined : maskOption(key, v));
    if (!(key in b)) out.push({ key, change: 'added', after: show(a[key]) });
    else if (!(key in a)) out.push({ key, change: 'removed', before: show(b[key]) });
    else if (b[key] !== a[key] || maskedChanges.has(`${CONFIG_ATTR}.${key}`)) out.push({ key, change: 'changed', before: show(b[key]), after: show(a[key]) });
  }
  return out;
}

export const CONFIG_ATTR = 'airflow_configuration_options';
/** Attributes never shown value by value (tags_all repeats tags; config options get their own key-level diff). */
const HIDDEN = new Set([CONFIG_ATTR, 'tags_all']);

function plannedResource(rc: ResourceChange, action: ResourceAction, isProtected: boolean): PlannedResource {
  const forced = (rc.change.replace_paths ?? []).map((p) => ({ text: pathText(p), means: forceNewMeaning(rc.type, pathText(p)) }));
  const attributes =
    action === 'update' || action === 'replace'
      ? diffValues(rc.change.before, rc.change.after, {
          beforeSensitive: rc.change.before_sensitive,
          afterSensitive: rc.change.after_sensitive,
          afterUnknown: rc.change.after_unknown,
          skip: HIDDEN,
        }).map(({ path, before, after }) => ({ path, before, after }))
      : [];
  const loss = action === 'replace' ? lossOf(rc.type, 'replace') : action === 'delete' ? lossOf(rc.type, 'destroy') : undefined;
  return {
    address: rc.address,
    type: rc.type,
    action,
    importing: isImporting(rc),
    forcedBy: forced.map((f) => f.text),
    forcedMeaning: [...new Set(forced.map((f) => f.means).filter((m): m is string => Boolean(m)))],
    loss,
    protectedResource: isProtected && PROTECTED_TYPES.has(rc.type),
    attributes,
  };
}

const ORDER: Record<ResourceAction, number> = { replace: 0, delete: 1, create: 2, update: 2, forget: 3, 'no-op': 4, read: 5 };

/** The model of one environment's plan. */
export function buildPlanModel(input: PlanInput): EnvironmentPlan {
  const mode = input.mode ?? 'plan';
  const plan = input.plan;
  const model: EnvironmentPlan = {
    environment: input.environment,
    protected: input.protected,
    mode,
    counts: countPlan(plan),
    resources: [],
    outputChanges: Object.entries(plan.output_changes ?? {})
      .filter(([, c]) => c.actions.some((a) => a !== 'no-op'))
      .map(([k]) => k)
      .sort(),
    airflowConfiguration: [],
    drift: [],
  };
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== 'managed') continue;
    const action = actionOf(rc);
    if ((action === 'no-op' || action === 'read') && !isImporting(rc)) continue;
    model.resources.push(plannedResource(rc, action, input.protected));
    if (rc.type === 'aws_mwaa_environment' && (action === 'update' || action === 'replace' || action === 'create')) {
      model.airflowConfiguration.push(
        ...configDiff(
          (rc.change.before?.[CONFIG_ATTR] as Record<string, string> | undefined) ?? undefined,
          (rc.change.after?.[CONFIG_ATTR] as Record<string, string> | undefined) ?? undefined,
          new Set(rc.change.masked_changes ?? []),
        ),
      );
    }
  }
  model.resources.sort((a, b) => ORDER[a.action] - ORDER[b.action]);
  if (mode === 'refresh-only') model.drift = driftItems(plan);
  return model;
}

/** A model that says planning failed. */
export function errorPlan(environment: string, isProtected: boolean, error: string, mode: PlanMode = 'plan'): EnvironmentPlan {
  return { environment, protected: isProtected, mode, counts: emptyCounts(), resources: [], outputChanges: [], airflowConfiguration: [], drift: [], error };
}

/** Destroys/replacements of a protected environment's protected resources not named by an --allow-replace address. */
export function blockedByProtection(p: EnvironmentPlan, allowReplace: readonly string[]): PlannedResource[] {
  if (!p.protected) return [];
  return p.resources.filter((r) => isDanger(r) && r.protectedResource && !allowReplace.includes(r.address));
}
