/**
 * The data tables of the plan model (data/replacement-fields.json, protected-resources.json, drift-spec-fields.json,
 * secret-names.json): each names its source, and every spec field they mention exists in the JSON Schema (a typo
 * would silently never match).
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (f: string) => JSON.parse(fs.readFileSync(path.join(ROOT, f), 'utf8'));
const schema = read('schemas/environment.schema.json');

/** Added by another change (issue 10) and not yet in this schema: allowed to be missing. */
const PENDING = new Set(['network.availabilityZoneIds']);

function resolvesInSchema(field: string): boolean {
  let nodes: any[] = [schema];
  const deref = (n: any): any[] => {
    if (!n || typeof n !== 'object') return [];
    if (n.$ref) return deref(n.$ref.replace('#/definitions/', '').split('/').reduce((o: any, k: string) => o?.[k], schema.definitions));
    const alts = [...(n.oneOf ?? []), ...(n.anyOf ?? []), ...(n.allOf ?? []), ...(n.then ? [n.then] : []), ...(n.else ? [n.else] : [])];
    return [n, ...alts.flatMap(deref)];
  };
  for (const key of field.split('.')) {
    nodes = nodes.flatMap(deref).flatMap((n) => (n.properties?.[key] ? [n.properties[key]] : n.additionalProperties && typeof n.additionalProperties === 'object' ? [n.additionalProperties] : []));
    if (nodes.length === 0) return false;
  }
  return true;
}

test('each table names its source and retrieval date', () => {
  for (const f of ['data/replacement-fields.json', 'data/protected-resources.json', 'data/drift-spec-fields.json', 'data/secret-names.json']) {
    const t = read(f);
    expect([f, Array.isArray(t.source) ? t.source.length > 0 : typeof t.source === 'string']).toEqual([f, true]);
    expect([f, /^\d{4}-\d{2}-\d{2}$/.test(t.retrieved)]).toEqual([f, true]);
  }
});

test('every spec field named by the replacement and drift tables is a field of the spec', () => {
  const fields = new Set<string>();
  for (const f of read('data/replacement-fields.json').fields) fields.add(f.field);
  for (const t of Object.values(read('data/replacement-fields.json').providerForceNew) as Array<Record<string, { specFields: string[] }>>) for (const a of Object.values(t)) a.specFields.forEach((x) => fields.add(x));
  for (const r of read('data/drift-spec-fields.json').rows) {
    if (!r.spec) continue;
    for (const alt of String(r.spec).split(' / ')) fields.add(alt.replace(/\[\{?\w+\}?\]$/, '').replace(/\[.*$/, ''));
  }
  const unknown = [...fields].filter((f) => !resolvesInSchema(f) && !PENDING.has(f));
  expect(unknown).toEqual([]);
  expect(resolvesInSchema('network.nosuchfield')).toBe(false); // the check can fail
});

test('protected types and losses: every protected type says what it loses', () => {
  const t = read('data/protected-resources.json');
  for (const type of t.protectedTypes) expect([type, typeof t.losses[type]?.replace, typeof t.losses[type]?.destroy]).toEqual([type, 'string', 'string']);
});
