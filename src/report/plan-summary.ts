/**
 * `terraform show -json` (a plan, or a refresh-only plan) + the typed spec -> the per-environment summary that
 * `plan`, `apply` and `drift` print. Pure functions, no I/O.
 *
 * - counts: add / change / destroy / replace (a replacement counts once, as replace);
 * - dangers first: every destroy and replacement, with the attributes forcing it and what it costs in MWAA terms;
 * - Airflow configuration options (sensitive in the provider) as a key-level diff, values masked where the key looks
 *   secret;
 * - drift: each resource changed outside Terraform with attribute paths before -> after (sensitive values masked).
 */
import type { EnvironmentSpec } from '../spec/types';
import type { PlanJson, ResourceChange } from '../terraform/runner';
import { hasCredential, isSecretName } from './mask';

export type ChangeAction = 'create' | 'update' | 'delete' | 'replace';

export interface AttributeChange {
  path: string;
  before: string;
  after: string;
}

export interface ResourceSummary {
  address: string;
  type: string;
  action: ChangeAction;
  /** Attribute paths that force a replacement. */
  forcedBy: string[];
  /** What this costs, in MWAA terms (destroys and replacements of stateful resources). */
  consequence?: string;
  /** Changed attributes (updates and replacements), sensitive values masked. */
  attributes: AttributeChange[];
}

export interface ConfigOptionChange {
  key: string;
  change: 'added' | 'removed' | 'changed';
  before?: string;
  after?: string;
}

export interface EnvironmentPlanSummary {
  environment: string;
  protected: boolean;
  counts: { add: number; change: number; destroy: number; replace: number };
  /** Destroys and replacements, listed first. */
  dangers: ResourceSummary[];
  /** Creates and in-place updates. */
  changes: ResourceSummary[];
  airflowConfiguration: ConfigOptionChange[];
  /** Refresh-only plans: resources changed outside Terraform. */
  drift: ResourceSummary[];
  error?: string;
}

const SECRET_KEY = /password|secret|token|key|credential|conn|pass/i; // broader than mask.ts's on purpose (any `key`)
export const MASK = '(masked)';
const SENSITIVE = '(sensitive)';

/** Attributes of aws_mwaa_environment that force a new environment (provider ForceNew). */
const MWAA_FORCES: Record<string, string> = {
  name: 'the environment name',
  'network_configuration.subnet_ids': 'the subnets',
  kms_key: 'the KMS key',
  endpoint_management: 'endpoint management',
};

export function consequenceOf(rc: { type: string }, action: ChangeAction, forcedBy: string[]): string | undefined {
  if (action !== 'delete' && action !== 'replace') return undefined;
  switch (rc.type) {
    case 'aws_mwaa_environment': {
      const why = forcedBy
        .map((p) => MWAA_FORCES[p.replace(/\[\d+\]/g, '')])
        .filter((x): x is string => Boolean(x));
      const cause = why.length ? ` (changing ${[...new Set(why)].join(', ')} forces it)` : '';
      return action === 'replace'
        ? `the environment is deleted and created again${cause}: its metadata database is lost (DAG run history, connections and variables stored in Airflow), the webserver URL changes, and the environment is unavailable for the 20-30 minutes of creation`
        : 'the environment is deleted: its metadata database (DAG run history, connections and variables stored in Airflow) is lost';
    }
    case 'aws_s3_bucket':
      return 'the source bucket and every object version in it (DAGs, requirements, plugins) are lost';
    case 'aws_kms_key':
      return 'the KMS key is scheduled for deletion: anything encrypted with it (bucket objects, logs, the environment) becomes unreadable';
    case 'aws_vpc':
    case 'aws_subnet':
      return 'network resources the environment runs in are removed (the environment must be replaced with them)';
    case 'aws_cloudwatch_log_group':
      return 'the log group and its Airflow logs are deleted';
    default:
      return undefined;
  }
}

export function actionOf(rc: ResourceChange): ChangeAction | undefined {
  const a = rc.change.actions;
  if (a.includes('delete') && a.includes('create')) return 'replace';
  if (a.includes('delete')) return 'delete';
  if (a.includes('create')) return 'create';
  if (a.includes('update')) return 'update';
  return undefined;
}

export function pathText(p: Array<string | number>): string {
  return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The sensitivity marker at a path: true = the whole value is sensitive. */
function sensitiveAt(marker: unknown, path: Array<string | number>): boolean {
  let m: unknown = marker;
  for (const seg of path) {
    if (m === true) return true;
    if (Array.isArray(m) && typeof seg === 'number') m = m[seg];
    else if (isObj(m) && typeof seg === 'string') m = m[seg];
    else return false;
  }
  return m === true;
}

function show(v: unknown): string {
  if (v === undefined) return '(absent)';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  return JSON.stringify(v);
}

/** Leaf-level differences between two values (lists compared as a whole when their lengths differ). */
export function diffValues(
  before: unknown,
  after: unknown,
  opts: { beforeSensitive?: unknown; afterSensitive?: unknown; afterUnknown?: unknown; skip?: Set<string> } = {},
  path: Array<string | number> = [],
): AttributeChange[] {
  if (path.length === 1 && opts.skip?.has(String(path[0]))) return [];
  const unknownHere = sensitiveAt(opts.afterUnknown, path);
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffValues(before[k], after[k], opts, [...path, k]));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((b, i) => diffValues(b, after[i], opts, [...path, i]));
  }
  if (unknownHere) {
    return [{ path: pathText(path), before: maskIf(before, opts.beforeSensitive, path), after: '(known after apply)' }];
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  // Absent vs empty is no change worth reading.
  if ((before === null || before === undefined) && (after === null || after === undefined)) return [];
  return [{ path: pathText(path), before: maskIf(before, opts.beforeSensitive, path), after: maskIf(after, opts.afterSensitive, path) }];
}

function maskIf(v: unknown, marker: unknown, path: Array<string | number>): string {
  if (v === undefined) return '(absent)';
  return sensitiveAt(marker, path) ? SENSITIVE : show(v);
}

/** Key-level diff of Airflow configuration options; values masked where the key looks secret. */
export function configDiff(before: Record<string, string> | undefined, after: Record<string, string> | undefined): ConfigOptionChange[] {
  const b = before ?? {};
  const a = after ?? {};
  const out: ConfigOptionChange[] = [];
  for (const key of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort()) {
    const mask = (v: string | undefined) => (v === undefined ? undefined : SECRET_KEY.test(key) || isSecretName(key) || hasCredential(v) ? MASK : v);
    if (!(key in b)) out.push({ key, change: 'added', after: mask(a[key]) });
    else if (!(key in a)) out.push({ key, change: 'removed', before: mask(b[key]) });
    else if (b[key] !== a[key]) out.push({ key, change: 'changed', before: mask(b[key]), after: mask(a[key]) });
  }
  return out;
}

const CONFIG_ATTR = 'airflow_configuration_options';
/** Attributes never shown value-by-value (tags_all repeats tags; config options get their own key-level diff). */
const HIDDEN = new Set([CONFIG_ATTR, 'tags_all']);

function summarizeChange(rc: ResourceChange, action: ChangeAction): ResourceSummary {
  const forcedBy = (rc.change.replace_paths ?? []).map(pathText);
  const attributes =
    action === 'update' || action === 'replace'
      ? diffValues(rc.change.before, rc.change.after, {
          beforeSensitive: rc.change.before_sensitive,
          afterSensitive: rc.change.after_sensitive,
          afterUnknown: rc.change.after_unknown,
          skip: HIDDEN,
        })
      : [];
  return { address: rc.address, type: rc.type, action, forcedBy, consequence: consequenceOf(rc, action, forcedBy), attributes };
}

export interface SummaryInput {
  spec: Pick<EnvironmentSpec, 'name' | 'protection'>;
  plan: PlanJson;
  /** The plan is refresh-only: report resource_drift. */
  refreshOnly?: boolean;
}

/** A summary with nothing in it yet (also the base of an error summary). */
export function emptySummary(spec: Pick<EnvironmentSpec, 'name' | 'protection'>): EnvironmentPlanSummary {
  return {
    environment: spec.name,
    protected: spec.protection.preventDestroy,
    counts: { add: 0, change: 0, destroy: 0, replace: 0 },
    dangers: [],
    changes: [],
    airflowConfiguration: [],
    drift: [],
  };
}

export function summarizePlan(input: SummaryInput): EnvironmentPlanSummary {
  const { spec, plan } = input;
  const s = emptySummary(spec);
  if (!input.refreshOnly) {
    for (const rc of plan.resource_changes ?? []) {
      if (rc.mode !== 'managed') continue;
      const action = actionOf(rc);
      if (!action) continue;
      if (action === 'create') s.counts.add += 1;
      else if (action === 'update') s.counts.change += 1;
      else if (action === 'delete') s.counts.destroy += 1;
      else s.counts.replace += 1;
      const summary = summarizeChange(rc, action);
      (action === 'delete' || action === 'replace' ? s.dangers : s.changes).push(summary);
      if (rc.type === 'aws_mwaa_environment') {
        s.airflowConfiguration.push(
          ...configDiff(
            (rc.change.before?.[CONFIG_ATTR] as Record<string, string> | undefined) ?? undefined,
            (rc.change.after?.[CONFIG_ATTR] as Record<string, string> | undefined) ?? undefined,
          ),
        );
      }
    }
  }
  const configured = configuredKeys(plan);
  for (const rc of plan.resource_drift ?? []) {
    if (rc.mode !== 'managed') continue;
    const keys = configured.get(rc.address.replace(/\[[^\]]*\]$/, ''));
    const action = actionOf(rc) ?? 'update';
    const attributes =
      action === 'delete'
        ? [{ path: '(resource)', before: 'exists', after: 'deleted outside Terraform' }]
        : dedupeTagsAll(diffValues(rc.change.before, rc.change.after, {
            beforeSensitive: rc.change.before_sensitive,
            afterSensitive: rc.change.after_sensitive,
          }))
            // Only attributes the configuration sets (and the provider's default tags): computed values filled in
            // after creation (association ids, attachment counts, routes from separate resources) are not drift.
            .filter((a) => !keys || keys.has(topKey(a.path)) || topKey(a.path) === 'tags_all')
            .map((a) => (a.path.startsWith(CONFIG_ATTR) && SECRET_KEY.test(a.path.slice(CONFIG_ATTR.length)) ? { ...a, before: MASK, after: MASK } : a));
    if (attributes.length === 0) continue;
    s.drift.push({ address: rc.address, type: rc.type, action, forcedBy: [], attributes });
  }
  return s;
}

function topKey(p: string): string {
  return p.split(/[.[]/)[0];
}

/** Resource address -> top-level attribute names its configuration sets (plan JSON `configuration`). */
export function configuredKeys(plan: PlanJson): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const root = (plan.configuration as { root_module?: { resources?: Array<{ address: string; expressions?: Record<string, unknown> }> } } | undefined)?.root_module;
  for (const r of root?.resources ?? []) out.set(r.address, new Set(Object.keys(r.expressions ?? {})));
  return out;
}

/** tags_all repeats tags (plus provider default tags): keep a tags_all path only when tags does not show it. */
function dedupeTagsAll(attrs: AttributeChange[]): AttributeChange[] {
  const tagPaths = new Set(attrs.filter((a) => a.path.startsWith('tags.')).map((a) => a.path.slice('tags.'.length)));
  return attrs.filter((a) => !(a.path.startsWith('tags_all.') && tagPaths.has(a.path.slice('tags_all.'.length))));
}

export function hasChanges(s: EnvironmentPlanSummary): boolean {
  const c = s.counts;
  return c.add + c.change + c.destroy + c.replace > 0;
}

/** What `protection.preventDestroy` protects: the environment (its metadata database), its bucket and its key. */
export const PROTECTED_TYPES = new Set(['aws_mwaa_environment', 'aws_s3_bucket', 'aws_kms_key']);

/** Destroys/replacements of a protected environment's protected resources not named by an --allow-replace address. */
export function blockedByProtection(s: EnvironmentPlanSummary, allowReplace: string[]): ResourceSummary[] {
  if (!s.protected) return [];
  return s.dangers.filter((d) => PROTECTED_TYPES.has(d.type) && !allowReplace.includes(d.address));
}
