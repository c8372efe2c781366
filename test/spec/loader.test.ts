import * as path from 'path';
import { loadEnvironment } from '../../src/spec/load';
import { parseYaml, MAX_ALIAS_COUNT } from '../../src/spec/yaml';
import { validateFiles, validateText } from '../../src/engine/validate';
import * as fs from 'fs';
import { makeRepo, MINIMAL } from './helpers';

describe('YAML loader', () => {
  it('records value and key positions for every key, array indices as numbers', () => {
    const text = 'a: 1\nnet:\n  subnets:\n    - 10.0.0.0/24\n    - 10.0.1.0/24\n  mode: create\n';
    const p = parseYaml('/x/e.yaml', text);
    expect(p.findings).toEqual([]);
    expect(p.positions.get('a')).toEqual({ file: '/x/e.yaml', line: 1, column: 4 });
    expect(p.keyPositions.get('net.subnets')).toEqual({ file: '/x/e.yaml', line: 3, column: 3 });
    expect(p.positions.get('net.subnets.1')).toEqual({ file: '/x/e.yaml', line: 5, column: 7 });
    expect(p.positions.get('net.mode')).toEqual({ file: '/x/e.yaml', line: 6, column: 9 });
  });

  it('reports duplicate keys with the line of the second key', () => {
    const p = parseYaml('/x/e.yaml', 'name: a\nregion: us-east-1\nname: b\n');
    expect(p.findings).toHaveLength(1);
    expect(p.findings[0]).toMatchObject({ ruleId: 'YAML-DUPLICATE-KEY', line: 3, column: 1 });
    expect(p.findings[0].message).toContain('`name`');
  });

  it('reports syntax errors with a position', () => {
    const p = parseYaml('/x/e.yaml', 'name: a\nairflow:\n  workers: [1, 2\n');
    expect(p.findings.length).toBeGreaterThan(0);
    expect(p.findings[0].ruleId).toBe('YAML-SYNTAX');
    expect(p.findings[0].line).toBeGreaterThanOrEqual(3);
  });

  it.each([
    ['? [a, b]\n: 1\n', 'sequence', '[a, b]', 1, 5],
    ['  [a, b]: 1\n', 'sequence', '[a, b]', 1, 3],
    ['  { x: 1 }: 2\n', 'mapping', '{ x: 1 }', 1, 3],
  ])('a collection as a key (%j) is the spec\'s error at the key, never a Node process warning', (key, kind, written, dLine, column) => {
    const warn = jest.spyOn(process, 'emitWarning');
    try {
      const text = `name: a\nextra:\n${key.startsWith('?') ? key.replace(/^/gm, '  ').trimEnd() + '\n' : key}region: us-east-1\n`;
      const p = parseYaml('/x/e.yaml', text);
      expect(p.findings).toHaveLength(1);
      expect(p.findings[0]).toMatchObject({ ruleId: 'YAML-SYNTAX', line: 2 + dLine, column });
      expect(p.findings[0].message).toBe(`a ${kind} is used as a key (\`${written}\`): a spec's keys are strings`);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('stops an alias bomb fast with YAML-ALIAS-LIMIT', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const cur = String.fromCharCode(97 + i);
      levels.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const start = Date.now();
    const p = parseYaml('/x/bomb.yaml', `${levels.join('\n')}\n`);
    expect(Date.now() - start).toBeLessThan(2000);
    expect(p.findings.map((f) => f.ruleId)).toEqual(['YAML-ALIAS-LIMIT']);
    expect(p.findings[0].message).toContain(String(MAX_ALIAS_COUNT));
  });

  it('refuses files over 1 MB and binary files', () => {
    const root = makeRepo({ 'environments/big.yaml': `# ${'x'.repeat(1024 * 1024 + 10)}\n`, 'environments/bin.yaml': Buffer.from([0x6e, 0x3a, 0x00, 0x01]) });
    expect(loadEnvironment('environments/big.yaml', { repoRoot: root }).findings.map((f) => f.ruleId)).toEqual(['SPEC-FILE-TOO-LARGE']);
    const bin = loadEnvironment('environments/bin.yaml', { repoRoot: root }).findings;
    expect(bin.map((f) => f.ruleId)).toEqual(['SPEC-BINARY']);
    expect(bin[0]).toMatchObject({ line: 1, column: 3 });
  });

  it('reports empty files and non-mappings', () => {
    const root = makeRepo({});
    const file = path.join(root, 'environments/e.yaml');
    expect(validateText('# nothing\n', { repoRoot: root, file }).findings.map((f) => f.ruleId)).toEqual(['SPEC-EMPTY']);
    expect(validateText('- a\n- b\n', { repoRoot: root, file }).findings.map((f) => f.ruleId)).toEqual(['SPEC-NOT-A-MAPPING']);
    expect(validateText('just text\n', { repoRoot: root, file }).findings.map((f) => f.ruleId)).toEqual(['SPEC-NOT-A-MAPPING']);
  });

  it('keeps a __proto__ key as data and reports it as unknown', () => {
    const root = makeRepo({});
    const r = validateText(`${MINIMAL}__proto__: { polluted: true }\n`, { repoRoot: root, file: path.join(root, 'environments/e.yaml') });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(r.findings.map((f) => f.ruleId)).toContain('SCHEMA-additionalProperties');
  });

  it('reads a shared base once per batch, and again in the next batch after an edit', () => {
    const env = (n: string) => `apiVersion: mwaa-gitops/v1\nname: ${n}\nextends: ./_defaults.yaml\nregion: us-east-1\nairflow: { version: "2.10.3" }\nnetwork: { mode: create, routing: public }\n`;
    const root = makeRepo({ 'environments/_defaults.yaml': 'tags: { team: a }\n', 'environments/e1.yaml': env('e1'), 'environments/e2.yaml': env('e2') });
    const files = ['environments/e1.yaml', 'environments/e2.yaml'];
    const first = validateFiles(files, { repoRoot: root });
    expect(first.environments.map((e) => e.spec?.tags)).toEqual([{ team: 'a' }, { team: 'a' }]);
    fs.writeFileSync(path.join(root, 'environments/_defaults.yaml'), 'tags: { team: b }\n');
    const second = validateFiles(files, { repoRoot: root });
    expect(second.environments.map((e) => e.spec?.tags)).toEqual([{ team: 'b' }, { team: 'b' }]);
    // within a batch, a base that failed to read is read again by the next environment (only clean reads are kept)
    fs.writeFileSync(path.join(root, 'environments/_defaults.yaml'), Buffer.from([0x74, 0x3a, 0x00]));
    const third = validateFiles(files, { repoRoot: root });
    expect(third.environments.map((e) => e.findings.filter((f) => f.ruleId === 'SPEC-BINARY').length)).toEqual([1, 1]);
  });
});
