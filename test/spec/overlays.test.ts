import * as fs from 'fs';
import * as path from 'path';
import { validateFiles, validateText } from '../../src/engine/validate';
import { makeRepo, MINIMAL } from './helpers';

const BASE = `region: eu-west-1
tags: { team: base, cost: shared }
airflow:
  workers: { min: 2, max: 8 }
  configuration:
    core.default_task_retries: "3"
network:
  mode: create
  routing: public
  privateSubnets: [10.192.20.0/24, 10.192.21.0/24]
`;

describe('extends overlays', () => {
  it('deep-merges objects, replaces arrays, and keeps positions from the file that set each value', () => {
    const root = makeRepo({
      'environments/_base.yaml': BASE,
      'environments/e.yaml': `apiVersion: mwaa-gitops/v1
name: e
extends: ./_base.yaml
tags: { team: data }
airflow:
  version: "2.10.3"
  webserverAccess: PUBLIC_ONLY
  workers: { max: 4 }
network:
  privateSubnets: [10.192.30.0/24, 10.192.31.0/24]
`,
    });
    const r = validateFiles(['environments/e.yaml'], { repoRoot: root }).environments[0];
    const d = r.doc!;
    expect(d.files).toEqual([path.join(root, 'environments/_base.yaml'), path.join(root, 'environments/e.yaml')]);
    expect(d.data.region).toBe('eu-west-1');
    expect(d.data.tags).toEqual({ team: 'data', cost: 'shared' });
    expect((d.data.airflow as Record<string, unknown>).workers).toEqual({ min: 2, max: 4 });
    expect((d.data.network as Record<string, unknown>).privateSubnets).toEqual(['10.192.30.0/24', '10.192.31.0/24']);
    const base = path.join(root, 'environments/_base.yaml');
    const env = path.join(root, 'environments/e.yaml');
    expect(d.positions.get('region')).toEqual({ file: base, line: 1, column: 9 });
    expect(d.positions.get('airflow.workers.min')).toEqual({ file: base, line: 4, column: 19 });
    expect(d.positions.get('airflow.workers.max')).toEqual({ file: env, line: 8, column: 19 });
    expect(d.positions.get('network.privateSubnets.1')).toEqual({ file: env, line: 10, column: 36 });
    expect(d.positions.get('tags.cost')?.file).toBe(base);
    expect(d.data.extends).toBe('./_base.yaml');
  });

  it('reports a schema error located in the extended file', () => {
    const root = makeRepo({
      'environments/_base.yaml': 'airflow:\n  environmentClass: mw1.huge\n',
      'environments/e.yaml': `${MINIMAL}extends: ./_base.yaml\n`,
    });
    const r = validateFiles(['environments/e.yaml'], { repoRoot: root });
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ ruleId: 'SCHEMA-enum', file: path.join(root, 'environments/_base.yaml'), line: 2, column: 21 });
  });

  it('reports a missing base at the extends value', () => {
    const root = makeRepo({ 'environments/e.yaml': `${MINIMAL}extends: [./_a.yaml, ./_nope.yaml]\n`, 'environments/_a.yaml': 'tags: {a: b}\n' });
    const f = validateFiles(['environments/e.yaml'], { repoRoot: root }).findings;
    expect(f.map((x) => x.ruleId)).toEqual(['SPEC-EXTENDS-MISSING']);
    expect(f[0]).toMatchObject({ line: 10, column: 22, path: 'extends.1' });
  });

  it('reports a cycle at the extends value that closes it', () => {
    const root = makeRepo({
      'environments/e.yaml': `${MINIMAL}extends: ./_a.yaml\n`,
      'environments/_a.yaml': 'extends: ./_b.yaml\n',
      'environments/_b.yaml': 'extends: ./_a.yaml\n',
    });
    const f = validateFiles(['environments/e.yaml'], { repoRoot: root }).findings;
    expect(f.map((x) => x.ruleId)).toEqual(['SPEC-EXTENDS-CYCLE']);
    expect(f[0]).toMatchObject({ file: path.join(root, 'environments/_b.yaml'), line: 1, column: 10 });
    expect(f[0].message).toContain('_a.yaml -> environments/_b.yaml -> environments/_a.yaml');
  });

  it('refuses a base outside the repository, also through a symlink', () => {
    const outside = makeRepo({ 'x.yaml': 'tags: {a: b}\n' });
    const root = makeRepo({ 'environments/e.yaml': `${MINIMAL}extends: ../../${path.basename(outside)}/x.yaml\n` });
    fs.symlinkSync(path.join(outside, 'x.yaml'), path.join(root, 'environments/_link.yaml'));
    expect(validateFiles(['environments/e.yaml'], { repoRoot: root }).findings.map((f) => f.ruleId)).toEqual(['SPEC-EXTENDS-OUTSIDE-REPO']);
    const r = validateText(`${MINIMAL}extends: ./_link.yaml\n`, { repoRoot: root, file: path.join(root, 'environments/e2.yaml') });
    expect(r.findings.map((f) => f.ruleId)).toEqual(['SPEC-EXTENDS-OUTSIDE-REPO']);
  });

  it('reports a YAML error inside a base file at its own line', () => {
    const root = makeRepo({ 'environments/_a.yaml': 'tags: {a: b}\ntags: {c: d}\n' });
    const r = validateText(`${MINIMAL}extends: ./_a.yaml\n`, { repoRoot: root, file: path.join(root, 'environments/e.yaml') });
    expect(r.findings).toEqual([expect.objectContaining({ ruleId: 'YAML-DUPLICATE-KEY', file: path.join(root, 'environments/_a.yaml'), line: 2 })]);
  });
});
