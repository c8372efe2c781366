/**
 * Defaults the MWAA guide recommends, applied after `extends` merging, before the schema.
 * Only absent keys are filled, and only inside values of the right shape (a wrong type is left
 * for the schema to report). Every default is also documented in schemas/environment.schema.json.
 */
import * as path from 'path';
import { airflowVersion, compareVersions, supportedVersions } from '../rules/data';
import { isPlainObject, setOwn } from './merge';
import { defaultBucketName } from '../aws/names';
import { ARTIFACT_FIELDS, DEFAULT_NONCURRENT_VERSIONS_KEPT } from './types';

/** Used only when no row of data/airflow-versions.json qualifies (see latestSupportedVersion). */
export const FALLBACK_AIRFLOW_VERSION = '2.10.3';

export const DEFAULT_LOG_LEVEL = 'INFO';
export const LOG_MODULES = ['dagProcessing', 'scheduler', 'task', 'worker', 'webserver'] as const;

/**
 * The newest Airflow version of data/airflow-versions.json (read through src/rules/data.ts, the one reader of that
 * table) that is supported, verified, and not past its limited-support or end-of-support date.
 */
export function latestSupportedVersion(today: Date = new Date()): string {
  const past = (d: string | null) => d !== null && new Date(d).getTime() <= today.getTime();
  const ok = supportedVersions()
    .map((v) => airflowVersion(v)!)
    .filter((v) => v.status === 'supported' && v.verified && !past(v.limitedSupportDate) && !past(v.endOfSupportDate))
    .map((v) => v.version);
  return ok.sort(compareVersions)[ok.length - 1] ?? FALLBACK_AIRFLOW_VERSION;
}

let cachedVersion: string | undefined;
function defaultVersion(): string {
  if (cachedVersion === undefined) cachedVersion = latestSupportedVersion();
  return cachedVersion;
}

/** The object at `parent[key]`, created when absent; undefined when it holds something else. */
function child(parent: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const v = parent[key];
  if (v === undefined) {
    const o: Record<string, unknown> = {};
    setOwn(parent, key, o);
    return o;
  }
  return isPlainObject(v) ? v : undefined;
}

function fill(obj: Record<string, unknown> | undefined, key: string, value: unknown): void {
  if (obj && obj[key] === undefined) setOwn(obj, key, value);
}

/** A valid bucket name derived from the environment name and region: `<name>-airflow-<region>` (src/aws/names.ts). */
export function deriveBucketName(name: string, region: string | undefined): string {
  return defaultBucketName(name, region);
}

export interface DefaultsOptions {
  defaultVersion?: string;
}

/** Fill absent fields in place. */
export function applyDefaults(data: Record<string, unknown>, opts: DefaultsOptions = {}): void {
  fill(data, 'tags', {});

  const airflow = child(data, 'airflow');
  fill(airflow, 'version', opts.defaultVersion ?? defaultVersion());
  fill(airflow, 'environmentClass', 'mw1.small');
  const micro = airflow?.environmentClass === 'mw1.micro';
  fill(airflow, 'schedulers', micro ? 1 : 2);
  if (airflow) {
    const workers = child(airflow, 'workers');
    fill(workers, 'min', 1);
    fill(workers, 'max', micro ? 1 : 10);
    const webservers = child(airflow, 'webservers');
    fill(webservers, 'min', micro ? 1 : 2);
    fill(webservers, 'max', micro ? 1 : 2);
  }
  fill(airflow, 'webserverAccess', 'PRIVATE_ONLY');
  fill(airflow, 'endpointManagement', 'SERVICE');
  fill(airflow, 'configuration', {});
  const logging = airflow ? child(airflow, 'logging') : undefined;
  if (logging) {
    for (const m of LOG_MODULES) {
      const mod = child(logging, m);
      fill(mod, 'level', DEFAULT_LOG_LEVEL);
      fill(mod, 'enabled', true);
    }
    fill(logging, 'retentionDays', 30);
  }

  // No network section at all: a new VPC (the guide's quick start). A section without `mode` is
  // left for the schema to report.
  const network = data.network === undefined ? child(data, 'network') : isPlainObject(data.network) ? data.network : undefined;
  if (network && Object.keys(network).length === 0) setOwn(network, 'mode', 'create');
  if (network?.mode === 'create') {
    fill(network, 'routing', 'public');
    fill(network, 'vpcCidr', '10.192.0.0/16');
    fill(network, 'publicSubnets', network.routing === 'private' ? [] : ['10.192.10.0/24', '10.192.11.0/24']);
    fill(network, 'privateSubnets', ['10.192.20.0/24', '10.192.21.0/24']);
    fill(network, 'natGateways', 'perAz');
    fill(network, 'webAccessCidrs', []);
    fill(network, 'extraEndpoints', []);
  }

  const bucket = child(data, 'bucket');
  if (bucket) {
    if (bucket.name === undefined) {
      const arn = bucket.existingArn;
      const m = typeof arn === 'string' ? /^arn:aws[a-z-]*:s3:::([^/]+)$/.exec(arn) : null;
      if (m) setOwn(bucket, 'name', m[1]);
      else if (typeof data.name === 'string' && data.name !== '') setOwn(bucket, 'name', deriveBucketName(data.name, typeof data.region === 'string' ? data.region : undefined));
    }
    fill(bucket, 'dagsPath', 'dags');
    fill(bucket, 'noncurrentVersionExpirationDays', 30);
    if (bucket.existingArn === undefined) fill(bucket, 'noncurrentVersionsKept', DEFAULT_NONCURRENT_VERSIONS_KEPT);
    for (const f of ARTIFACT_FIELDS) {
      const a = bucket[f];
      if (isPlainObject(a) && typeof a.source === 'string' && a.source !== '' && a.key === undefined) {
        setOwn(a, 'key', path.posix.basename(a.source.replace(/\\/g, '/')));
      }
    }
  }

  fill(data, 'encryption', { kms: 'aws-owned' });
  const iam = child(data, 'iam');
  fill(iam, 'extraPolicyStatements', []);
  fill(iam, 'webAccess', {});
  const sb = iam?.secretsBackend;
  if (isPlainObject(sb)) {
    fill(sb, 'connectionsPrefix', 'airflow/connections');
    fill(sb, 'variablesPrefix', 'airflow/variables');
  }
  const protection = child(data, 'protection');
  fill(protection, 'preventDestroy', false);
  fill(data, 'state', { backend: 'local' });
}
