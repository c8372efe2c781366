/**
 * The synthesized JSON against the real provider (hashicorp/aws 5.100.0 from the offline mirror):
 * `terraform validate` for every example environment, a create-only `terraform plan` with fake credentials,
 * and the literal-string guarantee checked in the plan itself.
 */
import * as fs from 'fs';
import * as path from 'path';
import { synthesize } from '../../src/synth';
import type { EnvironmentSpec } from '../../src/spec/types';
import { discoverEnvironments, validateFiles } from '../../src/engine/validate';
import { OFFLINE_PROVIDER_OVERRIDES, terraformPlanJson, terraformValidate } from '../support/terraform-validate';
import { ACCOUNT, devSpec, existingSpec, privateSpec, tempRepo, withArtifacts } from './fixtures';

const REPO = path.resolve(__dirname, '..', '..');

/** The repository's example environments (validated by the real loader); fixtures when there are none yet. */
function exampleSpecs(): EnvironmentSpec[] {
  const files = discoverEnvironments(REPO);
  if (files.length === 0) return [devSpec(), privateSpec(), existingSpec()];
  const report = validateFiles(files, { repoRoot: REPO });
  return report.environments.map((e) => {
    if (!e.spec) throw new Error(`example ${e.file} does not validate: ${e.findings.map((f) => f.message).join('; ')}`);
    return e.spec;
  });
}

function planChanges(plan: any): Array<{ address: string; actions: string[]; after: any }> {
  return plan.resource_changes.map((c: any) => ({ address: c.address, actions: c.change.actions, after: c.change.after }));
}

describe('terraform validate / plan with the offline provider', () => {
  let work: string;
  beforeAll(() => {
    work = tempRepo('mwaa-tf-');
  });
  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('every example environment passes terraform validate', () => {
    const specs = exampleSpecs();
    const results = synthesize(specs, { repoRoot: REPO, outDir: path.join(work, 'validate') });
    for (const r of results) {
      const v = terraformValidate(r.dir);
      expect({ env: r.env, valid: v.valid, errors: v.diagnostics.filter((d) => d.severity === 'error') }).toEqual({ env: r.env, valid: true, errors: [] });
    }
  });

  it('the construct modes not covered by the examples validate too (private routing + CMK + artifacts, existing network/key/bucket)', () => {
    const repo = path.join(work, 'modes');
    fs.mkdirSync(repo, { recursive: true });
    const p = withArtifacts(privateSpec(), repo);
    p.iam.webAccess = { Admin: [`arn:aws:iam::${ACCOUNT}:role/Admins`] };
    p.iam.secretsBackend = { connectionsPrefix: 'airflow/connections', variablesPrefix: 'airflow/variables' };
    p.iam.permissionsBoundaryArn = `arn:aws:iam::${ACCOUNT}:policy/boundary`;
    p.state = { backend: 's3', bucket: 'tf-state', key: 'mwaa/prod.tfstate', region: 'eu-west-1', dynamodbTable: 'locks' };
    const results = synthesize([p, existingSpec()], { repoRoot: repo });
    for (const r of results) {
      const v = terraformValidate(r.dir);
      expect({ env: r.env, valid: v.valid, errors: v.diagnostics }).toMatchObject({ env: r.env, valid: true });
    }
  });

  it('create-only plan with fake credentials succeeds for every example; spec values stay literal in the plan', () => {
    const repo = path.join(work, 'plan');
    fs.mkdirSync(repo, { recursive: true });
    const specs = exampleSpecs().map((s) => withArtifacts({ ...s, account: s.account ?? ACCOUNT, state: { backend: 'local' } }, repo));
    const hostile = {
      'custom.expr': '${aws_iam_role.execution.arn}',
      'custom.directive': '%{ if true }x%{ endif }',
      'custom.token': '${TfToken[TOKEN.1]}',
      'custom.escaped': '$${kept}',
    };
    specs[0] = { ...specs[0], airflow: { ...specs[0].airflow, configuration: { ...specs[0].airflow.configuration, ...hostile } }, tags: { ...specs[0].tags, owner: '${var.x}' } };
    const results = synthesize(specs, { repoRoot: repo, providerOverrides: OFFLINE_PROVIDER_OVERRIDES });
    for (const [i, r] of results.entries()) {
      const plan = terraformPlanJson(r.dir);
      const changes = planChanges(plan);
      expect(changes.length).toBeGreaterThan(0);
      for (const c of changes) expect(c.actions).toEqual(['create']);
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
  });
});
