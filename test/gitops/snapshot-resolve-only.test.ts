/**
 * `diff` snapshots its trees without the MWAA rules (src/gitops/snapshot.ts `resolveOnly`): what it compares and
 * shows (names, files, dependencies, comparable data, the problems of an environment that does not resolve) must be
 * exactly what a full validation gives, on valid specs, specs with rule errors, schema errors and unparsable ones.
 */
import * as fs from 'fs';
import * as path from 'path';
import { snapshotTree } from '../../src/gitops/snapshot';
import { makeRepo, REPO_ROOT } from '../spec/helpers';

function corpusRepo(): string {
  const files: Record<string, string | Buffer> = {};
  for (const d of ['environments', 'airflow']) {
    const dir = path.join(REPO_ROOT, d);
    for (const f of fs.readdirSync(dir, { recursive: true }) as string[]) {
      const p = path.join(dir, f);
      if (fs.statSync(p).isFile()) files[`${d}/${f}`] = fs.readFileSync(p);
    }
  }
  const bad = path.join(REPO_ROOT, 'test', 'fixtures', 'bad-specs');
  for (const f of fs.readdirSync(bad).filter((n) => /\.ya?ml$/.test(n))) files[`environments/bad-${f}`] = fs.readFileSync(path.join(bad, f));
  // a rule error on a schema-valid spec: overlapping subnets
  files['environments/overlap.yaml'] = fs
    .readFileSync(path.join(REPO_ROOT, 'environments', 'analytics-dev.yaml'), 'utf8')
    .replace(/name: analytics-dev/, 'name: overlap')
    .replace(/privateSubnets: \[[^\]]*\]/, 'privateSubnets: [10.0.0.0/24, 10.0.0.0/25]');
  // a schema error beside a pinned artifact: the data is then the resolved document (the typed spec moves it to `pinned`)
  files['environments/schema-error.yaml'] = fs
    .readFileSync(path.join(REPO_ROOT, 'environments', 'analytics-dev.yaml'), 'utf8')
    .replace(/name: analytics-dev/, 'name: schema-error')
    .replace(/schedulers: 2/, 'schedulers: many')
    .replace(/requirements: \{ source: airflow\/requirements.txt \}/, 'requirements: { key: requirements.txt, versionId: v1 }');
  return makeRepo(files);
}

describe('snapshotTree resolveOnly', () => {
  it('gives the same names, files, dependencies and data as a full validation', () => {
    const repo = corpusRepo();
    const full = snapshotTree(repo);
    const light = snapshotTree(repo, undefined, { resolveOnly: true });
    expect(full.environments.length).toBeGreaterThan(100);
    expect(light.environments.map((e) => e.name)).toEqual(full.environments.map((e) => e.name));
    let ruleErrors = 0;
    let unresolved = 0;
    for (let i = 0; i < full.environments.length; i++) {
      const f = full.environments[i];
      const l = light.environments[i];
      expect({ name: l.name, file: l.file, deps: l.deps, data: l.data }).toEqual({ name: f.name, file: f.file, deps: f.deps, data: f.data });
      if (!f.data) {
        unresolved++;
        // diff shows these findings for an environment that does not resolve
        expect(l.result.findings).toEqual(f.result.findings);
      }
      if (f.result.findings.some((x) => x.severity === 'error' && x.ruleId.startsWith('MWAA-'))) ruleErrors++;
      // no rule ran, so no spec is vouched for
      expect(l.spec).toBeUndefined();
      expect(l.result.findings.some((x) => x.ruleId.startsWith('MWAA-'))).toBe(false);
    }
    expect(unresolved).toBeGreaterThan(10);
    expect(ruleErrors).toBeGreaterThan(5);
    expect(full.environments.find((e) => e.name === 'overlap')?.result.findings.map((x) => x.ruleId)).toContain('MWAA-NET-003');
    const schemaError = full.environments.find((e) => e.name === 'schema-error')!;
    expect(schemaError.result.findings.map((x) => x.ruleId)).toContain('SCHEMA-type');
    expect(schemaError.data?.bucket).toMatchObject({ requirements: { key: 'requirements.txt', versionId: 'v1' } });
    expect(schemaError.data?.bucket).not.toHaveProperty('pinned');
  });
});
