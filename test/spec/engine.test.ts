import * as path from 'path';
import type { CrossRule, SpecRule } from '../../src/rules/types';
import { discoverEnvironments, resolveTargets, validateFiles, validateText } from '../../src/engine/validate';
import { makeRepo, MINIMAL, REPO_ROOT } from './helpers';

const meta = (id: string) => ({ id, severity: 'error' as const, description: 'test rule', reference: 'test' });

describe('engine', () => {
  it('locates violations by path, walking up to the nearest positioned ancestor', () => {
    const rule: SpecRule = {
      meta: meta('MWAA-TEST-001'),
      check: () => [
        { path: 'airflow.webserverAccess', message: 'exact', fix: 'f' },
        { path: 'airflow.workers.max', message: 'default value', fix: 'f', severity: 'warning' },
        { path: 'network', message: 'key', fix: 'f', atKey: true },
        { path: 'bucket.name', message: 'nothing written', fix: 'f' },
      ],
    };
    const root = makeRepo({});
    const r = validateText(MINIMAL, { repoRoot: root, file: path.join(root, 'environments/e.yaml'), rules: { spec: [rule], cross: [] } });
    expect(r.findings.map((f) => [f.message, f.line, f.column, f.severity])).toEqual([
      ['nothing written', 1, 1, 'error'],
      ['default value', 4, 1, 'warning'],
      ['exact', 6, 20, 'error'],
      ['key', 7, 1, 'error'],
    ]);
  });

  it('turns an exception in a rule into MWAA-INTERNAL naming the rule', () => {
    const boom: SpecRule = { meta: meta('MWAA-TEST-002'), check: () => { throw new Error('kaput'); } };
    const crossBoom: CrossRule = { meta: meta('MWAA-TEST-X'), check: () => { throw new TypeError('bad'); } };
    const root = makeRepo({ 'environments/e.yaml': MINIMAL });
    const rep = validateFiles(['environments/e.yaml'], { repoRoot: root, rules: { spec: [boom], cross: [crossBoom] } });
    expect(rep.findings.map((f) => [f.ruleId, f.message])).toEqual([
      ['MWAA-INTERNAL', 'rule MWAA-TEST-002 failed on this spec: kaput'],
      ['MWAA-INTERNAL', 'rule MWAA-TEST-X failed on this spec: bad'],
    ]);
  });

  it('routes cross-rule violations to the environment they name', () => {
    const cross: CrossRule = { meta: meta('MWAA-X-TEST'), check: (ctxs) => ctxs.filter((c) => c.spec.name === 'b').map((env) => ({ env, path: 'name', message: 'dup', fix: 'f' })) };
    const root = makeRepo({ 'environments/a.yaml': MINIMAL.replace('minimal', 'a'), 'environments/b.yaml': MINIMAL.replace('minimal', 'b') });
    const rep = validateFiles(resolveTargets(root, []), { repoRoot: root, rules: { spec: [], cross: [cross] } });
    expect(rep.environments.map((e) => e.findings.length)).toEqual([0, 1]);
    expect(rep.findings[0]).toMatchObject({ file: path.join(root, 'environments/b.yaml'), line: 2, column: 7 });
  });

  it('discovers environments (not _bases) and resolves names and paths', () => {
    const root = makeRepo({ 'environments/_base.yaml': 'a: b\n', 'environments/b.yaml': MINIMAL, 'environments/a.yml': MINIMAL, 'environments/notes.txt': '' });
    expect(discoverEnvironments(root)).toEqual([path.join(root, 'environments/a.yml'), path.join(root, 'environments/b.yaml')]);
    expect(resolveTargets(root, ['b', 'environments/a.yml', 'nope'])).toEqual([
      path.join(root, 'environments/b.yaml'),
      path.join(root, 'environments/a.yml'),
      path.join(root, 'environments/nope.yaml'),
    ]);
    expect(validateFiles(['environments/nope.yaml'], { repoRoot: root }).findings.map((f) => f.ruleId)).toEqual(['SPEC-FILE-NOT-FOUND']);
  });

  it('validates the example environments with zero findings under the real rules (but the existing-key reminder)', () => {
    const files = discoverEnvironments(REPO_ROOT);
    expect(files.map((f) => path.basename(f))).toEqual(['analytics-dev.yaml', 'analytics-prod.yaml', 'shared-network.yaml']);
    const rep = validateFiles(files, { repoRoot: REPO_ROOT });
    // kms: existing always warns (MWAA-KMS-002): the key's policy is not the stack's and validation cannot read it.
    expect(rep.findings.map((f) => `${path.basename(f.file)} ${f.severity} ${f.ruleId}`)).toEqual(['shared-network.yaml warning MWAA-KMS-002']);
    expect(rep.environments.every((e) => e.spec !== undefined)).toBe(true);
  });
});

describe('all errors at once', () => {
  it('reports MWAA rule findings alongside schema errors, except on values the schema rejected', () => {
    const text = [
      'apiVersion: mwaa-gitops/v1',
      'name: 9bad',
      'region: us-east-1',
      'airflow:',
      '  version: "2.10.3"',
      '  workrs: { min: 1, max: 5 }',
      '  workers: { min: 6, max: 5 }',
      '  webservers: { min: 2, max: "x" }',
      '',
    ].join('\n');
    const r = validateText(text, { repoRoot: REPO_ROOT, file: path.join(REPO_ROOT, 'environments/bad.yaml') });
    const ids = r.findings.map((f) => `${f.ruleId}@${f.line}`);
    expect(ids).toContain('SCHEMA-additionalProperties@6');
    expect(ids).toContain('MWAA-NAME-001@2');
    expect(ids).toContain('MWAA-AF-006@7');
    // webservers.max is mistyped: the schema reports it, the min<=max rule must not add a verdict on it.
    expect(r.findings.filter((f) => f.path.startsWith('airflow.webservers') && f.ruleId.startsWith('MWAA-'))).toEqual([]);
    expect(r.findings.some((f) => f.ruleId === 'MWAA-INTERNAL')).toBe(false);
    expect(r.spec).toBeUndefined();
  });
});
