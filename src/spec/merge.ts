/**
 * Deep merge of `extends` layers, positions included: objects merge key by key, arrays and
 * scalars replace. A replaced subtree takes its positions from the layer that set it last.
 */
import { joinPath, underPrefix, type PositionMap } from './positions';

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

function dropUnder(map: PositionMap, prefix: string): void {
  const inside = underPrefix(prefix);
  // deleting the entry just visited is safe while iterating a Map
  for (const k of map.keys()) if (inside(k)) map.delete(k);
}

function copyUnder(from: PositionMap, to: PositionMap, prefix: string): void {
  const inside = underPrefix(prefix);
  for (const [k, v] of from) if (inside(k)) to.set(k, v);
}

function mergeValue(base: Layer, over: Layer, baseVal: unknown, overVal: unknown, path: string): unknown {
  if (isPlainObject(baseVal) && isPlainObject(overVal)) {
    const out: Record<string, unknown> = { ...baseVal };
    const pos = over.positions.get(path);
    if (pos) base.positions.set(path, pos);
    for (const [k, v] of Object.entries(overVal)) {
      const childPath = joinPath(path, k);
      const kp = over.keyPositions.get(childPath);
      if (Object.prototype.hasOwnProperty.call(baseVal, k)) {
        setOwn(out, k, mergeValue(base, over, baseVal[k], v, childPath));
      } else {
        dropUnder(base.positions, childPath);
        dropUnder(base.keyPositions, childPath);
        copyUnder(over.positions, base.positions, childPath);
        copyUnder(over.keyPositions, base.keyPositions, childPath);
        setOwn(out, k, v);
      }
      if (kp) base.keyPositions.set(childPath, kp);
    }
    return out;
  }
  dropUnder(base.positions, path);
  copyUnder(over.positions, base.positions, path);
  // keys beneath the replaced value come from `over` only
  const inside = underPrefix(path);
  for (const k of base.keyPositions.keys()) if (k !== path && inside(k)) base.keyPositions.delete(k);
  for (const [k, v] of over.keyPositions) if (k !== path && inside(k)) base.keyPositions.set(k, v);
  return overVal;
}

/** Merge `over` onto `base` (mutates and returns `base`'s position maps; data is copied). */
export function mergeLayers(base: Layer, over: Layer): Layer {
  const data = mergeValue(base, over, base.data, over.data, '') as Record<string, unknown>;
  return { data, positions: base.positions, keyPositions: base.keyPositions };
}

export function emptyLayer(): Layer {
  return { data: {}, positions: new Map(), keyPositions: new Map() };
}
