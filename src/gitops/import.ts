/**
 * Adopting an existing MWAA environment: read it and what it uses through the AWS SDK, write a spec
 * (`network.mode: existing`, `bucket.existingArn`, encryption existing/aws-owned, ...) and the import map
 * `environments/<name>.imports.json` that synthesis turns into Terraform `import` blocks.
 *
 * Which resources are imported is decided from the synthesized stack of the new spec, not from a list of
 * names: each resource of a type we know how to find (environment, log groups, execution role, its managed
 * policy and attachment, S3 objects) is looked up in the account; those that exist get an import id, the others
 * will be created by the first apply (and are listed as such).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { MWAAClient, GetEnvironmentCommand, type Environment } from '@aws-sdk/client-mwaa';
import { EC2Client, DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import { S3Client, GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { IAMClient, GetRoleCommand, GetPolicyCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { SignatureV4 } from '@smithy/signature-v4';
import { maybePartitionOf } from '../aws/partition';
import { synthesize } from '../synth';
import { validateText } from '../engine/validate';
import { hasErrors } from '../findings';
import { importsFile } from '../spec/imports';

/** Test/emulator target: the same JSON of aws provider arguments (Terraform names) synth's --provider-args reads. */
export interface ImportTarget {
  region?: string;
  access_key?: string;
  secret_key?: string;
  s3_use_path_style?: boolean;
  http_proxy?: string;
  no_proxy?: string;
  endpoints?: Record<string, string>;
}

/** CloudWatch Logs groups by name -> retention in days (0 = never expire); names that do not exist are absent. */
export type LogGroupReader = (names: string[]) => Promise<Record<string, number>>;

export interface AwsClients {
  mwaa: MWAAClient;
  ec2: EC2Client;
  s3: S3Client;
  iam: IAMClient;
  /** Absent: log group retention is not read (the spec keeps the default). */
  logGroups?: LogGroupReader;
}

/**
 * DescribeLogGroups through a SigV4-signed JSON request (no CloudWatch Logs SDK client is installed; the
 * signer and credentials are those of the IAM client).
 */
function logGroupReader(iam: IAMClient, region: string, url: string): LogGroupReader {
  return async (names) => {
    const cfg = iam.config;
    const signer = new SignatureV4({ credentials: cfg.credentials, region, service: 'logs', sha256: cfg.sha256 });
    const out: Record<string, number> = {};
    for (const name of names) {
      const u = new URL(url);
      const body = JSON.stringify({ logGroupNamePrefix: name });
      const signed = await signer.sign({
        method: 'POST',
        protocol: u.protocol,
        hostname: u.hostname,
        port: u.port ? Number(u.port) : undefined,
        path: u.pathname || '/',
        headers: { host: u.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.DescribeLogGroups' },
        body,
      });
      const res = await fetch(u, { method: 'POST', headers: signed.headers as Record<string, string>, body });
      if (!res.ok) throw new Error(`CloudWatch Logs DescribeLogGroups ${name}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
      const data = (await res.json()) as { logGroups?: Array<{ logGroupName?: string; retentionInDays?: number }> };
      const g = (data.logGroups ?? []).find((x) => x.logGroupName === name);
      if (g) out[name] = g.retentionInDays ?? 0;
    }
    return out;
  };
}

function noProxy(host: string, list: string | undefined): boolean {
  return (list ?? '').split(',').map((s) => s.trim()).filter(Boolean).some((h) => host === h || host.endsWith(`.${h}`));
}

/**
 * SDK clients for `region`; with a target, its credentials and endpoints. A plain-HTTP endpoint whose host is
 * not in `no_proxy` is reached through the target's `http_proxy` address (requests are sent to the proxy;
 * that is how the emulator harness routes the MWAA API), with the `api.` host prefix disabled.
 */
export function makeClients(region: string, target?: ImportTarget): AwsClients {
  const base: Record<string, unknown> = { region: target?.region ?? region };
  if (target?.access_key && target.secret_key) base.credentials = { accessKeyId: target.access_key, secretAccessKey: target.secret_key };
  const endpoint = (svc: string): Record<string, unknown> => {
    const e = target?.endpoints?.[svc];
    if (!e) return {};
    const u = new URL(e);
    if (target?.http_proxy && u.protocol === 'http:' && !noProxy(u.hostname, target.no_proxy)) return { endpoint: target.http_proxy, disableHostPrefix: true };
    return { endpoint: e, disableHostPrefix: true };
  };
  const r = (base.region as string);
  const iam = new IAMClient({ ...base, ...endpoint('iam') });
  const logsUrl = (endpoint('logs').endpoint as string | undefined) ?? `https://logs.${r}.${maybePartitionOf(r)?.dnsSuffix ?? 'amazonaws.com'}`;
  return {
    mwaa: new MWAAClient({ ...base, ...endpoint('mwaa') }),
    ec2: new EC2Client({ ...base, ...endpoint('ec2') }),
    s3: new S3Client({ ...base, ...endpoint('s3'), forcePathStyle: target?.s3_use_path_style === true }),
    iam,
    logGroups: logGroupReader(iam, r, logsUrl),
  };
}

export interface ImportResult {
  name: string;
  specFile: string;
  importsFile: string;
  spec: Record<string, unknown>;
  imports: Record<string, string>;
  /** Resources of the stack that do not exist yet and will be created. */
  toCreate: string[];
  /** Artifacts downloaded into the repository. */
  artifacts: string[];
  notes: string[];
}

const LOG_MODULES: Array<[string, keyof NonNullable<Environment['LoggingConfiguration']>]> = [
  ['dagProcessing', 'DagProcessingLogs'],
  ['scheduler', 'SchedulerLogs'],
  ['task', 'TaskLogs'],
  ['worker', 'WorkerLogs'],
  ['webserver', 'WebserverLogs'],
];

function bucketName(arn: string): string {
  const m = /^arn:aws[a-z-]*:s3:::([^/]+)$/.exec(arn);
  if (!m) throw new Error(`SourceBucketArn ${arn} is not an S3 bucket ARN`);
  return m[1];
}

async function exists(fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (e) {
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (err.$metadata?.httpStatusCode === 404 || /NotFound|NoSuchEntity|NoSuchKey/.test(err.name ?? '')) return false;
    throw e;
  }
}

/** The spec (as YAML data) for an environment as GetEnvironment returns it. Pure. */
export function specFromEnvironment(
  env: Environment,
  vpcId: string,
  region: string,
  artifactSources: Record<string, { source: string; key: string } | { key: string; versionId: string }>,
  retentionDays?: number,
): { spec: Record<string, unknown>; notes: string[] } {
  const notes: string[] = [];
  const name = env.Name!;
  const tags = Object.fromEntries(Object.entries(env.Tags ?? {}).filter(([k]) => !k.startsWith('aws:')));
  const logging: Record<string, unknown> = {};
  for (const [key, api] of LOG_MODULES) {
    const m = env.LoggingConfiguration?.[api];
    logging[key] = { level: m?.LogLevel ?? 'INFO', enabled: m?.Enabled ?? false };
  }
  const airflow: Record<string, unknown> = {
    version: env.AirflowVersion,
    environmentClass: env.EnvironmentClass,
    schedulers: env.Schedulers,
    workers: { min: env.MinWorkers, max: env.MaxWorkers },
    // @aws-sdk/client-mwaa 3.523.0 predates Min/MaxWebservers and drops them; read them when a newer SDK keeps them.
    webservers: { min: (env as Record<string, unknown>).MinWebservers, max: (env as Record<string, unknown>).MaxWebservers },
    webserverAccess: env.WebserverAccessMode,
    endpointManagement: env.EndpointManagement,
  };
  if (env.WeeklyMaintenanceWindowStart) airflow.maintenanceWindow = env.WeeklyMaintenanceWindowStart;
  if (env.AirflowConfigurationOptions && Object.keys(env.AirflowConfigurationOptions).length) airflow.configuration = { ...env.AirflowConfigurationOptions };
  if (retentionDays !== undefined) logging.retentionDays = retentionDays;
  airflow.logging = logging;
  for (const k of Object.keys(airflow)) if (airflow[k] === undefined) delete airflow[k];
  for (const k of ['workers', 'webservers']) {
    const mm = airflow[k] as Record<string, unknown>;
    if (mm.min === undefined || mm.max === undefined) {
      delete airflow[k];
      notes.push(`${k} min/max not returned by the API client; the spec uses the defaults`);
    }
  }
  const bucket: Record<string, unknown> = { existingArn: env.SourceBucketArn, dagsPath: env.DagS3Path ?? 'dags' };
  for (const [field, a] of Object.entries(artifactSources)) bucket[field] = a;
  const spec: Record<string, unknown> = {
    apiVersion: 'mwaa-gitops/v1',
    name,
    region,
    ...(Object.keys(tags).length ? { tags } : {}),
    // Adopting must not retag what exists: no tool tags through the provider's default tags.
    managedTags: false,
    airflow,
    network: {
      mode: 'existing',
      vpcId,
      subnetIds: env.NetworkConfiguration?.SubnetIds ?? [],
      securityGroupIds: env.NetworkConfiguration?.SecurityGroupIds ?? [],
    },
    bucket,
    encryption: env.KmsKey ? { kms: 'existing', keyArn: env.KmsKey } : { kms: 'aws-owned' },
    // The environment's role is kept as it is (not replaced by a role and policy this stack would create).
    ...(env.ExecutionRoleArn ? { iam: { executionRoleArn: env.ExecutionRoleArn } } : {}),
  };
  return { spec, notes };
}

type TfResource = Record<string, unknown>;

/** `${aws_iam_role.execution.name}` -> the literal `name` of that resource in the same config, if literal. */
function literal(v: unknown, resources: Record<string, Record<string, TfResource>>): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.(name|id|bucket)\}$/.exec(v);
  if (!m) return v.includes('${') ? undefined : v;
  const r = resources[m[1]]?.[m[2]];
  const attr = m[1] === 'aws_s3_bucket' ? r?.bucket : r?.name;
  return literal(attr, resources);
}

export interface ImportOptions {
  repoRoot: string;
  name: string;
  region: string;
  /** Spec file to write (default environments/<name>.yaml, relative to repoRoot). */
  out?: string;
  target?: ImportTarget;
  clients?: AwsClients;
  /** Overwrite existing files. */
  force?: boolean;
}

export async function importEnvironment(opts: ImportOptions): Promise<ImportResult> {
  const c = opts.clients ?? makeClients(opts.region, opts.target);
  const { Environment: env } = await c.mwaa.send(new GetEnvironmentCommand({ Name: opts.name }));
  if (!env?.Name) throw new Error(`GetEnvironment ${opts.name}: no environment in the answer`);
  const subnets = env.NetworkConfiguration?.SubnetIds ?? [];
  const described = await c.ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnets }));
  const vpcs = [...new Set((described.Subnets ?? []).map((s) => s.VpcId).filter((v): v is string => !!v))];
  if (vpcs.length !== 1) throw new Error(`subnets ${subnets.join(', ')} are in ${vpcs.length} VPCs (${vpcs.join(', ') || 'none'}); expected one`);
  const bucket = bucketName(env.SourceBucketArn ?? '');
  const account = /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(env.ExecutionRoleArn ?? '')?.[1];

  // Artifacts: the spec pins the object version the environment runs with ({ key, versionId }: nothing is uploaded,
  // so the first plan is imports only). A copy is downloaded into airflow/<name>/ so the file can be read, reviewed
  // and later managed from the repository (replace versionId with source: the next apply uploads a new version).
  // Without a version id (an unversioned object), the spec uploads the copy (source), which makes a new version.
  const artifacts: string[] = [];
  const artifactSources: Record<string, { source: string; key: string } | { key: string; versionId: string }> = {};
  const fields: Array<[string, string | undefined, string | undefined]> = [
    ['requirements', env.RequirementsS3Path, env.RequirementsS3ObjectVersion],
    ['plugins', env.PluginsS3Path, env.PluginsS3ObjectVersion],
    ['startupScript', env.StartupScriptS3Path, env.StartupScriptS3ObjectVersion],
  ];
  for (const [field, key, version] of fields) {
    if (!key) continue;
    const obj = await c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: version }));
    const bytes = Buffer.from(await obj.Body!.transformToByteArray());
    const source = path.posix.join('airflow', env.Name, path.posix.basename(key));
    const abs = path.join(opts.repoRoot, source);
    if (fs.existsSync(abs) && !opts.force) throw new Error(`${source} exists; pass --force to overwrite`);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, bytes);
    artifacts.push(source);
    const pinnedVersion = version ?? obj.VersionId;
    artifactSources[field] = pinnedVersion && pinnedVersion !== 'null' ? { key, versionId: pinnedVersion } : { source, key };
  }

  // Log group retention: the five groups MWAA uses, read so the spec keeps it (one value for all five).
  let retentionDays: number | undefined;
  const retentionNotes: string[] = [];
  const groupNames = LOG_MODULES.map(([, api]) => /:log-group:([^:]+)/.exec(env.LoggingConfiguration?.[api]?.CloudWatchLogGroupArn ?? '')?.[1]).filter((n): n is string => !!n);
  if (c.logGroups && groupNames.length) {
    const found = await c.logGroups(groupNames);
    const values = [...new Set(Object.values(found))];
    if (values.length === 1) retentionDays = values[0];
    else if (values.length > 1) {
      retentionDays = Math.max(...values);
      retentionNotes.push(`the log groups have different retentions (${Object.entries(found).map(([n, d]) => `${n}: ${d || 'never expire'}`).join(', ')}); the spec uses ${retentionDays}, the first plan changes the others`);
    }
  }

  const { spec, notes } = specFromEnvironment(env, vpcs[0], opts.region, artifactSources, retentionDays);
  notes.push(...retentionNotes);
  for (const [field, a] of Object.entries(artifactSources)) {
    if ('versionId' in a) notes.push(`bucket.${field} pins version ${a.versionId} of ${a.key} (nothing is uploaded; a copy is in ${artifacts.find((f) => path.posix.basename(f) === path.posix.basename(a.key)) ?? `airflow/${env.Name}/`}): replace versionId with source: <that copy> to manage the file from the repository (the next apply uploads it as a new version)`);
  }
  const specRel = opts.out ?? path.posix.join('environments', `${env.Name}.yaml`);
  const specAbs = path.resolve(opts.repoRoot, specRel);
  const importsAbs = importsFile(opts.repoRoot, env.Name);
  for (const f of [specAbs, importsAbs]) if (fs.existsSync(f) && !opts.force) throw new Error(`${path.relative(opts.repoRoot, f)} exists; pass --force to overwrite`);
  const yamlText = `# Imported from the MWAA environment ${env.Name} (${opts.region}) by mwaa-gitops import.\n${stringify(spec, { lineWidth: 0 })}`;

  // The spec must be valid before anything is written.
  const checked = validateText(yamlText, { repoRoot: opts.repoRoot, file: specAbs });
  if (!checked.spec || hasErrors(checked.findings)) {
    const lines = checked.findings.filter((f) => f.severity === 'error').map((f) => `  ${f.path || '(document)'}: ${f.message}`);
    throw new Error(`the imported environment does not make a valid spec:\n${lines.join('\n')}`);
  }

  // Which stack resources exist already: synthesize the new spec to a temp dir and look each one up.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mwaa-gitops-import-'));
  const imports: Record<string, string> = {};
  const toCreate: string[] = [];
  try {
    const [res] = synthesize([checked.spec], { repoRoot: opts.repoRoot, outDir: tmp, stateDir: path.join(tmp, 'state') });
    const tf = JSON.parse(fs.readFileSync(res.file, 'utf8')) as { resource?: Record<string, Record<string, TfResource>> };
    const resources = tf.resource ?? {};
    const lookups: Array<Promise<void>> = [];
    for (const [type, byName] of Object.entries(resources)) {
      for (const [logical, r] of Object.entries(byName)) {
        const address = `${type}.${logical}`;
        const found = (id: string | undefined) => {
          if (id) imports[address] = id;
          else toCreate.push(address);
        };
        const name = literal(r.name, resources);
        lookups.push(
          (async () => {
            switch (type) {
              case 'aws_mwaa_environment':
                found(env.Name);
                return;
              case 'aws_cloudwatch_log_group': {
                const arns = LOG_MODULES.map(([, api]) => env.LoggingConfiguration?.[api]?.CloudWatchLogGroupArn).filter(Boolean) as string[];
                found(name && arns.some((a) => a.endsWith(`:log-group:${name}`) || a.endsWith(`:log-group:${name}:*`)) ? name : undefined);
                return;
              }
              case 'aws_iam_role':
                found(name && (await exists(() => c.iam.send(new GetRoleCommand({ RoleName: name })))) ? name : undefined);
                return;
              case 'aws_iam_policy': {
                const arn = name && account ? `arn:aws:iam::${account}:policy/${typeof r.path === 'string' ? r.path.replace(/^\/|\/$/g, '') + (r.path === '/' ? '' : '/') : ''}${name}`.replace(':policy//', ':policy/') : undefined;
                found(arn && (await exists(() => c.iam.send(new GetPolicyCommand({ PolicyArn: arn })))) ? arn : undefined);
                return;
              }
              case 'aws_iam_role_policy_attachment': {
                const role = literal(r.role, resources);
                const pm = typeof r.policy_arn === 'string' ? /^\$\{aws_iam_policy\.([A-Za-z0-9_-]+)\.arn\}$/.exec(r.policy_arn) : null;
                const pname = pm ? literal(resources.aws_iam_policy?.[pm[1]]?.name, resources) : undefined;
                const parn = pm && pname && account ? `arn:aws:iam::${account}:policy/${pname}` : typeof r.policy_arn === 'string' && !r.policy_arn.includes('${') ? r.policy_arn : undefined;
                if (!role || !parn) return found(undefined);
                try {
                  const att = await c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role }));
                  found((att.AttachedPolicies ?? []).some((p) => p.PolicyArn === parn) ? `${role}/${parn}` : undefined);
                } catch {
                  found(undefined);
                }
                return;
              }
              case 'aws_s3_object': {
                const b = literal(r.bucket, resources);
                const key = typeof r.key === 'string' && !r.key.includes('${') ? r.key : undefined;
                found(b && key && (await exists(() => c.s3.send(new HeadObjectCommand({ Bucket: b, Key: key })))) ? `${b}/${key}` : undefined);
                return;
              }
              default:
                toCreate.push(address);
            }
          })(),
        );
      }
    }
    await Promise.all(lookups);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  fs.mkdirSync(path.dirname(specAbs), { recursive: true });
  fs.writeFileSync(specAbs, yamlText);
  const sorted = Object.fromEntries(Object.entries(imports).sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(importsAbs, `${JSON.stringify({ source: `mwaa-gitops import ${env.Name} --region ${opts.region}`, imports: sorted }, null, 2)}\n`);
  return { name: env.Name, specFile: specAbs, importsFile: importsAbs, spec, imports: sorted, toCreate: toCreate.sort(), artifacts, notes };
}
