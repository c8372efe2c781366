/**
 * Drift: what a refresh-only plan found changed outside Terraform, reduced to what is real. Pure.
 *
 * An attribute difference (state recorded by the last apply -> what AWS returns now) is reported only when
 * - the configuration sets that attribute (nested paths: `rule[0].bucket_key_enabled` is set only when the `rule`
 *   block sets `bucket_key_enabled`; a map or list set as a whole, such as `tags`, covers every key in it), or
 * - inside an attribute or block the configuration sets, the recorded value was a real value (not null, false, 0,
 *   "" or empty) and AWS now returns something else: it differs from what the last apply recorded.
 * A computed default read back for the first time (`null -> false`) and computed attributes the configuration never
 * sets (`last_updated`, `attachment_count`) are not drift. A resource gone from AWS is drift ("deleted").
 * Each item is classified (changed outside Terraform / deleted) and names the spec field it maps back to
 * (data/drift-spec-fields.json).
 */
import { isSecretOption, MASK, maskString } from '../report/mask';
import { specFieldOf } from './facts';
import { actionOf, CONFIG_ATTR, diffValues, type AttributeChange } from './model';
import type { PlanJson } from './types';

export interface DriftAttribute extends AttributeChange {
  /** The spec field this attribute comes from. */
  spec?: string;
  /** Or: the setting of the stack it comes from (no spec field controls it). */
  fixed?: string;
}

export interface DriftItem {
  address: string;
  type: string;
  kind: 'changed' | 'deleted';
  attributes: DriftAttribute[];
  /** Spec fields (or fixed stack settings) the drifted attributes map back to. */
  specFields: string[];
}

type Expressions = Record<string, unknown>;

/** Resource address (without instance key) -> the `expressions` of its configuration. */
export function configuredExpressions(plan: PlanJson): Map<string, Expressions> {
  const out = new Map<string, Expressions>();
  const root = (plan.configuration as { root_module?: { resources?: Array<{ address: string; expressions?: Expressions }> } } | undefined)?.root_module;
  for (const r of root?.resources ?? []) out.set(r.address, r.expressions ?? {});
  return out;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** An expression node (as opposed to a block): the attribute's whole value comes from the configuration. */
function isExpression(v: unknown): boolean {
  return isObj(v) && ('constant_value' in v || 'references' in v);
}

/** Whether the configuration sets the attribute at `path` (or a value enclosing it). */
export function isConfigured(expressions: Expressions | undefined, path: ReadonlyArray<string | number>): boolean {
  let node: unknown = expressions;
  for (const seg of path) {
    if (isExpression(node)) return true;
    if (Array.isArray(node)) {
      // a block list: one object per block in the configuration
      if (typeof seg !== 'number' || seg >= node.length) return false;
      node = node[seg];
    } else if (isObj(node)) {
      if (typeof seg !== 'string' || !(seg in node)) return false;
      node = node[seg];
    } else {
      return false;
    }
  }
  return node !== undefined;
}

/** Null, false, 0, "", [] or {}: nothing the last apply recorded. */
function unset(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isObj(v)) return Object.keys(v).length === 0;
  return false;
}

/** tags_all repeats tags (plus provider default tags): keep a tags_all path only when tags does not show it. */
function dedupeTagsAll<T extends { path: string }>(attrs: T[]): T[] {
  const tagPaths = new Set(attrs.filter((a) => a.path.startsWith('tags.')).map((a) => a.path.slice('tags.'.length)));
  return attrs.filter((a) => !(a.path.startsWith('tags_all.') && tagPaths.has(a.path.slice('tags_all.'.length))));
}

/** The drift a refresh-only plan reports, real changes only. */
export function driftItems(plan: PlanJson): DriftItem[] {
  const configured = configuredExpressions(plan);
  const out: DriftItem[] = [];
  for (const rc of plan.resource_drift ?? []) {
    if (rc.mode !== 'managed') continue;
    const expressions = configured.get(rc.address.replace(/\[[^\]]*\]$/, ''));
    const action = actionOf(rc);
    let attributes: DriftAttribute[];
    let kind: DriftItem['kind'];
    if (action === 'delete' || rc.change.after === null) {
      kind = 'deleted';
      attributes = [];
    } else {
      kind = 'changed';
      attributes = dedupeTagsAll(
        diffValues(rc.change.before, rc.change.after, { beforeSensitive: rc.change.before_sensitive, afterSensitive: rc.change.after_sensitive }).filter((a) => {
          const top = a.rawPath[0];
          // provider default tags are configuration too (the provider block), so tags_all counts as configured
          if (top === 'tags_all') return true;
          if (!expressions) return true;
          if (isConfigured(expressions, a.rawPath)) return true;
          return isConfigured(expressions, [top]) && !unset(a.rawBefore) && JSON.stringify(a.rawBefore) !== JSON.stringify(a.rawAfter);
        }),
      ).map(({ path, before, after, rawPath, rawBefore, rawAfter }) => {
        // configuration options: the provider marks the whole map sensitive; show each by what it is instead
        const option = (raw: unknown, fallback: string) => (typeof raw === 'string' ? (isSecretOption(String(rawPath[1])) ? MASK : JSON.stringify(maskString(raw))) : fallback);
        const shown = rawPath[0] === CONFIG_ATTR && rawPath.length === 2 ? { before: option(rawBefore, before), after: option(rawAfter, after) } : { before, after };
        return { path, ...shown, ...specFieldOf(rc.address, path) };
      });
      if (attributes.length === 0) continue;
    }
    const refs = kind === 'deleted' ? [specFieldOf(rc.address, '*')] : attributes.map((a) => ({ spec: a.spec, fixed: a.fixed }));
    const specFields = [...new Set(refs.map((r) => r?.spec ?? r?.fixed).filter((s): s is string => Boolean(s)))];
    out.push({ address: rc.address, type: rc.type, kind, attributes, specFields });
  }
  return out;
}
