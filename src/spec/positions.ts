/**
 * Source positions by dotted key path, and locating a key path back to a file position.
 * Paths: object keys joined with `.`, array indices as numbers (`network.privateSubnets.1`);
 * '' is the document root.
 */
import type { ResolvedDocument, SourcePosition } from './types';

export type PositionMap = Map<string, SourcePosition>;

export function joinPath(parent: string, key: string | number): string {
  return parent === '' ? String(key) : `${parent}.${key}`;
}

/** The parent of a dotted path ('' for top-level keys and for ''). */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('.');
  return i < 0 ? '' : path.slice(0, i);
}

/** True when `path` is `prefix` itself or lies beneath it. */
export function isUnder(path: string, prefix: string): boolean {
  if (prefix === '') return true;
  return path === prefix || path.startsWith(`${prefix}.`);
}

/**
 * Where to report a problem at `path`: the value's position (or the key's with `atKey`); for a
 * path that has no position (a default, a missing key) the nearest ancestor's key, then value;
 * finally line 1, column 1 of the environment file.
 */
export function locate(doc: Pick<ResolvedDocument, 'file' | 'positions' | 'keyPositions'>, path: string, atKey = false): SourcePosition {
  const exact = atKey ? doc.keyPositions.get(path) ?? doc.positions.get(path) : doc.positions.get(path) ?? doc.keyPositions.get(path);
  if (exact) return exact;
  let p = path;
  while (p !== '') {
    p = parentPath(p);
    const found = doc.keyPositions.get(p) ?? doc.positions.get(p);
    if (found) return found;
  }
  return { file: doc.file, line: 1, column: 1 };
}
