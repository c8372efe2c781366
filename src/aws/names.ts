/**
 * Every AWS resource name derived from the environment name, in one place: the stacks name their resources with
 * these, and rule MWAA-NAME-002 checks the same values against the limits of data/aws-limits.json. So a spec that
 * passes `validate` never fails at plan or apply on a name length.
 *
 * A name that would exceed its limit is shortened deterministically: a readable prefix of the environment name, a
 * `-` and 8 hex characters of the SHA-256 of the whole environment name, then the suffix
 * (`<first 45 characters>-1a2b3c4d-execution` for an IAM role). Names that fit are unchanged, so environments whose
 * names fit keep their resources.
 */
import * as crypto from 'crypto';

const limitsTable = require('../../data/aws-limits.json') as LimitsTable;

export type NameKind = 'iamRole' | 'iamPolicy' | 'securityGroup' | 'kmsAlias' | 'logGroup' | 's3Bucket';

export interface NameLimit {
  max: number;
  what: string;
  resource: string;
  attribute: string;
}

interface LimitsTable {
  source: string[];
  retrieved: string;
  names: Record<NameKind, NameLimit>;
  tags: { perResource: number; perResourceType: Record<string, number> };
}

export const NAME_LIMITS: Readonly<Record<NameKind, NameLimit>> = limitsTable.names;

/** At most this many tags on one resource (per resource type where AWS has another limit). */
export function tagLimit(resourceType?: string): number {
  return (resourceType && limitsTable.tags.perResourceType[resourceType]) || limitsTable.tags.perResource;
}

/** Short stable hash of a name (8 hex characters of SHA-256). */
export function nameHash(s: string): string {
  return crypto.createHash('sha256').update(s).digest('hex').slice(0, 8);
}

/**
 * `<base><suffix>` when it fits in `max` characters, else `<prefix of base>-<hash of base><suffix>` of exactly
 * `max` characters or less. Trailing `-`/`_`/`.` of the kept prefix are dropped so the result stays readable.
 */
export function fitName(base: string, suffix: string, max: number): string {
  const whole = `${base}${suffix}`;
  if (whole.length <= max) return whole;
  const keep = max - suffix.length - 9;
  if (keep < 1) throw new Error(`internal: suffix "${suffix}" leaves no room in a ${max}-character name`);
  return `${base.slice(0, keep).replace(/[-_.]+$/, '')}-${nameHash(base)}${suffix}`;
}

/** Log group module suffixes, in the order of the MWAA logging configuration (MWAA names the groups itself). */
export const LOG_GROUP_MODULES = ['DAGProcessing', 'Scheduler', 'Task', 'Worker', 'WebServer'] as const;
export type LogGroupModule = (typeof LOG_GROUP_MODULES)[number];

export type NamedResource = 'executionRole' | 'executionPolicy' | 'securityGroup' | 'kmsAlias' | 'webLoginPolicy' | 'logGroup';

export interface DerivedName {
  /** Which resource carries the name. */
  resource: NamedResource;
  kind: NameKind;
  /** What the name is for, for messages (`execution role`). */
  label: string;
  value: string;
  /** The name before shortening (equal to value when it fit). */
  unshortened: string;
}

export interface DerivedNames {
  executionRole: string;
  executionPolicy: string;
  securityGroup: string;
  kmsAlias: string;
  /** `airflow-<name>-<Module>`: fixed by MWAA, never shortened. */
  logGroups: Record<LogGroupModule, string>;
  webLoginPolicy(airflowRole: string): string;
  /** Every fixed name with its kind, for rule MWAA-NAME-002 (web-login policies for the given Airflow roles). */
  all(airflowRoles?: readonly string[]): DerivedName[];
}

/** The names of the resources an environment's stack creates. */
export function derivedNames(envName: string): DerivedNames {
  const make = (resource: NamedResource, kind: NameKind, label: string, base: string, suffix: string): DerivedName => ({
    resource,
    kind,
    label,
    value: fitName(base, suffix, NAME_LIMITS[kind].max),
    unshortened: `${base}${suffix}`,
  });
  const role = make('executionRole', 'iamRole', 'execution role', envName, '-execution');
  const policy = make('executionPolicy', 'iamPolicy', 'execution policy', envName, '-execution');
  const sg = make('securityGroup', 'securityGroup', 'security group', envName, '-mwaa');
  const alias = make('kmsAlias', 'kmsAlias', 'KMS alias', `alias/${envName}`, '-mwaa');
  const web = (airflowRole: string) => make('webLoginPolicy', 'iamPolicy', `web-login policy (${airflowRole})`, envName, `-web-login-${airflowRole}`);
  const logGroups = Object.fromEntries(LOG_GROUP_MODULES.map((m) => [m, `airflow-${envName}-${m}`])) as Record<LogGroupModule, string>;
  return {
    executionRole: role.value,
    executionPolicy: policy.value,
    securityGroup: sg.value,
    kmsAlias: alias.value,
    logGroups,
    webLoginPolicy: (r) => web(r).value,
    all: (airflowRoles = []) => [
      role,
      policy,
      sg,
      alias,
      ...airflowRoles.map(web),
      ...LOG_GROUP_MODULES.map((m) => ({ resource: 'logGroup' as const, kind: 'logGroup' as const, label: `${m} log group`, value: logGroups[m], unshortened: logGroups[m] })),
    ],
  };
}

/**
 * Default bucket name `<name>-airflow-<region>`, lowercased and cut to S3's 63 characters. Kept as it was (a cut,
 * not a hash) so that existing environments keep their buckets; two environments whose cut names collide are
 * refused by rule MWAA-X-002 (bucket names unique).
 */
export function defaultBucketName(name: string, region: string | undefined): string {
  const max = NAME_LIMITS.s3Bucket.max;
  let s = `${name}-airflow${region ? `-${region}` : ''}`.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
  s = s.replace(/\.{2,}/g, '.').replace(/-{2,}/g, '-').replace(/^[^a-z0-9]+/, '');
  if (s.length > max) s = s.slice(0, max);
  s = s.replace(/[^a-z0-9]+$/, '');
  return s.length >= 3 ? s : `${s}-airflow`.slice(0, max);
}
