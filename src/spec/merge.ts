/**
 * Deep merge of `extends` layers, positions included: objects merge key by key, arrays and
 * scalars replace. A replaced subtree takes its positions from the layer that set it last.
 */
import { joinPath, type PositionMap } from './positions';

export interface Layer {
  data: Record<string, unknown>;
  positions: PositionMap;
  keyPositions: PositionMap;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Assign as an own data property, so a `__proto__` key stays data. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/**
 * What a merge does to the position maps, collected while the data merges and applied in one pass over each map
 * (a scan of both maps for every replaced key was most of the merge's time at hundreds of environments).
 */
interface MergeOps {
  /** Paths whose value `over` sets whole: positions come from `over` at and beneath them; key positions at and
   * beneath (`at`, a key base did not have) or only beneath (`below`, a value replaced under an existing key). */
  replaced: Map<string, 'at' | 'below'>;
  /** Objects merged key by key: their own position comes from `over` when it has one. */
  objects: string[];
  /** Keys of `over` at merged levels: their key position comes from `over` when it has one. */
  keys: string[];
}

function mergeValue(baseVal: unknown, overVal: unknown, path: string, ops: MergeOps): unknown {
  if (isPlainObject(baseVal) && isPlainObject(overVal)) {
    const out: Record<string, unknown> = { ...baseVal };
    ops.objects.push(path);
    for (const [k, v] of Object.entries(overVal)) {
      const childPath = joinPath(path, k);
      if (Object.prototype.hasOwnProperty.call(baseVal, k)) {
        setOwn(out, k, mergeValue(baseVal[k], v, childPath, ops));
      } else {
        ops.replaced.set(childPath, 'at');
        setOwn(out, k, v);
      }
      ops.keys.push(childPath);
    }
    return out;
  }
  ops.replaced.set(path, 'below');
  return overVal;
}

/**
 * True when `path` lies in a replaced subtree: `path` itself replaced (`at`, or `below` when `atItself`), or one of
 * its dotted prefixes replaced (the same test as positions.ts's isUnder, one prefix at a time).
 */
function inReplaced(replaced: Map<string, 'at' | 'below'>, path: string, atItself: boolean): boolean {
  const own = replaced.get(path);
  if (own === 'at' || (own === 'below' && atItself)) return true;
  if (path === '') return false;
  if (replaced.has('')) return true;
  for (let i = path.lastIndexOf('.'); i > 0; i = path.lastIndexOf('.', i - 1)) if (replaced.has(path.slice(0, i))) return true;
  return false;
}

function applyOps(base: PositionMap, over: PositionMap, ops: MergeOps, keyMap: boolean): void {
  for (const k of base.keys()) if (inReplaced(ops.replaced, k, !keyMap)) base.delete(k); // deleting while iterating a Map is safe
  for (const [k, v] of over) if (inReplaced(ops.replaced, k, !keyMap)) base.set(k, v);
  for (const p of keyMap ? ops.keys : ops.objects) {
    const at = over.get(p);
    if (at) base.set(p, at);
  }
}

/** Merge `over` onto `base` (mutates and returns `base`'s position maps; data is copied). */
export function mergeLayers(base: Layer, over: Layer): Layer {
  const ops: MergeOps = { replaced: new Map(), objects: [], keys: [] };
  const data = mergeValue(base.data, over.data, '', ops) as Record<string, unknown>;
  applyOps(base.positions, over.positions, ops, false);
  applyOps(base.keyPositions, over.keyPositions, ops, true);
  return { data, positions: base.positions, keyPositions: base.keyPositions };
}

export function emptyLayer(): Layer {
  return { data: {}, positions: new Map(), keyPositions: new Map() };
}
