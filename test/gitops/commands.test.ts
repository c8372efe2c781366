/** affected / diff / cost on real git history in a temporary repository. */
import { envYaml } from './fixtures';
import { seedRepo } from './fixtures';
import { runCli } from './cli-run';
import { TempRepo } from './git-repo';

describe('GitOps commands on a real repository', () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = seedRepo();
    repo.branch('feature');
  });
  afterEach(() => repo.cleanup());

  it('affected: own spec, artifact, new and deleted environments; json matrix', async () => {
    repo.write('environments/dev.yaml', envYaml('dev', { extendsDefaults: true, max: 8, config: { 'core.default_task_retries': '3', 'smtp.smtp_password': 'hunter3' } }));
    repo.write('airflow/requirements.txt', 'apache-airflow-providers-amazon==9.0.0\n');
    repo.remove('environments/old.yaml');
    repo.commit('change dev, requirements; delete old');
    repo.write('environments/new.yaml', envYaml('new')); // untracked: still part of the change
    repo.write('dags/hello.py', 'print("changed")\n'); // DAGs do not affect environments

    const names = await runCli(['-C', repo.dir, 'affected', '--base', 'main']);
    expect(names.code).toBe(0);
    expect(names.stdout).toBe('dev\nnew\nprod\n');
    expect(names.stderr).toContain('deleted environments (not planned): old (environments/old.yaml)');

    const json = await runCli(['-C', repo.dir, 'affected', '--base', 'main', '--format', 'json']);
    expect(Object.keys(JSON.parse(json.stdout))).toEqual(['include']); // nothing else: extra keys would become matrix dimensions
    const report = await runCli(['-C', repo.dir, 'affected', '--base', 'main', '--format', 'report']);
    const m = JSON.parse(report.stdout);
    expect(JSON.parse(json.stdout).include).toEqual(m.include);
    expect(m.include).toEqual([
      { env: 'dev', file: 'environments/dev.yaml' },
      { env: 'new', file: 'environments/new.yaml' },
      { env: 'prod', file: 'environments/prod.yaml' },
    ]);
    expect(m.deleted).toEqual([{ env: 'old', file: 'environments/old.yaml' }]);
    expect(m.reasons.prod).toEqual(['artifact airflow/requirements.txt changed']);
    expect(m.reasons.new).toEqual(['new spec environments/new.yaml']);

    const committed = await runCli(['-C', repo.dir, 'affected', '--base', 'main', '--committed-only']);
    expect(committed.stdout).toBe('dev\nprod\n');
  });

  it('affected: an extended _defaults file or tool code affects every environment', async () => {
    repo.write('environments/_defaults.yaml', 'tags:\n  owner: data\n').commit('defaults');
    expect((await runCli(['-C', repo.dir, 'affected', '--base', 'main'])).stdout).toBe('dev\nold\nprod\nstage\n');
    const j = JSON.parse((await runCli(['-C', repo.dir, 'affected', '--base', 'main', '--format', 'report'])).stdout);
    expect(j.all).toBe(true);
    expect(j.reasons.dev).toEqual(['extended file environments/_defaults.yaml changed', 'defaults environments/_defaults.yaml changed']);

    // the tool's own repository (package.json named mwaa-gitops): its code affects every environment
    repo.checkout('main').write('package.json', '{ "name": "mwaa-gitops" }\n').commit('the tool itself');
    repo.branch('tool');
    repo.write('src/synth.ts', '// changed\n').commit('tool change');
    expect((await runCli(['-C', repo.dir, 'affected', '--base', 'main'])).stdout).toBe('dev\nold\nprod\nstage\n');
  });

  it('affected --all lists every environment; --base or --all is required', async () => {
    const all = await runCli(['-C', repo.dir, 'affected', '--all', '--format', 'json']);
    expect(JSON.parse(all.stdout).include.map((i: { env: string }) => i.env)).toEqual(['dev', 'old', 'prod', 'stage']);
    const none = await runCli(['-C', repo.dir, 'affected']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('give --base <ref>');
    const bad = await runCli(['-C', repo.dir, 'affected', '--all', '--format', 'yaml']);
    expect(bad.code).toBe(1);
  });

  it('affected: a bad ref is a one-line error, exit 1', async () => {
    const r = await runCli(['-C', repo.dir, 'affected', '--base', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/'nope' does not name a commit/);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('diff: resolved-spec changes, masked secrets, new and deleted environments; exit 0, 2 only with --detailed-exitcode', async () => {
    repo.write('environments/dev.yaml', envYaml('dev', { extendsDefaults: true, max: 8, config: { 'smtp.smtp_password': 'hunter3', 'webserver.instance_name': 'Dev' } }));
    repo.write('environments/_defaults.yaml', 'tags:\n  owner: data\n');
    repo.remove('environments/old.yaml');
    repo.write('environments/new.yaml', envYaml('new'));
    repo.commit('changes');

    const r = await runCli(['-C', repo.dir, 'diff', '--base', 'main']);
    expect(r.code).toBe(0);
    expect((await runCli(['-C', repo.dir, 'diff', '--base', 'main', '--detailed-exitcode'])).code).toBe(2);
    const text = r.stdout;
    expect(text).toContain('dev: 5 changes');
    expect(text).toContain('~ airflow.workers.max: 5 -> 8');
    expect(text).toContain('- airflow.configuration["core.default_task_retries"]: 3');
    expect(text).toContain('+ airflow.configuration["webserver.instance_name"]: Dev');
    expect(text).toContain('~ airflow.configuration["smtp.smtp_password"]: **** -> ****');
    expect(text).toContain('~ tags.owner: platform -> data'); // from the extended file, after overlays
    expect(text).toContain('new: NEW environment');
    expect(text).toContain('old: DELETED environment');
    expect(text).not.toMatch(/hunter/);
    expect(text).not.toContain('stage'); // unchanged environments are left out

    const one = await runCli(['-C', repo.dir, 'diff', '--base', 'main', 'stage', '--format', 'json']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).environments).toEqual([{ name: 'stage', status: 'unchanged', entries: [], dangers: [] }]);
    expect((await runCli(['-C', repo.dir, 'diff', '--base', 'main', 'stage', '--detailed-exitcode'])).code).toBe(0);

    const md = await runCli(['-C', repo.dir, 'diff', '--base', 'main', 'dev', '--format', 'markdown']);
    expect(md.stdout).toContain('### `dev`');
    expect(md.stdout).toContain('```diff');
  });

  it('diff: a change that forces a replacement is a danger even without a plan; CIDRs and IDs are shown, not masked', async () => {
    const own = new TempRepo();
    try {
      const net = (subnet2: string) => ['network:', '  mode: existing', '  vpcId: vpc-0123456789abcdef0', `  subnetIds: [subnet-0aaaaaaaaaaaaaaa1, ${subnet2}]`, '  securityGroupIds: [sg-0123456789abcdef0]', 'protection:', '  preventDestroy: true'].join('\n');
      own.write('environments/stage.yaml', envYaml('stage', { network: net('subnet-0bbbbbbbbbbbbbbb2') })).commit('stage on an existing network');
      own.write('environments/stage.yaml', envYaml('stage', { network: net('subnet-0ccccccccccccccc3') }));
      const r = await runCli(['-C', own.dir, 'diff', '--base', 'main', 'stage']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('stage: 1 change\n  DANGER: replaces stage (protected: apply will refuse); loses the metadata database');
      expect(r.stdout).toContain('network.subnetIds: ["subnet-0aaaaaaaaaaaaaaa1","subnet-0bbbbbbbbbbbbbbb2"] -> ["subnet-0aaaaaaaaaaaaaaa1","subnet-0ccccccccccccccc3"]');
      const md = await runCli(['-C', own.dir, 'diff', '--base', 'main', 'stage', '--format', 'markdown']);
      expect(md.stdout).toContain('> [!CAUTION]\n> **Danger**: replaces `stage` (protected: apply will refuse)');
      const json = JSON.parse((await runCli(['-C', own.dir, 'diff', '--base', 'main', 'stage', '--format', 'json'])).stdout);
      expect(json.environments[0].dangers[0]).toMatchObject({ effect: 'replaces', subject: 'environment', protected: true, causes: [{ field: 'network.subnetIds' }] });
    } finally {
      own.cleanup();
    }
  });

  it('diff: an artifact content change shows as a hash change', async () => {
    repo.write('airflow/requirements.txt', 'boto3\n').commit('reqs');
    const r = await runCli(['-C', repo.dir, 'diff', '--base', 'main']);
    expect(r.stdout).toMatch(/prod: 1 change\n  ~ bucket\.requirements\.contentSha256: [0-9a-f]{16} -> [0-9a-f]{16}/);
  });

  it('cost: range per environment, and the change against a base', async () => {
    const r = await runCli(['-C', repo.dir, 'cost', 'dev', 'prod']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^dev \(mw1\.small, us-east-1\): \$[\d,.]+ – \$[\d,.]+\/month/m);
    expect(r.stdout).toMatch(/^prod /m);
    repo.write('environments/dev.yaml', envYaml('dev', { extendsDefaults: true, max: 20, cls: 'mw1.medium' })).commit('bigger');
    const j = JSON.parse((await runCli(['-C', repo.dir, 'cost', 'dev', '--base', 'main', '--format', 'json'])).stdout);
    expect(j.base[0].environmentClass).toBe('mw1.small');
    expect(j.estimates[0].environmentClass).toBe('mw1.medium');
    expect(j.estimates[0].max).toBeGreaterThan(j.base[0].max);
    const missing = await runCli(['-C', repo.dir, 'cost', 'nosuch']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no valid spec for: nosuch');
  });
});
