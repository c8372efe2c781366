/** Hand-built EnvironmentSpec objects for stack tests (independent of the YAML loader). */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import type { EnvironmentSpec } from '../../src/spec/types';
import { EnvironmentStack, type EnvironmentStackOptions } from '../../stacks/environment-stack';

export const ACCOUNT = '123456789012';

const logModule = { level: 'INFO' as const, enabled: true };

/** The guide's quick-start shape (§2.1): public routing, PUBLIC_ONLY, AWS-owned key, all five logs at INFO. */
export function devSpec(overrides: Partial<EnvironmentSpec> = {}): EnvironmentSpec {
  return {
    apiVersion: 'mwaa-gitops/v1',
    name: 'analytics-dev',
    region: 'eu-west-1',
    account: ACCOUNT,
    tags: { team: 'analytics', env: 'dev' },
    airflow: {
      version: '2.8.1',
      environmentClass: 'mw1.small',
      schedulers: 2,
      workers: { min: 1, max: 2 },
      webservers: { min: 2, max: 2 },
      webserverAccess: 'PUBLIC_ONLY',
      endpointManagement: 'SERVICE',
      configuration: { 'core.default_task_retries': '3' },
      logging: {
        dagProcessing: { ...logModule },
        scheduler: { ...logModule },
        task: { ...logModule },
        worker: { ...logModule },
        webserver: { ...logModule },
        retentionDays: 14,
      },
    },
    network: {
      mode: 'create',
      routing: 'public',
      vpcCidr: '10.192.0.0/16',
      publicSubnets: ['10.192.10.0/24', '10.192.11.0/24'],
      privateSubnets: ['10.192.20.0/24', '10.192.21.0/24'],
      natGateways: 'perAz',
      webAccessCidrs: [],
    },
    bucket: { name: 'analytics-dev-mwaa-123', dagsPath: 'dags', noncurrentVersionExpirationDays: 30 },
    encryption: { kms: 'aws-owned' },
    iam: { extraPolicyStatements: [], webAccess: {} },
    protection: { preventDestroy: false },
    state: { backend: 'local' },
    ...overrides,
  };
}

export function privateSpec(): EnvironmentSpec {
  const s = devSpec({ name: 'analytics-prod' });
  s.airflow.webserverAccess = 'PRIVATE_ONLY';
  s.network = {
    mode: 'create',
    routing: 'private',
    vpcCidr: '10.10.0.0/16',
    publicSubnets: [],
    privateSubnets: ['10.10.1.0/24', '10.10.2.0/24'],
    natGateways: 'perAz',
    webAccessCidrs: ['10.0.0.0/8', '192.168.0.0/16'],
  };
  s.bucket = { ...s.bucket, name: 'analytics-prod-mwaa-123' };
  s.encryption = { kms: 'create' };
  s.protection = { preventDestroy: true };
  return s;
}

export function existingSpec(): EnvironmentSpec {
  const s = devSpec({ name: 'shared-env' });
  s.network = {
    mode: 'existing',
    vpcId: 'vpc-0123456789abcdef0',
    subnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
    securityGroupIds: ['sg-0ccccccccccccccc3'],
  };
  s.encryption = { kms: 'existing', keyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` };
  s.bucket = { ...s.bucket, name: 'shared-bucket', existingArn: 'arn:aws:s3:::shared-bucket' };
  return s;
}

/** A temporary repository with artifact files; returns the spec with artifacts filled in. */
export function withArtifacts(spec: EnvironmentSpec, repoRoot: string): EnvironmentSpec {
  const files = { requirements: 'requirements.txt', plugins: 'plugins.zip', startupScript: 'startup.sh' } as const;
  const bucket = { ...spec.bucket };
  for (const [kind, file] of Object.entries(files) as [keyof typeof files, string][]) {
    const p = path.join(repoRoot, 'artifacts', file);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, `${kind} content\n`);
    bucket[kind] = { source: `artifacts/${file}`, resolvedPath: p, key: file };
  }
  return { ...spec, bucket };
}

export function tempRepo(prefix = 'mwaa-stacks-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Synthesizes one stack in memory (literals resolved) and returns the parsed cdk.tf.json. The app's output directory
 * (cdktf creates it, and a `stacks/` folder in it, even though an in-memory synth writes nothing there) is removed
 * afterwards: `Testing.app()` alone would leave one /tmp/cdktf.outdir.* per call.
 */
export function synthSpec(spec: EnvironmentSpec, opts: Partial<EnvironmentStackOptions> = {}): any {
  const repoRoot = opts.repoRoot ?? '/repo';
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf.outdir.'));
  try {
    const app = Testing.app({ outdir });
    const stack = new EnvironmentStack(app, spec, {
      repoRoot,
      stackDir: opts.stackDir ?? path.join(repoRoot, 'cdktf.out', 'stacks', spec.name),
      ...opts,
    });
    return JSON.parse(Testing.synth(stack));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** `type.name` addresses of every resource in a synthesized stack. */
export function addresses(tf: any): string[] {
  const out: string[] = [];
  for (const [type, byName] of Object.entries<Record<string, unknown>>(tf.resource ?? {})) {
    for (const name of Object.keys(byName)) out.push(`${type}.${name}`);
  }
  return out.sort();
}
