/**
 * Defaults the MWAA guide recommends, applied after `extends` merging, before the schema.
 * Only absent keys are filled, and only inside values of the right shape (a wrong type is left
 * for the schema to report). Every default is also documented in schemas/environment.schema.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from '../paths';
import { isPlainObject, setOwn } from './merge';
import { defaultBucketName } from '../aws/names';
import { ARTIFACT_FIELDS, DEFAULT_NONCURRENT_VERSIONS_KEPT } from './types';

/** Used only when data/airflow-versions.json is missing or unreadable. */
export const FALLBACK_AIRFLOW_VERSION = '2.10.3';

export const DEFAULT_LOG_LEVEL = 'INFO';
export const LOG_MODULES = ['dagProcessing', 'scheduler', 'task', 'worker', 'webserver'] as const;

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const dateFields = ['limitedSupport', 'limitedSupportDate', 'deprecationDate', 'deprecated', 'endOfSupport', 'endOfSupportDate'];

/**
 * The version marked `default: true` in data/airflow-versions.json, else the latest one that is
 * verified, supported and not past a limited-support / end-of-support date (read defensively:
 * the table's owner may add fields).
 */
export function latestSupportedVersion(today: Date = new Date(), tablePath?: string): string {
  try {
    const file = tablePath ?? path.join(packageRoot(), 'data', 'airflow-versions.json');
    if (!fs.existsSync(file)) return FALLBACK_AIRFLOW_VERSION;
    const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    const list: unknown[] = Array.isArray(raw) ? raw : isPlainObject(raw) && Array.isArray(raw.versions) ? raw.versions : [];
    const ok: string[] = [];
    for (const e of list) {
      if (!isPlainObject(e) || typeof e.version !== 'string') continue;
      const status = typeof e.status === 'string' ? e.status.toLowerCase() : '';
      if (/deprecat|end|unsupported|limited|retired/.test(status)) continue;
      if (e.deprecated === true || e.supported === false || e.verified === false) continue;
      if (e.default === true) return e.version;
      let past = false;
      for (const f of dateFields) {
        const v = e[f];
        if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v) && new Date(v).getTime() <= today.getTime()) past = true;
      }
      if (!past) ok.push(e.version);
    }
    if (ok.length === 0) return FALLBACK_AIRFLOW_VERSION;
    return ok.sort(compareVersions)[ok.length - 1];
  } catch {
    return FALLBACK_AIRFLOW_VERSION;
  }
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
