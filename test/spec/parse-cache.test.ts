/**
 * The parse cache (src/spec/yaml.ts): a parse is reused only for the same text, each caller gets its own copy, and
 * an edit between two calls in one process is always seen.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadEnvironment } from '../../src/spec/load';
import { validateFiles } from '../../src/engine/validate';
import { clearParseCache, parseCacheStats, parseYaml } from '../../src/spec/yaml';
import { makeRepo, MINIMAL } from './helpers';

beforeEach(() => clearParseCache());

describe('parse cache', () => {
  it('reuses the parse of the same text under another path, with that path in every position', () => {
    const a = parseYaml('/a/dev.yaml', MINIMAL);
    const b = parseYaml('/b/dev.yaml', MINIMAL);
    expect(parseCacheStats()).toMatchObject({ hits: 1, misses: 1 });
    expect(b.data).toEqual(a.data);
    expect([...b.positions.keys()]).toEqual([...a.positions.keys()]);
    for (const [k, at] of b.positions) expect(at).toEqual({ ...a.positions.get(k), file: '/b/dev.yaml' });
    for (const [k, at] of b.keyPositions) expect(at).toEqual({ ...a.keyPositions.get(k), file: '/b/dev.yaml' });
  });

  it('gives each caller its own data and maps: changing one result does not change the next', () => {
    const a = parseYaml('/r/dev.yaml', MINIMAL);
    (a.data as { airflow: { version: string } }).airflow.version = 'changed';
    (a.data as Record<string, unknown>).extra = 1;
    a.positions.clear();
    a.keyPositions.set('x', { file: 'x', line: 9, column: 9 });
    const b = parseYaml('/r/dev.yaml', MINIMAL);
    const c = parseYaml('/r/dev.yaml', MINIMAL);
    expect(parseCacheStats().hits).toBe(2);
    expect((b.data as { airflow: { version: string } }).airflow.version).toBe('2.10.3');
    expect(b.data).not.toHaveProperty('extra');
    expect(b.positions.get('airflow.version')).toEqual({ file: '/r/dev.yaml', line: 5, column: 12 });
    expect(b.keyPositions.has('x')).toBe(false);
    (b.data as { network: { mode: string } }).network.mode = 'existing';
    expect((c.data as { network: { mode: string } }).network.mode).toBe('create');
  });

  it('sees a file edited between two loads in one process (the environment and its base)', () => {
    const repo = makeRepo({
      'environments/_defaults.yaml': 'tags: { team: a }\n',
      'environments/dev.yaml': `extends: ./_defaults.yaml\n${MINIMAL}`,
    });
    const file = path.join(repo, 'environments', 'dev.yaml');
    const first = loadEnvironment(file, { repoRoot: repo });
    expect((first.doc?.data.airflow as { version: string }).version).toBe('2.10.3');
    expect(first.doc?.data.tags).toEqual({ team: 'a' });
    // same length, same size on disk: only the content tells the edit apart
    fs.writeFileSync(file, `extends: ./_defaults.yaml\n${MINIMAL.replace('2.10.3', '2.10.1')}`);
    fs.writeFileSync(path.join(repo, 'environments', '_defaults.yaml'), 'tags: { team: b }\n');
    const second = loadEnvironment(file, { repoRoot: repo });
    expect((second.doc?.data.airflow as { version: string }).version).toBe('2.10.1');
    expect(second.doc?.data.tags).toEqual({ team: 'b' });
    // and back: the old text is served from the cache, still right
    fs.writeFileSync(file, `extends: ./_defaults.yaml\n${MINIMAL}`);
    const third = loadEnvironment(file, { repoRoot: repo });
    expect((third.doc?.data.airflow as { version: string }).version).toBe('2.10.3');
    expect(parseCacheStats().hits).toBeGreaterThan(0);
  });

  it('a file that becomes invalid between two validations is reported, and valid again is clean', () => {
    const repo = makeRepo({ 'environments/dev.yaml': MINIMAL.replace('name: minimal', 'name: dev') });
    const file = path.join(repo, 'environments', 'dev.yaml');
    expect(validateFiles([file], { repoRoot: repo }).findings.filter((f) => f.severity === 'error')).toEqual([]);
    fs.writeFileSync(file, `${MINIMAL.replace('name: minimal', 'name: dev')}name: again\n`);
    expect(validateFiles([file], { repoRoot: repo }).findings.map((f) => f.ruleId)).toContain('YAML-DUPLICATE-KEY');
    fs.writeFileSync(file, MINIMAL.replace('name: minimal', 'name: dev'));
    expect(validateFiles([file], { repoRoot: repo }).findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('does not cache a document with aliases: anchor and alias stay one object, as the parser made them', () => {
    const text = 'a: &x { k: 1 }\nb: *x\n';
    for (let i = 0; i < 2; i++) {
      const r = parseYaml('/r/x.yaml', text);
      const d = r.data as { a: object; b: object };
      expect(d.b).toBe(d.a);
    }
    expect(parseCacheStats()).toMatchObject({ hits: 0, entries: 0 });
  });

  it('does not cache a parse with findings (each file gets its own, located in it)', () => {
    const text = 'a: 1\na: 2\n';
    const one = parseYaml('/r/one.yaml', text);
    const two = parseYaml('/r/two.yaml', text);
    expect(one.findings[0].file).toBe('/r/one.yaml');
    expect(two.findings[0].file).toBe('/r/two.yaml');
    expect(parseCacheStats()).toMatchObject({ hits: 0, entries: 0 });
  });

  it('keeps a `__proto__` key as data in a copy', () => {
    const text = '__proto__: { polluted: true }\nname: x\n';
    parseYaml('/r/p.yaml', text);
    const r = parseYaml('/r/p.yaml', text);
    expect(parseCacheStats().hits).toBe(1);
    const d = r.data as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(d, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(d)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
