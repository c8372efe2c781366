/**
 * A test target's provider `endpoints` reach terraform and the provider as `AWS_ENDPOINT_URL_<SERVICE>` variables,
 * not as an `endpoints` block (hashicorp/aws 5.100.0 spends ~3.3 CPU-s validating a configuration with that block,
 * twice per plan): the stack the workflow synthesizes has no block, its runner's environment has the variables, and
 * the SDK clients keep the target's endpoints.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { endpointsAsVariables } from '../../src/synth';
import { prepare } from '../../src/terraform/workflow';
import { REPO_ROOT } from '../spec/helpers';

describe('endpointsAsVariables', () => {
  it('moves a map of known services to AWS_ENDPOINT_URL_<id> variables and drops the block', () => {
    const r = endpointsAsVariables({ access_key: 'test', endpoints: { ec2: 'http://127.0.0.1:1', logs: 'http://127.0.0.1:2', mwaa: 'http://mwaa.test:3' } });
    expect(r.provider).toEqual({ access_key: 'test' });
    expect(r.env).toEqual({ AWS_ENDPOINT_URL_EC2: 'http://127.0.0.1:1', AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: 'http://127.0.0.1:2', AWS_ENDPOINT_URL_MWAA: 'http://mwaa.test:3' });
  });

  it('leaves a target alone when a service has no variable here, or the block is not a map', () => {
    const unknown = { endpoints: { ec2: 'http://a', glue: 'http://b' } };
    expect(endpointsAsVariables(unknown)).toEqual({ provider: unknown, env: {} });
    const list = { endpoints: [{ s3: 'http://a' }] };
    expect(endpointsAsVariables(list)).toEqual({ provider: list, env: {} });
    expect(endpointsAsVariables({ region: 'x' })).toEqual({ provider: { region: 'x' }, env: {} });
  });
});

describe('the workflow with an emulator target', () => {
  it('synthesizes no endpoints block and gives the runner the variables; the S3 backend arguments stay', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-endpoint-vars-'));
    try {
      fs.mkdirSync(path.join(repo, 'environments'));
      for (const f of ['_defaults.yaml', 'analytics-dev.yaml']) fs.copyFileSync(path.join(REPO_ROOT, 'environments', f), path.join(repo, 'environments', f));
      fs.cpSync(path.join(REPO_ROOT, 'airflow'), path.join(repo, 'airflow'), { recursive: true });
      const target = path.join(repo, 'target.json');
      fs.writeFileSync(target, JSON.stringify({ access_key: 'test', secret_key: 'test', endpoints: { s3: 'http://127.0.0.1:9', sts: 'http://127.0.0.1:8' }, s3_backend: { use_path_style: true } }));
      const p = prepare(['analytics-dev'], { repo, target, progress: () => undefined });
      expect(p.message).toBeUndefined();
      expect(p.ok).toBe(true);
      const ctx = p.envs[0];
      const tf = JSON.parse(fs.readFileSync(path.join(ctx.dir, 'cdk.tf.json'), 'utf8'));
      expect(tf.provider.aws[0].endpoints).toBeUndefined();
      expect(tf.provider.aws[0].access_key).toBe('test');
      expect(ctx.runner.childEnv).toMatchObject({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:8' });
      expect((ctx.providerTarget as { endpoints: unknown }).endpoints).toEqual({ s3: 'http://127.0.0.1:9', sts: 'http://127.0.0.1:8' });
      expect(ctx.s3Backend).toEqual({ use_path_style: true });
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });
});
