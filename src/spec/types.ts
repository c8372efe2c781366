import type { ArtifactFiles } from '../artifacts/model';

/**
 * The typed, resolved environment spec: what every stage after validation sees.
 *
 * "Resolved" means: `extends` overlays merged, defaults applied, schema and MWAA rules passed.
 * Field names are the user-facing YAML contract (see README "Spec format"); do not rename them.
 */

/** The artifact fields of `bucket` (files uploaded beside the DAGs folder): the one list every stage reads. */
export const ARTIFACT_FIELDS = ['requirements', 'plugins', 'startupScript'] as const;
export type ArtifactKind = (typeof ARTIFACT_FIELDS)[number];

export type EnvironmentClass = 'mw1.micro' | 'mw1.small' | 'mw1.medium' | 'mw1.large' | 'mw1.xlarge' | 'mw1.2xlarge';
export type LogLevel = 'CRITICAL' | 'ERROR' | 'WARNING' | 'INFO' | 'DEBUG';
export type WebserverAccess = 'PUBLIC_ONLY' | 'PRIVATE_ONLY';
export type EndpointManagement = 'SERVICE' | 'CUSTOMER';

export interface LogModule {
  level: LogLevel;
  /** Default true. */
  enabled: boolean;
}

export interface LoggingSpec {
  dagProcessing: LogModule;
  scheduler: LogModule;
  task: LogModule;
  worker: LogModule;
  webserver: LogModule;
  /** CloudWatch Logs retention of the five pre-created log groups, in days; 0 = never expire. */
  retentionDays: number;
}

export interface MinMax {
  min: number;
  max: number;
}

export interface AirflowSpec {
  version: string;
  environmentClass: EnvironmentClass;
  schedulers: number;
  workers: MinMax;
  webservers: MinMax;
  webserverAccess: WebserverAccess;
  endpointManagement: EndpointManagement;
  /** `DAY:HH:MM` (UTC), minutes 00 or 30. Absent: MWAA picks one. */
  maintenanceWindow?: string;
  /** Airflow configuration options, `section.option` -> string value. */
  configuration: Record<string, string>;
  logging: LoggingSpec;
}

export interface CreateNetworkSpec {
  mode: 'create';
  /** public: IGW + NAT gateways; private: VPC endpoints, no internet. */
  routing: 'public' | 'private';
  vpcCidr: string;
  /** Two CIDRs; only used (and required) with routing: public. */
  publicSubnets: string[];
  /** Two CIDRs, the environment's subnets. */
  privateSubnets: string[];
  natGateways: 'perAz' | 'single';
  /** HTTPS ingress to a PRIVATE_ONLY webserver. */
  webAccessCidrs: string[];
  /**
   * Two AZ IDs (`use1-az1`) pinning the subnet pairs (`availability_zone_id`). Absent: the first two zones of the
   * account's available, no-opt-in zones (an `aws_availability_zones` lookup at plan time).
   */
  availabilityZoneIds?: string[];
  /** More interface VPC endpoints (service names such as `sts`, `glue`, `athena`); default none. */
  extraEndpoints?: string[];
}

export interface ExistingNetworkSpec {
  mode: 'existing';
  vpcId: string;
  /** Exactly two private subnets in different AZs. */
  subnetIds: string[];
  /** One to five security groups. */
  securityGroupIds: string[];
}

export type NetworkSpec = CreateNetworkSpec | ExistingNetworkSpec;

export interface ArtifactSpec {
  /** Path as written in the YAML, relative to the repository root. */
  source: string;
  /**
   * Absolute path of the file, filled in by the loader after checking that it exists and
   * stays inside the repository. Stacks read the file only through this.
   */
  resolvedPath: string;
  /** S3 key in the bucket; default derived from the file name (e.g. `requirements.txt`). */
  key: string;
}

/**
 * An artifact already in an existing bucket, pinned at one object version (`{ key, versionId }` in the YAML): the
 * stack uploads nothing and the environment keeps that version. `mwaa-gitops import` writes this form, so adopting an
 * environment changes nothing.
 */
export interface PinnedArtifactSpec {
  key: string;
  versionId: string;
}

export interface BucketSpec {
  /** Bucket name; derived from `name` when absent (and no existingArn). */
  name: string;
  /** Use an existing bucket instead of creating one. */
  existingArn?: string;
  dagsPath: string;
  requirements?: ArtifactSpec;
  plugins?: ArtifactSpec;
  startupScript?: ArtifactSpec;
  /** Artifacts written as `{ key, versionId }`: pinned object versions in the existing bucket, not uploaded. */
  pinned?: Partial<Record<'requirements' | 'plugins' | 'startupScript', PinnedArtifactSpec>>;
  noncurrentVersionExpirationDays: number;
  /** false: no lifecycle configuration on the created bucket (another tool owns it). Absent: managed. */
  manageLifecycle?: boolean;
  /**
   * Lifecycle `NewerNoncurrentVersions`: the newest noncurrent versions of each object kept whatever their age, so
   * the version an environment still pins after failed updates is not expired. Absent: {@link DEFAULT_NONCURRENT_VERSIONS_KEPT}.
   */
  noncurrentVersionsKept?: number;
}

/** Default of `bucket.noncurrentVersionsKept` (also in schemas/environment.schema.json). */
export const DEFAULT_NONCURRENT_VERSIONS_KEPT = 10;

export type EncryptionSpec =
  | { kms: 'aws-owned' }
  | { kms: 'create' }
  | { kms: 'existing'; keyArn: string };

/** An IAM policy statement as written in the YAML (IAM JSON field names). */
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface SecretsBackendSpec {
  connectionsPrefix: string;
  variablesPrefix: string;
}

export interface IamSpec {
  extraPolicyStatements: PolicyStatement[];
  secretsBackend?: SecretsBackendSpec;
  permissionsBoundaryArn?: string;
  /**
   * Use this existing execution role instead of creating one (and its policy). Absent: the stack creates the
   * role `<name>-execution` with the generated policy. Set by `mwaa-gitops import` to the environment's role.
   */
  executionRoleArn?: string;
  /** Airflow role name (Admin, Op, User, Viewer, Public) -> IAM role ARNs allowed to log in with it. */
  webAccess: Record<string, string[]>;
}

export type StateSpec =
  | { backend: 'local' }
  | { backend: 's3'; bucket: string; key: string; region: string; dynamodbTable?: string };

export interface EnvironmentSpec {
  apiVersion: 'mwaa-gitops/v1';
  name: string;
  region: string;
  /** Optional guard: refuse to plan/apply in another account. */
  account?: string;
  tags: Record<string, string>;
  /**
   * Add the tool's own tags (`mwaa-gitops:environment`, `managed-by`) to every resource through the provider's
   * default tags. Absent = true. `mwaa-gitops import` writes false so adopted resources keep their tags.
   */
  managedTags?: boolean;
  airflow: AirflowSpec;
  network: NetworkSpec;
  bucket: BucketSpec;
  encryption: EncryptionSpec;
  iam: IamSpec;
  protection: { preventDestroy: boolean };
  state: StateSpec;
  /**
   * Terraform import blocks (resource address -> import id) from `environments/<name>.imports.json`, loaded with
   * the spec; not a key of the spec file.
   */
  imports?: Record<string, string>;
}

/** Where a value came from: file (absolute path) and 1-based line/column. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

/**
 * A spec after `extends` and defaults, before typing: plain data plus positions.
 * `positions` maps a dotted key path (`airflow.workers.max`, `network.privateSubnets.1`) to
 * the position of the value (and `keyPositions` of the key) in the file that set it last.
 */
export interface ResolvedDocument {
  /** Absolute path of the environment's own file. */
  file: string;
  /** Repository root all relative paths (extends, artifacts) resolve against. */
  repoRoot: string;
  /** Files that contributed, the environment file last. */
  files: string[];
  data: Record<string, unknown>;
  positions: Map<string, SourcePosition>;
  keyPositions: Map<string, SourcePosition>;
  /**
   * Artifact side files (requirements.txt, plugins.zip, startup script) as the loader read them: content with the
   * artifact's own file path, so artifact rules judge data and report at the artifact's file and line.
   */
  artifacts?: ArtifactFiles;
  /** Absolute path of `environments/<name>.imports.json`, whether or not it exists (an input of the environment). */
  importsFile?: string;
  /** Its content (resource address -> import id) when it exists and is valid. */
  imports?: Record<string, string>;
}
