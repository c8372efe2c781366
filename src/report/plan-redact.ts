/**
 * A plan JSON (`terraform show -json`) safe to keep as a CI artifact and to render the PR comment from: only what
 * reviews need (`format_version`, `resource_changes` and `resource_drift` with before/after, output change actions;
 * `configuration`, `prior_state` and `planned_values` are dropped, they repeat the values), secrets masked by the one
 * masking module (src/report/mask.ts):
 * - a value the provider marks sensitive is MASK, except the Airflow configuration options (the provider marks the
 *   whole map sensitive): those keep their keys, and each value is masked by what it is (a secret option, a credential);
 *   reviewers see the same values in the spec diff;
 * - every other string has credentials inside it masked.
 * A secret whose value changed is listed in `change.masked_changes`, so the change stays visible after masking.
 */
import { CONFIG_ATTR } from '../plan/model';
import { MASK, maskOption, maskString } from './mask';

type Json = unknown;

function isObj(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Strings with credentials masked, everywhere in a value. */
function maskStrings(v: Json): Json {
  if (typeof v === 'string') return maskString(v);
  if (Array.isArray(v)) return v.map(maskStrings);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskStrings(x)]));
  return v;
}

/** Values marked by a `*_sensitive` structure (true, or a structure of the same shape) replaced with MASK. */
export function redactValue(value: Json, marker: Json): Json {
  if (marker === true) {
    if (isObj(value)) return Object.fromEntries(Object.keys(value).map((k) => [k, MASK]));
    if (Array.isArray(value)) return value.map(() => MASK);
    return value === null || value === undefined ? value : MASK;
  }
  if (marker === null || typeof marker !== 'object' || value === null || typeof value !== 'object') return maskStrings(value);
  if (Array.isArray(value)) {
    const m = Array.isArray(marker) ? marker : [];
    return value.map((v, i) => redactValue(v, m[i]));
  }
  const m = marker as Record<string, Json>;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, m[k])]));
}

function options(v: Json): Record<string, string> | undefined {
  return isObj(v) ? (Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskOption(k, String(x))])) as Record<string, string>) : undefined;
}

interface Change {
  before?: Json;
  after?: Json;
  before_sensitive?: Json;
  after_sensitive?: Json;
  [k: string]: Json;
}

function redactChange(rc: Record<string, Json>): Record<string, Json> {
  const change = (rc.change ?? {}) as Change;
  const before = redactValue(change.before, change.before_sensitive);
  const after = redactValue(change.after, change.after_sensitive);
  const maskedChanges: string[] = [];
  if (rc.type === 'aws_mwaa_environment') {
    const b = isObj(change.before) ? (change.before[CONFIG_ATTR] as Record<string, Json> | undefined) : undefined;
    const a = isObj(change.after) ? (change.after[CONFIG_ATTR] as Record<string, Json> | undefined) : undefined;
    if (isObj(before) && isObj(b)) before[CONFIG_ATTR] = options(b) ?? null;
    if (isObj(after) && isObj(a)) after[CONFIG_ATTR] = options(a) ?? null;
    for (const k of new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])) {
      const vb = b?.[k];
      const va = a?.[k];
      if (vb !== undefined && va !== undefined && vb !== va && maskOption(k, String(vb)) === maskOption(k, String(va))) maskedChanges.push(`${CONFIG_ATTR}.${k}`);
    }
  }
  return {
    address: rc.address,
    mode: rc.mode,
    type: rc.type,
    name: rc.name,
    ...(rc.index !== undefined ? { index: rc.index } : {}),
    ...(rc.action_reason !== undefined ? { action_reason: rc.action_reason } : {}),
    change: {
      actions: change.actions,
      before,
      after,
      after_unknown: change.after_unknown,
      before_sensitive: change.before_sensitive,
      after_sensitive: change.after_sensitive,
      ...(change.replace_paths !== undefined ? { replace_paths: change.replace_paths } : {}),
      ...(change.importing ? { importing: { id: typeof (change.importing as { id?: Json }).id === 'string' ? maskString((change.importing as { id: string }).id) : undefined } } : {}),
      ...(maskedChanges.length ? { masked_changes: maskedChanges } : {}),
    },
  };
}

export function redactPlan(plan: Record<string, Json>): Record<string, Json> {
  const list = (k: string) => ((plan[k] as Array<Record<string, Json>> | undefined) ?? []).map(redactChange);
  const outputs = isObj(plan.output_changes)
    ? Object.fromEntries(Object.entries(plan.output_changes).map(([k, c]) => [k, { actions: (c as { actions?: Json }).actions }]))
    : undefined;
  return {
    format_version: plan.format_version,
    terraform_version: plan.terraform_version,
    ...(plan.errored !== undefined ? { errored: plan.errored } : {}),
    resource_changes: list('resource_changes'),
    resource_drift: list('resource_drift'),
    ...(outputs ? { output_changes: outputs } : {}),
  };
}
