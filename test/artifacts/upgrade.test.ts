/**
 * The upgrade plan (src/artifacts/upgrade.ts) and its PR comment block: pure cases on real specs and artifacts,
 * then the acceptance case through git: a pull request moving analytics-dev from 2.10.3 to 2.11.0 without touching
 * requirements.txt gets an Upgrade block naming the stale constraint line.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseConstraints } from '../../src/artifacts/constraints';
import { planUpgrade, renderUpgradeBlock } from '../../src/artifacts/upgrade';
import { validateText, type EnvironmentResult } from '../../src/engine/validate';
import { gatherPrComment } from '../../src/gitops/pr-comment-data';
import { renderPrComment } from '../../src/gitops/pr-comment';
import { copyReferenced } from '../../src/sandbox/example-repo';
import { TempRepo } from '../gitops/git-repo';
import { GOOD_CONSTRAINT, writeRepo, zip } from '../rules/artifact-cases';
import { baseSpec, set, TODAY, toYaml } from '../rules/fixture';

const REPO = path.resolve(__dirname, '..', '..');

function env(root: string, overrides: Record<string, unknown>): EnvironmentResult {
  const s = baseSpec();
  for (const [k, v] of Object.entries(overrides)) set(s, k, v);
  const file = path.join(root, 'environments', 'x.yaml');
  const text = toYaml(s);
  fs.writeFileSync(file, text);
  return validateText(text, { file, repoRoot: root, today: TODAY });
}

const REQ = { 'bucket.requirements': { source: 'airflow/requirements.txt', key: 'requirements.txt' } };

describe('planUpgrade', () => {
  const root = writeRepo({
    'airflow/requirements.txt': `${GOOD_CONSTRAINT}\napache-airflow-providers-snowflake==5.8.0\nrequests==2.31.0\n`,
    'airflow/plugins.zip': zip({ 'numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.whl': 'w', 'six-1.16.0-py2.py3-none-any.whl': 'w' }),
  });
  const plugins = { 'bucket.plugins': { source: 'airflow/plugins.zip', key: 'plugins.zip' } };
  const base = env(root, { ...REQ, ...plugins });

  test('minor upgrade: in place first, stale constraint line, Python change with the old wheels, no renamed options', () => {
    const head = env(root, { ...REQ, ...plugins, 'airflow.version': '2.11.0' });
    const plan = planUpgrade('x', { spec: base.spec!, doc: base.doc }, { spec: head.spec!, doc: head.doc })!;
    expect(plan.kind).toBe('minor-upgrade');
    expect(plan.inPlace).toBe(true);
    expect(plan.headline).toMatch(/^In-place upgrade 2\.10\.3 -> 2\.11\.0: .*up to 2 hours; running tasks stop\.$/);
    expect(plan.staleConstraint).toEqual({ file: 'airflow/requirements.txt', line: 1, written: 'https://raw.githubusercontent.com/apache/airflow/constraints-2.10.3/constraints-3.11.txt', expected: 'https://raw.githubusercontent.com/apache/airflow/constraints-2.11.0/constraints-3.12.txt' });
    expect(plan.options).toEqual([]);
    expect(plan.python).toEqual({ from: '3.11', to: '3.12', wheels: ['numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.whl (3.11)'] });
    expect(plan.conflicts).toBeUndefined();
    const md = renderUpgradeBlock(plan);
    const lines = md.split('\n');
    expect(lines[0]).toBe('#### Upgrade: Airflow 2.10.3 -> 2.11.0');
    expect(lines[2]).toMatch(/^:arrows_counterclockwise: \*\*In-place upgrade/);
    expect(md).toContain('**Stale constraint line** airflow/requirements.txt:1 still names');
    expect(md).toContain('not checked here (no local copy of https://raw.githubusercontent.com/apache/airflow/constraints-2.11.0/constraints-3.12.txt)');
    expect(md).toContain('**Python 3.11 -> 3.12**');
  });

  test('requirements that conflict with the target constraints, at their lines', () => {
    const head = env(root, { ...REQ, 'airflow.version': '2.11.0' });
    const pins = parseConstraints('apache-airflow==2.11.0\napache-airflow-providers-snowflake==6.3.0\nrequests==2.31.0\n');
    const plan = planUpgrade('x', { spec: base.spec! }, { spec: head.spec!, doc: head.doc }, pins)!;
    expect(plan.conflicts).toEqual([{ file: 'airflow/requirements.txt', line: 2, requirement: 'apache-airflow-providers-snowflake==5.8.0', constraint: 'apache-airflow-providers-snowflake==6.3.0' }]);
    expect(renderUpgradeBlock(plan)).toContain('airflow/requirements.txt:2 `apache-airflow-providers-snowflake==5.8.0` vs `apache-airflow-providers-snowflake==6.3.0`');
  });

  test('major upgrade: replacement first, renamed options with their new names', () => {
    const b = env(root, { 'airflow.configuration': { 'scheduler.parsing_processes': '1', 'scheduler.scheduler_zombie_task_threshold': '600', 'core.check_slas': 'False' } });
    const h = env(root, { 'airflow.version': '3.0.6', 'airflow.configuration': { 'scheduler.parsing_processes': '1', 'scheduler.scheduler_zombie_task_threshold': '600', 'core.check_slas': 'False' } });
    const plan = planUpgrade('x', { spec: b.spec! }, { spec: h.spec!, doc: h.doc })!;
    expect(plan.kind).toBe('major-upgrade');
    expect(plan.inPlace).toBe(false);
    expect(plan.headline).toMatch(/^REPLACEMENT 2\.10\.3 -> 3\.0\.6/);
    expect(plan.options.map((o) => [o.key, o.renamedTo])).toEqual([
      ['core.check_slas', undefined],
      ['scheduler.parsing_processes', 'dag_processor.parsing_processes'],
      ['scheduler.scheduler_zombie_task_threshold', 'scheduler.task_instance_heartbeat_timeout'],
    ]);
    const md = renderUpgradeBlock(plan);
    expect(md.split('\n')[2]).toMatch(/^:warning: \*\*REPLACEMENT/);
    expect(md).toMatch(/`scheduler\.parsing_processes` \(environments\/x\.yaml:\d+\) -> renamed to `dag_processor\.parsing_processes`/);
  });

  test('downgrades: minor in place, across majors only to 2.11', () => {
    const h = env(root, { 'airflow.version': '2.9.2' });
    expect(planUpgrade('x', { spec: base.spec! }, { spec: h.spec! })!.kind).toBe('minor-downgrade');
    const three = env(root, { 'airflow.version': '3.0.6', 'airflow.configuration': {} });
    const to211 = env(root, { 'airflow.version': '2.11.0' });
    const ok = planUpgrade('x', { spec: three.spec! }, { spec: to211.spec! })!;
    expect(ok.headline).toMatch(/^In-place major downgrade 3\.0\.6 -> 2\.11\.0/);
    const bad = planUpgrade('x', { spec: three.spec! }, { spec: base.spec! })!;
    expect(bad.headline).toMatch(/^UNSUPPORTED downgrade 3\.0\.6 -> 2\.10\.3/);
  });

  test('no version change, no plan', () => {
    expect(planUpgrade('x', { spec: base.spec! }, { spec: base.spec! })).toBeUndefined();
  });
});

describe('PR comment: analytics-dev 2.10.3 -> 2.11.0 without touching requirements.txt', () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = new TempRepo();
    fs.mkdirSync(path.join(repo.dir, 'environments'));
    copyReferenced(REPO, repo.dir);
    fs.copyFileSync(path.join(REPO, 'environments', 'analytics-dev.yaml'), path.join(repo.dir, 'environments', 'analytics-dev.yaml'));
    repo.commit('base');
    repo.branch('upgrade');
    const spec = repo.read('environments/analytics-dev.yaml').replace('airflow:\n', 'airflow:\n  version: "2.11.0"\n');
    repo.write('environments/analytics-dev.yaml', spec).commit('upgrade analytics-dev to 2.11.0');
  });
  afterAll(() => repo.cleanup());

  test('one Upgrade block naming the stale constraint line and the (absent) renamed options', async () => {
    const input = await gatherPrComment({ repoRoot: repo.dir, base: 'main' });
    const section = input.environments.find((e) => e.name === 'analytics-dev')!;
    expect(section.upgrade?.kind).toBe('minor-upgrade');
    const md = renderPrComment(input);
    expect(md.match(/#### Upgrade: Airflow 2\.10\.3 -> 2\.11\.0/g)).toHaveLength(1);
    const block = md.slice(md.indexOf('#### Upgrade'));
    expect(block).toContain('In-place upgrade 2.10.3 -> 2.11.0');
    expect(block).toContain('up to 2 hours; running tasks stop');
    expect(block).toContain('**Stale constraint line** airflow/requirements.txt:1 still names `https://raw.githubusercontent.com/apache/airflow/constraints-2.10.3/constraints-3.11.txt`; 2.11.0 needs `https://raw.githubusercontent.com/apache/airflow/constraints-2.11.0/constraints-3.12.txt`');
    expect(block).toContain("Configuration options: none of the spec's options is removed or renamed in 2.11.0");
    expect(block).toContain('**Python 3.11 -> 3.12**');
    // the block comes first in the section, before the spec diff
    expect(md.indexOf('#### Upgrade')).toBeLessThan(md.indexOf('Spec diff'));
    // validation of the head reports the same stale line at its file and line
    expect(input.validation.lines.some((l) => l.startsWith('airflow/requirements.txt:1:14 error MWAA-REQ-001'))).toBe(true);
  });
});
