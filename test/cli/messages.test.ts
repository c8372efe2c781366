/**
 * Messages that misled a new user (issue 13), each pinned to what it must say now: one finding at the right place,
 * with a fix that fits, and no second finding contradicting or repeating the first.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseYaml } from '../../src/spec/yaml';
import { blockedOption, supportedVersions, compareVersions, airflowVersion } from '../../src/rules/data';
import { renderPrComment, type PrCommentInput } from '../../src/gitops/pr-comment';
import { estimateCost } from '../../src/gitops/cost';
import { validateText } from '../../src/engine/validate';
import { lint, lintFiles, problems, spec, toYaml, byRule, REPO, TODAY } from '../rules/fixture';
import { runCli } from '../gitops/cli-run';
import { envYaml, seedRepo } from '../gitops/fixtures';
import type { TempRepo } from '../gitops/git-repo';

const options = JSON.parse(fs.readFileSync(path.join(__dirname, '../../data/configuration-options.json'), 'utf8')) as {
  blocked: Array<{ key: string; reason: string; since?: string; until?: string }>;
};

describe('an unclosed flow collection', () => {
  const lines = [
    'apiVersion: mwaa-gitops/v1',
    'name: analytics-dev',
    'region: us-east-1',
    'airflow:',
    '  version: "2.10.3"',
    '  environmentClass: mw1.small',
    '  schedulers: 2',
    '  maintenanceWindow: "SUN:03:00"',
    '  webservers: { min: 2, max: 2 }',
    '  workers: { min: 1, max: 5', // line 10: `{` never closed
    '  webserverAccess: PUBLIC_ONLY',
    '  endpointManagement: SERVICE',
    'network:',
    '  mode: create',
  ];

  it('is one finding at the opening brace, with a hint about closing the flow mapping', () => {
    const p = parseYaml('x.yaml', lines.join('\n') + '\n');
    expect(p.findings).toHaveLength(1);
    const [f] = p.findings;
    expect(f.ruleId).toBe('YAML-SYNTAX');
    expect([f.line, f.column]).toEqual([10, lines[9].indexOf('{') + 1]);
    expect(f.path).toBe('airflow.workers');
    expect(f.message).toContain('`{`');
    expect(f.message).toContain('`workers`');
    expect(f.fix).toMatch(/Close the flow mapping with `}`/);
    expect(f.fix).not.toMatch(/Align the key/);
  });

  it('also for a flow sequence, and when the next lines would cascade into more errors', () => {
    const text = ['a: 1', 'b:', '  c: [1, 2', '  d: 3', '  e: 4', 'f: 5', ''].join('\n');
    const p = parseYaml('x.yaml', text);
    expect(p.findings.map((f) => [f.line, f.column])).toEqual([[3, 6]]);
    expect(p.findings[0].fix).toMatch(/Close the flow sequence with `]`/);
    expect(p.findings[0].path).toBe('b.c');
  });

  it('brackets inside quotes and comments do not count; a closed mapping is not reported', () => {
    const text = ['a: "{ not a map"', "b: 'it''s [x'", 'c: x # { comment', 'd: { e: "}", f: [1, 2] }', 'g: { h: 1', 'i: 2', ''].join('\n');
    const p = parseYaml('x.yaml', text);
    expect(p.findings.map((f) => [f.line, f.column])).toEqual([[5, 4]]);
  });

  it('through the engine: one error for the whole file', () => {
    const found = problems(lint(lines.join('\n') + '\n'));
    expect(found.map((f) => `${f.ruleId}@${f.line}`)).toEqual(['YAML-SYNTAX@10']);
  });
});

describe('configuration options', () => {
  it('an option MWAA blocks gets one finding (blocked), not also "not a known option"', () => {
    for (const b of options.blocked) {
      const version = b.since ?? '2.10.3';
      if (b.until && compareVersions(version, b.until) >= 0) continue;
      const found = lint(toYaml(spec({ 'airflow.version': version, 'airflow.configuration': { [b.key]: 'x' } }))).filter((f) => f.path === `airflow.configuration.${b.key}`);
      expect({ key: b.key, rules: found.map((f) => f.ruleId) }).toEqual({ key: b.key, rules: ['MWAA-CFG-002'] });
    }
  });

  it('an ignored option is reported as ignored only', () => {
    const found = lint(toYaml(spec({ 'airflow.configuration': { 'celery.worker_concurrency': '4' } }))).filter((f) => f.path === 'airflow.configuration.celery.worker_concurrency');
    expect(found.map((f) => f.ruleId)).toEqual(['MWAA-CFG-004']);
  });

  it('logging.remote_logging and its companions are Airflow 2 and 3 options', () => {
    for (const version of ['2.10.3', '3.0.6']) {
      const cfg = { 'logging.remote_logging': 'True', 'logging.remote_log_conn_id': 'aws_default', 'logging.remote_base_log_folder': 'cloudwatch://x' };
      const found = lint(toYaml(spec({ 'airflow.version': version, 'airflow.configuration': cfg })));
      expect(byRule(found, 'MWAA-CFG-003')).toEqual([]);
    }
  });

  it('no blocked-option message says "reserved by MWAA" twice (the reason is not a second "reserved")', () => {
    for (const b of options.blocked) {
      const version = b.since ?? '2.10.3';
      if (b.until && compareVersions(version, b.until) >= 0) continue;
      expect(blockedOption(b.key, version)).toBeDefined();
      const [f] = byRule(lint(toYaml(spec({ 'airflow.version': version, 'airflow.configuration': { [b.key]: 'x' } }))), 'MWAA-CFG-002');
      expect(f.message).not.toMatch(/reserved by MWAA[^]*reserved by MWAA/);
      expect(f.message).not.toMatch(/MWAA \(MWAA|\(\s*reserved by MWAA/);
      expect(f.message).not.toMatch(/\.\./);
    }
  });
});

describe('Airflow versions', () => {
  it('lists are in version order, newest first', () => {
    const listed = supportedVersions();
    expect(listed).toEqual([...listed].sort((a, b) => compareVersions(b, a)));
    const [f] = byRule(lint(toYaml(spec({ 'airflow.version': '2.3.0' }))), 'MWAA-AF-002');
    const inFix = /Use one of: ([^(]+) \(/.exec(f.fix ?? "")![1].split(', ');
    expect(inFix).toEqual(listed);
    expect(inFix).toEqual([...inFix].sort((a, b) => compareVersions(b, a)));
  });

  it('a 1.10 environment is not told to upgrade in place to 3.x (a new environment is needed)', () => {
    expect(airflowVersion('1.10.12')).toBeDefined();
    const [f] = byRule(lint(toYaml(spec({ 'airflow.version': '1.10.12', 'airflow.configuration': {} }))), 'MWAA-AF-002');
    expect(f.fix).not.toMatch(/in place to/i);
    expect(f.fix).toMatch(/not an in-place upgrade/);
    expect(f.fix).toMatch(/new environment/);
    expect(f.fix).toContain('https://docs.aws.amazon.com/mwaa/latest/userguide/');
  });

  it('an end-of-support 2.x environment is told to upgrade in place within 2.x', () => {
    const [f] = byRule(lint(toYaml(spec({ 'airflow.version': '2.6.3' }))), 'MWAA-AF-002');
    expect(f.fix).toMatch(/^Upgrade in place to a supported version, e\.g\. version: "2\.\d+\.\d+"\.$/);
  });
});

describe('duplicate bucket names', () => {
  it('point at the environments that collide, not at the base they inherit the name from', () => {
    const base = 'apiVersion: mwaa-gitops/v1\nregion: us-east-1\nbucket:\n  name: shared-airflow-bucket\n';
    const env = (name: string) =>
      toYaml(spec({ name, bucket: undefined }, (s) => {
        s.extends = './_base.yaml';
        delete s.bucket;
        delete s.region;
      }));
    const found = lintFiles({ '_base.yaml': base, 'aa-env.yaml': env('aa-env'), 'bb-env.yaml': env('bb-env') });
    const dup = byRule(found, 'MWAA-X-002');
    expect(dup).toHaveLength(1);
    const [f] = dup;
    expect(path.basename(f.file)).toBe('bb-env.yaml');
    expect(f.message).toContain('"aa-env" (environments/aa-env.yaml');
    expect(f.message).toContain('"bb-env" (environments/bb-env.yaml');
    expect(f.message).toContain('inherited from environments/_base.yaml:4');
    expect(f.fix).toMatch(/Remove bucket\.name from environments\/_base\.yaml/);
  });

  it('when each environment sets the name itself, both files and lines are named', () => {
    const a = toYaml(spec({ name: 'aa-env', 'bucket.name': 'same-bucket-name' }));
    const b = toYaml(spec({ name: 'bb-env', 'bucket.name': 'same-bucket-name' }));
    const [f] = byRule(lintFiles({ 'aa-env.yaml': a, 'bb-env.yaml': b }), 'MWAA-X-002');
    const line = (t: string) => t.split('\n').findIndex((l) => l.includes('same-bucket-name')) + 1;
    expect(path.basename(f.file)).toBe('bb-env.yaml');
    expect(f.line).toBe(line(b));
    expect(f.message).toContain(`environments/aa-env.yaml:${line(a)}`);
    expect(f.message).toContain(`environments/bb-env.yaml:${line(b)}`);
  });
});

describe('the cost column', () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = seedRepo();
    repo.branch('feature');
    // stage becomes invalid (workers.max below min), it is not removed
    repo.write('environments/stage.yaml', envYaml('stage', { max: 0 })).commit('broken stage');
  });
  afterAll(() => repo.cleanup());

  it('says an invalid environment is not estimated, not "removed"', async () => {
    const r = await runCli(['-C', repo.dir, 'pr-comment', '--base', 'main']);
    const row = r.stdout.split('\n').find((l) => l.startsWith('| `stage`'));
    expect(row).toBeDefined();
    expect(row).not.toMatch(/removed/);
    expect(row).toMatch(/not estimated: the spec is invalid \(was \$/);
  });

  it('still says "removed" when the head has no environment at all', () => {
    const before = estimateCost(validateText(toYaml(spec({ name: 'gone' })), { file: path.join(REPO, 'environments', 'gone.yaml'), repoRoot: REPO, today: TODAY }).spec!);
    const input: PrCommentInput = {
      base: 'main',
      validation: { environments: 1, errors: 0, warnings: 0, lines: [] },
      environments: [{ name: 'gone', reasons: ['deleted'], planStatus: 'not-planned', dangers: [], cost: { before } }],
      deleted: [],
      global: [],
    };
    expect(renderPrComment(input)).toMatch(/\| removed: \$/);
  });
});

describe('show _defaults', () => {
  it('explains that a _*.yaml file is an overlay, not an environment, and names the environments using it', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-overlay-'));
    fs.mkdirSync(path.join(root, 'environments'));
    fs.writeFileSync(path.join(root, 'environments', '_defaults.yaml'), 'apiVersion: mwaa-gitops/v1\nregion: us-east-1\n');
    const env = toYaml(spec({ name: 'analytics-dev' }, (s) => {
      s.extends = './_defaults.yaml';
      delete s.bucket;
    }));
    fs.writeFileSync(path.join(root, 'environments', 'analytics-dev.yaml'), env);
    const r = await runCli(['-C', root, 'show', '_defaults']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/`name` is required/);
    expect(r.stderr).toContain('SPEC-OVERLAY');
    expect(r.stderr).toMatch(/environments\/_defaults\.yaml is an overlay, not an environment/);
    expect(r.stderr).toContain('`mwaa-gitops show analytics-dev`');
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe('an existing execution role with fields for a created role (MWAA-IAM-005)', () => {
  const role = 'arn:aws:iam::111122223333:role/service-role/existing-mwaa';
  it('names every ignored field and both ways out', () => {
    const found = byRule(
      lint(toYaml(spec({
        'iam.executionRoleArn': role,
        'iam.extraPolicyStatements': [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::data/*'] }],
        'iam.secretsBackend': { connectionsPrefix: 'af/conn', variablesPrefix: 'af/var' },
        'iam.permissionsBoundaryArn': 'arn:aws:iam::111122223333:policy/boundary',
        'airflow.configuration': { 'secrets.backend': 'airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend' },
      }))),
      'MWAA-IAM-005',
    );
    expect(found).toHaveLength(1);
    const [f] = found;
    expect(f.severity).toBe('warning');
    expect(f.message).toContain(role);
    expect(f.message).toMatch(/iam\.extraPolicyStatements \(1 statement\), the Secrets Manager read grant of iam\.secretsBackend and iam\.permissionsBoundaryArn are ignored/);
    expect(f.fix).toContain('arn:aws:secretsmanager:us-east-1:<account>:secret:af/conn/*');
    expect(f.fix).toContain('arn:aws:iam::111122223333:policy/boundary');
    expect(f.fix).toMatch(/or remove iam\.executionRoleArn/);
  });

  it('under private routing, removing iam.secretsBackend is told to keep the Secrets Manager endpoint', () => {
    const [f] = byRule(
      lint(toYaml(spec({
        'iam.executionRoleArn': role,
        'iam.secretsBackend': {},
        'airflow.webserverAccess': 'PRIVATE_ONLY',
        network: { mode: 'create', routing: 'private', vpcCidr: '10.192.0.0/16', privateSubnets: ['10.192.20.0/24', '10.192.21.0/24'] },
      }))),
      'MWAA-IAM-005',
    );
    expect(f.fix).toContain('list secretsmanager in network.extraEndpoints');
  });

  it('secrets.backend with an existing role and no iam.secretsBackend is not an error (the role is managed elsewhere)', () => {
    const found = lint(toYaml(spec({ 'iam.executionRoleArn': role, 'airflow.configuration': { 'secrets.backend': 'airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend' } })));
    expect(byRule(found, 'MWAA-CFG-009')).toEqual([]);
    expect(byRule(found, 'MWAA-IAM-005')).toEqual([]);
    // without the existing role, the created role would lack the grant: still an error
    expect(byRule(lint(toYaml(spec({ 'airflow.configuration': { 'secrets.backend': 'airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend' } }))), 'MWAA-CFG-009')).toHaveLength(1);
  });
});

describe('README', () => {
  it('does not tell users to run `cdktf synth` while cdktf-cli is not a dependency', () => {
    const root = path.join(__dirname, '..', '..');
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    const hasCli = 'cdktf-cli' in { ...pkg.dependencies, ...pkg.devDependencies };
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    if (!hasCli) expect(readme).not.toMatch(/`(npx )?cdktf synth`/);
    expect(readme).toMatch(/mwaa-gitops synth|`synth \[env\.\.\.\]/);
  });
});
