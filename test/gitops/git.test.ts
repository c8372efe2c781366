import * as fs from 'fs';
import * as path from 'path';
import { changedFiles, materializeTree, removeTree, resolveCommit, showFile } from '../../src/gitops/git';
import { computeAffected, formatAffected } from '../../src/gitops/affected';
import { TempRepo } from './git-repo';

describe('git change set (real git)', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = new TempRepo();
    repo.write('environments/dev.yaml', 'name: dev\n').write('environments/prod.yaml', 'name: prod\n').write('README.md', 'x\n');
    repo.commit('base');
  });
  afterEach(() => repo.cleanup());

  it('unions branch commits (merge-base diff), uncommitted edits and untracked files', async () => {
    repo.branch('feature');
    repo.write('environments/dev.yaml', 'name: dev\n# edited\n');
    repo.commit('edit dev');
    repo.write('environments/prod.yaml', 'name: prod\n# uncommitted\n');
    repo.write('environments/new.yaml', 'name: new\n');
    // A commit on main after the branch point must not count (three-dot diff).
    repo.checkout('main').write('README.md', 'changed on main\n').commit('main moves');
    repo.checkout('feature');
    repo.write('environments/prod.yaml', 'name: prod\n# uncommitted\n').write('environments/new.yaml', 'name: new\n');
    const files = await changedFiles(repo.dir, 'main');
    expect(files).toEqual([
      { path: 'environments/dev.yaml', status: 'M' },
      { path: 'environments/new.yaml', status: 'A' },
      { path: 'environments/prod.yaml', status: 'M' },
    ]);
    const committedOnly = await changedFiles(repo.dir, 'main', { workingTree: false });
    expect(committedOnly.map((f) => f.path)).toEqual(['environments/dev.yaml']);
  });

  it('reports deletions and renames as delete + add', async () => {
    repo.branch('feature');
    repo.git('mv', 'environments/prod.yaml', 'environments/production.yaml');
    repo.remove('environments/dev.yaml');
    repo.commit('rename and delete');
    const files = await changedFiles(repo.dir, 'main');
    expect(files).toEqual([
      { path: 'environments/dev.yaml', status: 'D' },
      { path: 'environments/prod.yaml', status: 'D' },
      { path: 'environments/production.yaml', status: 'A' },
    ]);
  });

  it('rejects a ref that is not a commit with a readable error', async () => {
    await expect(resolveCommit(repo.dir, 'no-such-branch')).rejects.toThrow(/does not name a commit/);
    await expect(changedFiles(repo.dir, '--output=/tmp/x')).rejects.toThrow(/not a git revision/);
  });

  it('materializes the base tree and shows files at a ref', async () => {
    const base = repo.git('rev-parse', 'HEAD').trim();
    repo.write('environments/dev.yaml', 'name: dev2\n').commit('second');
    const { root, repoDir } = await materializeTree(repo.dir, base);
    try {
      expect(fs.readFileSync(path.join(repoDir, 'environments/dev.yaml'), 'utf8')).toBe('name: dev\n');
    } finally {
      removeTree(root);
    }
    expect(fs.existsSync(root)).toBe(false);
    expect(await showFile(repo.dir, base, 'environments/dev.yaml')).toBe('name: dev\n');
    expect(await showFile(repo.dir, base, 'environments/none.yaml')).toBeUndefined();
  });
});

describe('computeAffected', () => {
  const root = '/repo';
  const env = (name: string, extra: Partial<{ specFiles: string[]; artifacts: string[] }> = {}) => ({
    name,
    file: `${root}/environments/${name}.yaml`,
    specFiles: extra.specFiles ?? [`${root}/environments/${name}.yaml`],
    artifacts: extra.artifacts ?? [],
  });
  const envs = [
    env('dev', { specFiles: [`${root}/environments/bases/team.yaml`, `${root}/environments/dev.yaml`] }),
    env('prod', { artifacts: [`${root}/airflow/requirements.txt`] }),
    env('stage'),
  ];
  const run = (
    paths: Array<[string, 'A' | 'M' | 'D']>,
    baseEnvs = envs.map((e) => ({ name: e.name, file: `environments/${e.name}.yaml` })),
    tool: { toolRepository?: boolean; toolVersionChanges?: { file: string; change: string }[] } = { toolRepository: true },
  ) => computeAffected({ repoRoot: root, gitTopLevel: root, changes: paths.map(([p, s]) => ({ path: p, status: s })), environments: envs, baseEnvironments: baseEnvs, ...tool });

  it('own spec, extended file and artifact', () => {
    expect(run([['environments/stage.yaml', 'M']]).affected.map((a) => a.name)).toEqual(['stage']);
    const r = run([['environments/bases/team.yaml', 'M'], ['airflow/requirements.txt', 'M']]);
    expect(r.affected).toEqual([
      { name: 'dev', file: 'environments/dev.yaml', reasons: ['extended file environments/bases/team.yaml changed'] },
      { name: 'prod', file: 'environments/prod.yaml', reasons: ['artifact airflow/requirements.txt changed'] },
    ]);
    expect(run([['README.md', 'M'], ['dags/x.py', 'M']]).affected).toEqual([]);
  });

  it('tool code and _defaults affect every environment', () => {
    for (const p of ['src/synth.ts', 'stacks/network.ts', 'package-lock.json', 'data/pricing.json', 'environments/_defaults.yaml', 'schemas/environment.schema.json']) {
      const r = run([[p, 'M']]);
      expect(r.affected.map((a) => a.name)).toEqual(['dev', 'prod', 'stage']);
      expect(r.global).toEqual([p]);
    }
    expect(run([['srcs/x.ts', 'M']]).affected).toEqual([]);
  });

  it('in a repository that installs the tool, its own src/ and package files are not the tool; a version change is', () => {
    const consumer = { toolRepository: false };
    for (const p of ['src/synth.ts', 'stacks/network.ts', 'package.json', 'package-lock.json', 'data/pricing.json']) {
      expect(run([[p, 'M']], undefined, consumer).affected).toEqual([]);
    }
    expect(run([['environments/_defaults.yaml', 'M']], undefined, consumer).affected.map((a) => a.name)).toEqual(['dev', 'prod', 'stage']);
    const change = 'mwaa-gitops 0.1.0 -> 0.2.0 (package-lock.json)';
    const r = run([['package-lock.json', 'M']], undefined, { toolRepository: false, toolVersionChanges: [{ file: 'package-lock.json', change }] });
    expect(r.affected.map((a) => a.name)).toEqual(['dev', 'prod', 'stage']);
    expect(r.global).toEqual(['package-lock.json']);
    expect(r.affected[0].reasons).toEqual([`tool version changed: ${change}`]);
  });

  it('deleted environments are reported separately', () => {
    const r = run([['environments/old.yaml', 'D']], [
      { name: 'old', file: 'environments/old.yaml' },
      { name: 'dev', file: 'environments/dev.yaml' },
    ]);
    expect(r.affected).toEqual([]);
    expect(r.deleted).toEqual([{ name: 'old', file: 'environments/old.yaml' }]);
    const json = JSON.parse(formatAffected(r, 'report'));
    expect(json).toMatchObject({ include: [], count: 0, deleted: [{ env: 'old', file: 'environments/old.yaml' }], all: false });
  });

  it('formats names and a GitHub Actions matrix', () => {
    const r = run([['environments/stage.yaml', 'M'], ['environments/dev.yaml', 'M']]);
    expect(formatAffected(r, 'names')).toBe('dev\nstage\n');
    expect(JSON.parse(formatAffected(r, 'json')).include).toEqual([
      { env: 'dev', file: 'environments/dev.yaml' },
      { env: 'stage', file: 'environments/stage.yaml' },
    ]);
  });
});
