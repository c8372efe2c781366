/**
 * A plan JSON (`terraform show -json`) safe to keep as a CI artifact: only what reviews need
 * (`format_version`, `resource_changes`, `resource_drift`, `configuration` is dropped), with every value
 * the provider marks sensitive replaced by "(sensitive)". A sensitive map (Airflow configuration options)
 * keeps its keys, so a key-level diff stays possible, never its values.
 */
export const SENSITIVE = '(sensitive)';

type Json = unknown;

/** Replace values marked by a `*_sensitive` mask (true, or a structure of the same shape) with SENSITIVE. */
export function redactValue(value: Json, mask: Json): Json {
  if (mask === true) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.keys(value as Record<string, unknown>).map((k) => [k, SENSITIVE]));
    }
    return value === null || value === undefined ? value : SENSITIVE;
  }
  if (mask === null || typeof mask !== 'object' || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const m = Array.isArray(mask) ? mask : [];
    return value.map((v, i) => redactValue(v, m[i]));
  }
  const m = mask as Record<string, Json>;
  return Object.fromEntries(Object.entries(value as Record<string, Json>).map(([k, v]) => [k, redactValue(v, m[k])]));
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
  return {
    ...rc,
    change: {
      ...change,
      before: redactValue(change.before, change.before_sensitive),
      after: redactValue(change.after, change.after_sensitive),
    },
  };
}

export function redactPlan(plan: Record<string, Json>): Record<string, Json> {
  const list = (k: string) => ((plan[k] as Array<Record<string, Json>> | undefined) ?? []).map(redactChange);
  return {
    format_version: plan.format_version,
    terraform_version: plan.terraform_version,
    resource_changes: list('resource_changes'),
    resource_drift: list('resource_drift'),
  };
}
