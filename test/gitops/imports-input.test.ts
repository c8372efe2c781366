/**
 * `environments/<env>.imports.json` is an input of its environment, loaded with the spec: `affected`, `diff`,
 * `show` and synthesis all see it (issue 12, "Hidden inputs").
 */
import * as fs from 'fs';
import * as path from 'path';
import { seedRepo } from './fixtures';
import { runCli } from './cli-run';
import type { TempRepo } from './git-repo';
import { loadEnvironment } from '../../src/spec/load';
import { loadValidSpecs, synthesize } from '../../src/synth';

const IMPORTS = { imports: { 'aws_mwaa_environment.environment': 'stage' } };

describe('imports file as an input of the environment', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = seedRepo();
    repo.branch('feature');
  });
  afterEach(() => repo.cleanup());

  it('adding, changing or removing only environments/<env>.imports.json makes that environment affected', async () => {
    repo.write('environments/stage.imports.json', JSON.stringify(IMPORTS)).commit('adopt stage');
    expect((await runCli(['-C', repo.dir, 'affected', '--base', 'main'])).stdout).toBe('stage\n');
    const report = JSON.parse((await runCli(['-C', repo.dir, 'affected', '--base', 'main', '--format', 'report'])).stdout);
    expect(JSON.stringify(report)).toContain('imports file environments/stage.imports.json changed');

    repo.checkout('main').write('environments/stage.imports.json', JSON.stringify(IMPORTS)).commit('adopt stage on main');
    repo.branch('edit').write('environments/stage.imports.json', JSON.stringify({ imports: { 'aws_mwaa_environment.environment': 'other' } }));
    expect((await runCli(['-C', repo.dir, 'affected', '--base', 'main'])).stdout).toBe('stage\n');
    repo.remove('environments/stage.imports.json');
    expect((await runCli(['-C', repo.dir, 'affected', '--base', 'main'])).stdout).toBe('stage\n');
  });

  it('diff and show include the imports', async () => {
    repo.write('environments/stage.imports.json', JSON.stringify(IMPORTS));
    const diff = await runCli(['-C', repo.dir, 'diff', '--base', 'main', '--format', 'json']);
    const envs = JSON.parse(diff.stdout) as Array<{ name: string; status: string; entries: unknown[] }> | { environments: Array<{ name: string; status: string; entries: unknown[] }> };
    const list = Array.isArray(envs) ? envs : envs.environments;
    const stage = list.find((e) => e.name === 'stage');
    expect(stage?.status).toBe('changed');
    expect(JSON.stringify(stage?.entries)).toContain('aws_mwaa_environment.environment');
    expect(list.filter((e) => e.status === 'changed').map((e) => e.name)).toEqual(['stage']);

    const show = await runCli(['-C', repo.dir, 'show', 'stage']);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('environments/stage.imports.json');
    expect(show.stdout).toMatch(/imports:\n\s+aws_mwaa_environment\.environment: stage/);
  });

  it('synthesis emits import blocks from the loaded spec, not from the disk', () => {
    repo.write('environments/stage.imports.json', JSON.stringify(IMPORTS));
    const loaded = loadValidSpecs(repo.dir, ['stage', 'prod']);
    expect(loaded.ok).toBe(true);
    expect(loaded.specs.map((s) => [s.name, s.imports])).toEqual([['stage', IMPORTS.imports], ['prod', undefined]]);
    // After loading, the disk no longer matters: the file is gone for stage and appears for prod.
    repo.remove('environments/stage.imports.json').write('environments/prod.imports.json', JSON.stringify({ imports: { 'aws_mwaa_environment.environment': 'prod' } }));
    const out = path.join(repo.dir, 'cdktf.out');
    const res = synthesize(loaded.specs, { repoRoot: repo.dir, outDir: out, stateDir: path.join(out, 'state') });
    const tf = (env: string) => JSON.parse(fs.readFileSync(res.find((r) => r.env === env)!.file, 'utf8')) as { import?: unknown };
    expect(tf('stage').import).toEqual([{ id: 'stage', to: 'aws_mwaa_environment.environment' }]);
    expect(tf('prod').import).toBeUndefined();
  });

  it('an invalid imports file is a finding of the loader, not an exception', () => {
    repo.write('environments/stage.imports.json', '{"imports": ["x"]}');
    const r = loadEnvironment('environments/stage.yaml', { repoRoot: repo.dir });
    expect(r.findings).toEqual([expect.objectContaining({ ruleId: 'SPEC-IMPORTS-INVALID', file: path.join(repo.dir, 'environments/stage.imports.json') })]);
    expect(r.doc?.imports).toBeUndefined();
    repo.write('environments/stage.imports.json', 'not json');
    expect(loadEnvironment('environments/stage.yaml', { repoRoot: repo.dir }).findings.map((f) => f.ruleId)).toEqual(['SPEC-IMPORTS-INVALID']);
  });
});
