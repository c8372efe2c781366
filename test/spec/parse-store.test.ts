/**
 * The parse store (src/spec/parse-store.ts): parses shared between the tool's processes through a file. A "process"
 * here is enableParseStore + a clear in-memory cache, as each CLI process starts. A stored parse is served only for
 * the same text and the same parser; what cannot survive JSON is never stored; a broken store is never an error.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { disableParseStore, enableParseStore, saveParseStore, storeDir, textKey } from '../../src/spec/parse-store';
import { clearParseCache, PARSER_FILES, parseCacheStats, parseYaml } from '../../src/spec/yaml';
import { MINIMAL } from './helpers';

const REPO = path.resolve(__dirname, '..', '..');
let dir: string;

/** A new tool process: the store on (in `dir`), nothing parsed yet in memory. */
function newProcess(version = '1.0.0', files: string[] = [...PARSER_FILES]): void {
  clearParseCache();
  expect(enableParseStore(files, version, { MWAA_GITOPS_CACHE_DIR: dir })).toBe(true);
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-parse-store-'));
});
afterEach(() => {
  disableParseStore();
  clearParseCache();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('parse store', () => {
  it("serves a later process the earlier one's parse of the same text, with its own file in every position", () => {
    newProcess();
    const a = parseYaml('/repo/environments/dev.yaml', MINIMAL);
    expect(saveParseStore()).toBe(1);
    newProcess();
    const b = parseYaml('/tmp/base-tree/environments/dev.yaml', MINIMAL);
    expect(parseCacheStats()).toMatchObject({ storeHits: 1, misses: 0 });
    expect(b.data).toEqual(a.data);
    expect(b.findings).toEqual([]);
    expect([...b.positions.keys()]).toEqual([...a.positions.keys()]);
    for (const [k, at] of b.positions) expect(at).toEqual({ ...a.positions.get(k), file: '/tmp/base-tree/environments/dev.yaml' });
    for (const [k, at] of b.keyPositions) expect(at).toEqual({ ...a.keyPositions.get(k), file: '/tmp/base-tree/environments/dev.yaml' });
    // and its own copy: changing it changes neither the store nor the next caller's
    (b.data as { airflow: { version: string } }).airflow.version = 'changed';
    clearParseCache();
    expect((parseYaml('/x.yaml', MINIMAL).data as { airflow: { version: string } }).airflow.version).toBe('2.10.3');
  });

  it('an edited text is parsed, never served the old parse', () => {
    newProcess();
    parseYaml('/r/dev.yaml', MINIMAL);
    saveParseStore();
    newProcess();
    const edited = MINIMAL.replace('2.10.3', '2.9.2');
    expect(edited).not.toBe(MINIMAL);
    const b = parseYaml('/r/dev.yaml', edited);
    expect(parseCacheStats()).toMatchObject({ storeHits: 0, misses: 1 });
    expect((b.data as { airflow: { version: string } }).airflow.version).toBe('2.9.2');
  });

  it('another parser (other code or tool version) does not read the store', () => {
    newProcess('1.0.0');
    parseYaml('/r/dev.yaml', MINIMAL);
    saveParseStore();
    newProcess('1.0.1');
    parseYaml('/r/dev.yaml', MINIMAL);
    expect(parseCacheStats()).toMatchObject({ storeHits: 0, misses: 1 });
    const other = path.join(dir, 'other-parser.js');
    fs.writeFileSync(other, '// a changed parser\n');
    newProcess('1.0.0', [...PARSER_FILES, other]);
    parseYaml('/r/dev.yaml', MINIMAL);
    expect(parseCacheStats()).toMatchObject({ storeHits: 0, misses: 1 });
    newProcess('1.0.0');
    parseYaml('/r/dev.yaml', MINIMAL);
    expect(parseCacheStats()).toMatchObject({ storeHits: 1, misses: 0 });
  });

  it('values JSON cannot carry (.inf, .nan, -0) are never stored: the next process parses them again', () => {
    const text = 'name: dev\nlimits: { high: .inf, low: -.inf, odd: .nan, zero: -0 }\n';
    newProcess();
    parseYaml('/r/dev.yaml', text);
    expect(saveParseStore()).toBe(0);
    newProcess();
    const b = parseYaml('/r/dev.yaml', text);
    expect(parseCacheStats()).toMatchObject({ storeHits: 0, misses: 1 });
    expect(b.data).toEqual({ name: 'dev', limits: { high: Infinity, low: -Infinity, odd: NaN, zero: -0 } });
    expect(Object.is((b.data as { limits: { zero: number } }).limits.zero, -0)).toBe(true);
  });

  it('a `__proto__` key stays data through the store', () => {
    const text = 'name: dev\ntags: { __proto__: x, team: a }\n';
    newProcess();
    parseYaml('/r/dev.yaml', text);
    saveParseStore();
    newProcess();
    const b = parseYaml('/r/dev.yaml', text);
    expect(parseCacheStats().storeHits).toBe(1);
    const tags = (b.data as { tags: Record<string, unknown> }).tags;
    expect(Object.prototype.hasOwnProperty.call(tags, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(tags)).toBe(Object.prototype);
    expect(Object.keys(tags)).toEqual(['__proto__', 'team']);
  });

  it('a broken or foreign store file is not an error: the text is parsed', () => {
    newProcess();
    parseYaml('/r/dev.yaml', MINIMAL);
    saveParseStore();
    const [file] = fs.readdirSync(dir).filter((f) => f.startsWith('parse-'));
    for (const content of ['{ not json', '[]', JSON.stringify({ format: 2, entries: {} }), '']) {
      fs.writeFileSync(path.join(dir, file), content);
      newProcess();
      const b = parseYaml('/r/dev.yaml', MINIMAL);
      expect(b.findings).toEqual([]);
      expect(parseCacheStats()).toMatchObject({ storeHits: 0, misses: 1 });
    }
  });

  it('a save keeps what another process saved meanwhile (merged, not overwritten)', () => {
    const other = MINIMAL.replace('name: minimal', 'name: other');
    newProcess();
    parseYaml('/r/a.yaml', MINIMAL);
    saveParseStore();
    newProcess();
    parseYaml('/r/b.yaml', other);
    // meanwhile another process saves its parse of a third text
    const [file] = fs.readdirSync(dir).filter((f) => f.startsWith('parse-'));
    const doc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { entries: Record<string, unknown> };
    const third = 'name: third\n';
    doc.entries[textKey(third)] = { data: { name: 'third' }, positions: [['', 1, 1], ['name', 1, 7]], keyPositions: [['name', 1, 1]] };
    fs.writeFileSync(path.join(dir, file), JSON.stringify(doc));
    expect(saveParseStore()).toBe(1);
    const saved = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { entries: Record<string, unknown> };
    expect(Object.keys(saved.entries).sort()).toEqual([textKey(MINIMAL), textKey(other), textKey(third)].sort());
    newProcess();
    parseYaml('/r/a.yaml', MINIMAL);
    parseYaml('/r/b.yaml', other);
    expect(parseYaml('/r/c.yaml', third).data).toEqual({ name: 'third' });
    expect(parseCacheStats()).toMatchObject({ storeHits: 3, misses: 0 });
  });

  it('is off with MWAA_GITOPS_CACHE=off, and never lives in the repository', () => {
    expect(storeDir({ MWAA_GITOPS_CACHE: 'off', HOME: '/home/u' })).toBeUndefined();
    expect(storeDir({ HOME: '/home/u' })).toBe('/home/u/.cache/mwaa-gitops');
    expect(storeDir({ HOME: '/home/u', XDG_CACHE_HOME: '/var/cache/u' })).toBe('/var/cache/u/mwaa-gitops');
    expect(storeDir({ HOME: '/home/u', MWAA_GITOPS_CACHE_DIR: '/tmp/c' })).toBe('/tmp/c');
    expect(enableParseStore([...PARSER_FILES], '1', { MWAA_GITOPS_CACHE: 'off' })).toBe(false);
    parseYaml('/r/dev.yaml', MINIMAL);
    expect(saveParseStore()).toBe(0);
  });

  it('the CLI process writes the store (validate), and a second run reads it with the same output', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-parse-store-repo-'));
    try {
      fs.mkdirSync(path.join(repo, 'environments'));
      fs.writeFileSync(path.join(repo, 'environments', 'dev.yaml'), MINIMAL);
      const cli = (env: NodeJS.ProcessEnv) =>
        spawnSync(process.execPath, [path.join(REPO, 'test', 'support', 'mwaa-gitops-from-source.js'), '-C', repo, 'validate', '--format', 'json'], {
          env: { ...process.env, ...env },
          encoding: 'utf8',
        });
      const first = cli({ MWAA_GITOPS_CACHE_DIR: dir });
      const stores = fs.readdirSync(dir).filter((f) => /^parse-[0-9a-f]{16}\.json$/.test(f));
      expect(stores).toHaveLength(1);
      const stored = JSON.parse(fs.readFileSync(path.join(dir, stores[0]), 'utf8')) as { entries: Record<string, unknown> };
      expect(Object.keys(stored.entries)).toHaveLength(1);
      const second = cli({ MWAA_GITOPS_CACHE_DIR: dir });
      const off = cli({ MWAA_GITOPS_CACHE: 'off' });
      expect({ code: second.status, out: second.stdout, err: second.stderr }).toEqual({ code: first.status, out: first.stdout, err: first.stderr });
      expect({ code: off.status, out: off.stdout, err: off.stderr }).toEqual({ code: first.status, out: first.stdout, err: first.stderr });
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });
});
