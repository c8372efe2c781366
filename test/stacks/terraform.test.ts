/**
 * The synthesized JSON against the real provider (hashicorp/aws 5.100.0 from the offline mirror):
 * `terraform validate` for every example environment, a create-only `terraform plan` with fake credentials
 * (plan-time lookups — zones, existing subnets — answered by moto, test/support/lookup-plan.ts), and the
 * literal-string guarantee checked in the plan itself.
 */
import * as fs from 'fs';
import * as path from 'path';
import { synthesize } from '../../src/synth';
import type { EnvironmentSpec } from '../../src/spec/types';
import { discoverEnvironments, validateFiles } from '../../src/engine/validate';
import { terraformPlanMany, terraformValidateMany } from '../support/many-stacks';
import { startLookupEmulator, type LookupEmulator } from '../support/lookup-plan';
import { ACCOUNT, existingSpec, privateSpec, tempRepo, withArtifacts } from './fixtures';

const REPO = path.resolve(__dirname, '..', '..');

/** The repository's example environments (validated by the real loader); none is a failure, not a reason to test fixtures. */
function exampleSpecs(): EnvironmentSpec[] {
  const files = discoverEnvironments(REPO);
  if (files.length === 0) throw new Error(`no example environments in ${path.join(REPO, 'environments')}: this test checks the shipped examples`);
  const report = validateFiles(files, { repoRoot: REPO });
  return report.environments.map((e) => {
    if (!e.spec) throw new Error(`example ${e.file} does not validate: ${e.findings.map((f) => f.message).join('; ')}`);
    return e.spec;
  });
}

describe('terraform validate / plan with the offline provider', () => {
  let work: string;
  let lookups: LookupEmulator | undefined;
  beforeAll(() => {
    work = tempRepo('mwaa-tf-');
  });
  afterAll(async () => {
    fs.rmSync(work, { recursive: true, force: true });
    await lookups?.stop();
  });

  it('every example environment, and the construct modes the examples do not cover, pass terraform validate', async () => {
    const stacks: Record<string, string> = {};
    for (const r of synthesize(exampleSpecs(), { repoRoot: REPO, outDir: path.join(work, 'validate') })) stacks[r.env] = r.dir;
    // private routing + CMK + artifacts + web access + secrets + boundary + S3 state; existing network/key/bucket
    const repo = path.join(work, 'modes');
    fs.mkdirSync(repo, { recursive: true });
    const p = withArtifacts(privateSpec(), repo);
    p.iam.webAccess = { Admin: [`arn:aws:iam::${ACCOUNT}:role/Admins`] };
    p.iam.secretsBackend = { connectionsPrefix: 'airflow/connections', variablesPrefix: 'airflow/variables' };
    p.iam.permissionsBoundaryArn = `arn:aws:iam::${ACCOUNT}:policy/boundary`;
    p.state = { backend: 's3', bucket: 'tf-state', key: 'mwaa/prod.tfstate', region: 'eu-west-1', dynamodbTable: 'locks' };
    for (const r of synthesize([p, existingSpec()], { repoRoot: repo })) stacks[`modes/${r.env}`] = r.dir;
    const v = await terraformValidateMany(path.join(work, 'validate-root'), stacks);
    expect(v.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(v.valid).toBe(true);
    expect(v.sharedProvider).toBe(true); // one provider process validated every stack
    expect(Object.keys(stacks)).toHaveLength(exampleSpecs().length + 2);
  }, 600000);

  it('create-only plan with fake credentials succeeds for every example; spec values stay literal in the plan', async () => {
    const repo = path.join(work, 'plan');
    fs.mkdirSync(repo, { recursive: true });
    // moto answers the plan-time lookups (validate needs none)
    const emu = await startLookupEmulator();
    lookups = emu;
    const specs = exampleSpecs().map((s) => withArtifacts({ ...s, account: s.account ?? ACCOUNT, state: { backend: 'local' } }, repo));
    // An existing network is looked up at plan time: point the example at subnets that exist (in two zones).
    for (const [i, s] of specs.entries()) {
      if (s.network.mode !== 'existing') continue;
      const net = await emu.network(s.region, [`${s.region}a`, `${s.region}b`]);
      specs[i] = { ...s, network: { ...s.network, vpcId: net.vpcId, subnetIds: net.subnetIds, securityGroupIds: [net.securityGroupId] } };
    }
    const hostile = {
      'custom.expr': '${aws_iam_role.execution.arn}',
      'custom.directive': '%{ if true }x%{ endif }',
      'custom.token': '${TfToken[TOKEN.1]}',
      'custom.escaped': '$${kept}',
    };
    specs[0] = { ...specs[0], airflow: { ...specs[0].airflow, configuration: { ...specs[0].airflow.configuration, ...hostile } }, tags: { ...specs[0].tags, owner: '${var.x}' } };
    const results = synthesize(specs, { repoRoot: repo, providerOverrides: emu.target });
    const plan = await terraformPlanMany(path.join(work, 'plan-root'), Object.fromEntries(results.map((r) => [r.env, r.dir])), emu.env);
    expect(plan.output).not.toMatch(/Error/);
    expect(plan.ok).toBe(true);
    for (const [i, r] of results.entries()) {
      const changes = plan.changes[r.env];
      expect(changes.length).toBeGreaterThan(0);
      for (const c of changes) expect({ address: c.address, actions: c.actions }).toEqual({ address: c.address, actions: ['create'] });
      const env = changes.find((c) => c.address === 'aws_mwaa_environment.environment');
      expect(env).toBeDefined();
      if (i === 0) {
        // airflow_configuration_options is sensitive: the plan JSON still carries the values in `after`.
        const opts = env!.after.airflow_configuration_options;
        for (const [k, v] of Object.entries(hostile)) expect(opts[k]).toBe(v);
        expect(env!.after.tags.owner).toBe('${var.x}');
      }
      const req = changes.find((c) => c.address === 'aws_s3_object.artifact_requirements');
      expect(req?.after.source).toContain('artifacts/requirements.txt');
    }
  }, 600000); // moto start + a plan of every example (one provider process per stack) on a loaded machine
});
