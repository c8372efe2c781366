/** The repository's dev example (environments/analytics-dev.yaml, through the real loader) vs the guide's quick start. */
import * as fs from 'fs';
import * as path from 'path';
import { validateFiles } from '../../src/engine/validate';
import type { EnvironmentSpec } from '../../src/spec/types';
import { addresses, synthSpec } from './fixtures';

const REPO = path.resolve(__dirname, '..', '..');
const DEV = path.join(REPO, 'environments', 'analytics-dev.yaml');

function devExample(): EnvironmentSpec {
  // the example itself, never a stand-in: a missing example fails here
  if (!fs.existsSync(DEV)) throw new Error(`${DEV} is missing: this test checks the shipped example`);
  const env = validateFiles([DEV], { repoRoot: REPO }).environments[0];
  if (!env.spec) throw new Error(`${DEV} does not validate`);
  return env.spec;
}

it('dev example synthesizes the quick-start template resource set (guide §2.1)', () => {
  const tf = synthSpec(devExample(), { repoRoot: REPO });
  const addrs = addresses(tf);
  const count = (t: string) => addrs.filter((a) => a.startsWith(`${t}.`)).length;
  expect({
    vpc: count('aws_vpc'),
    igw: count('aws_internet_gateway'),
    subnets: count('aws_subnet'),
    nat: count('aws_nat_gateway'),
    eip: count('aws_eip'),
    routeTables: count('aws_route_table'),
    sg: count('aws_security_group'),
    bucket: count('aws_s3_bucket'),
    versioning: count('aws_s3_bucket_versioning'),
    pab: count('aws_s3_bucket_public_access_block'),
    role: count('aws_iam_role'),
    policy: count('aws_iam_policy'),
    env: count('aws_mwaa_environment'),
  }).toEqual({ vpc: 1, igw: 1, subnets: 4, nat: 2, eip: 2, routeTables: 3, sg: 1, bucket: 1, versioning: 1, pab: 1, role: 1, policy: 1, env: 1 });
  const r = tf.resource;
  expect(r.aws_vpc_security_group_ingress_rule.mwaa_self.referenced_security_group_id).toBe('${aws_security_group.mwaa.id}');
  expect(r.aws_s3_bucket_versioning.bucket_versioning.versioning_configuration.status).toBe('Enabled');
  const pab = r.aws_s3_bucket_public_access_block.bucket_public_access_block;
  expect([pab.block_public_acls, pab.block_public_policy, pab.ignore_public_acls, pab.restrict_public_buckets]).toEqual([true, true, true, true]);
  const logging = r.aws_mwaa_environment.environment.logging_configuration;
  expect(Object.keys(logging).sort()).toEqual(['dag_processing_logs', 'scheduler_logs', 'task_logs', 'webserver_logs', 'worker_logs']);
  for (const m of Object.values<any>(logging)) expect(m.enabled).toBe(true);
  expect(r.aws_mwaa_environment.environment.webserver_access_mode).toBe('PUBLIC_ONLY');
});
