/**
 * The emulator harness on its own, below the tool: a hand-written Terraform JSON config (VPC, subnets, SG, bucket,
 * role, KMS key, log group, MWAA environment) applied by the terraform runner against moto + the MWAA fake, then an
 * empty re-plan (what the emulators read back is what was sent), and destroy. Drift, its reconciliation and the
 * provider's retries of throttled MWAA calls run through the tool itself in the suites that prove them
 * (reconcile-dev, s3-state and reliability-secrets; reliability-faults), on the same emulators; repeating them here
 * cost six terraform commands of CI time and proved nothing more.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveProviderMirror, terraformEnv } from '../../src/terraform/cliconfig';
import { TerraformRunner } from '../../src/terraform/runner';
import { Emulators, startEmulators } from '../../src/sandbox/emulators';
import { harnessConfig } from '../support/harness-config';
import { variablesTarget } from '../support/variables-target';

const repo = path.resolve(__dirname, '..', '..');
let em: Emulators;
let dir: string;
let tf: TerraformRunner;

beforeAll(async () => {
  em = await startEmulators({ mwaa: { transitionDelayMs: 500 } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-harness-'));
  // the emulators' endpoints as AWS_ENDPOINT_URL_* variables, as the CLI gives them (no endpoints block to validate)
  const t = variablesTarget(em);
  fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(harnessConfig({ name: 'harness', target: t.provider })));
  const env = terraformEnv({ workDir: path.join(repo, '.mwaa-gitops'), providerMirror: resolveProviderMirror() });
  tf = new TerraformRunner({ environment: 'harness', workingDir: dir, env: { ...env, ...em.awsEnv, ...t.env } });
});

afterAll(async () => {
  await em?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('apply from scratch, then an empty re-plan', async () => {
  expect((await tf.init()).skipped).toBe(false);
  expect((await tf.init()).skipped).toBe(true);
  const events: string[] = [];
  const progressing = new TerraformRunner({ environment: 'harness', workingDir: dir, env: (tf as unknown as { o: { env: Record<string, string> } }).o.env, progress: (e) => events.push(`${e.phase} ${e.address}`) });
  expect((await progressing.plan({ out: 'p.plan' })).changes).toBe(true);
  const plan = await progressing.showPlan('p.plan');
  expect(plan.resource_changes?.filter((c) => c.change.actions.includes('create')).length).toBe(14);
  await progressing.apply('p.plan');
  expect(events).toContain('start aws_mwaa_environment.env');
  expect(events).toContain('complete aws_mwaa_environment.env');
  expect(em.mwaa.environments.get('harness')?.Status).toBe('AVAILABLE');
  expect((await tf.plan({ out: 'p2.plan' })).changes).toBe(false);
});

test('destroy removes everything', async () => {
  await tf.destroy();
  expect(em.mwaa.environments.size).toBe(0);
});
