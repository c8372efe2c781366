/**
 * One Terraform stack (own state) per environment, composed from a validated {@link EnvironmentSpec}:
 * provider with default tags, backend, KMS key, bucket + artifacts, IAM, log groups, network, MWAA, outputs.
 *
 * Account id: taken from the spec's `account`. When absent, an `aws_caller_identity` data source supplies it
 * (that data source calls STS at plan time).
 * Partition, service principals, endpoint service names: src/aws/partition.ts (data/partitions.json).
 * Resource names: src/aws/names.ts (shortened deterministically where AWS limits require, as rule MWAA-NAME-002 checks).
 * Availability zones: pinned AZ IDs or an `aws_availability_zones` lookup (stacks/network.ts).
 */
import * as path from 'path';
import type { Construct } from 'constructs';
import { Fn, LocalBackend, S3Backend, TerraformOutput, type ITerraformDependable } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import type { EnvironmentSpec } from '../src/spec/types';
import { LiteralStack, lit, litDeep, litMap } from './literal';
import type { EnvironmentIdentity } from './policies';
import { partitionOf } from '../src/aws/partition';
import { derivedNames } from '../src/aws/names';
import { endpointServicesFor } from '../src/aws/endpoints';
import { MANAGED_BY_TAGS, effectiveTags } from '../src/aws/tags';
import { MwaaKey } from './kms';
import { MwaaBucket } from './bucket';
import { MwaaExecutionPolicy, MwaaExecutionRole, MwaaWebAccess } from './iam';
import { MwaaLogGroups } from './logs';
import { MwaaNetwork } from './network';
import { MwaaEnvironmentConstruct } from './mwaa';

export interface EnvironmentStackOptions {
  /** Repository root (default state directory lives under it). */
  readonly repoRoot: string;
  /** Directory this stack's cdk.tf.json is written to; relative paths in it (artifacts, local state) start here. */
  readonly stackDir: string;
  /** Local state root (default `<repoRoot>/.mwaa-gitops/state`); state file `<stateDir>/<env>/terraform.tfstate`. */
  readonly stateDir?: string;
  /**
   * Extra arguments merged into the aws provider block, Terraform names (`endpoints`, `skip_credentials_validation`,
   * `access_key`, ...). For test/emulator targets only; nothing is set by default.
   */
  readonly providerOverrides?: Record<string, unknown>;
  /**
   * Extra arguments merged into the S3 backend block (`state.backend: s3` only), Terraform names (`endpoints`,
   * `use_path_style`, `access_key`, `skip_credentials_validation`, ...). For test/emulator targets only.
   */
  readonly s3BackendOverrides?: Record<string, unknown>;
}

export { MANAGED_BY_TAGS };

export class EnvironmentStack extends LiteralStack {
  readonly spec: EnvironmentSpec;
  readonly network: MwaaNetwork;
  readonly key: MwaaKey;
  readonly bucket: MwaaBucket;
  readonly role: MwaaExecutionRole;
  /** Absent with an existing execution role (`iam.executionRoleArn`). */
  readonly policy?: MwaaExecutionPolicy;
  readonly logs: MwaaLogGroups;
  readonly mwaa: MwaaEnvironmentConstruct;

  constructor(scope: Construct, spec: EnvironmentSpec, options: EnvironmentStackOptions) {
    super(scope, spec.name);
    this.spec = spec;
    const name = spec.name;

    const provider = new AwsProvider(this, 'aws', {
      region: lit(this, spec.region),
      allowedAccountIds: spec.account !== undefined ? [lit(this, spec.account)] : undefined,
      defaultTags: Object.keys(EnvironmentStack.defaultTagsOf(spec)).length ? [{ tags: litMap(this, EnvironmentStack.defaultTagsOf(spec)) }] : undefined,
    });
    for (const [k, v] of Object.entries(options.providerOverrides ?? {})) provider.addOverride(k, litDeep(this, v));

    this.addBackend(spec, options);

    const caller = spec.account === undefined ? new DataAwsCallerIdentity(this, 'current') : undefined;
    const account = caller ? caller.accountId : lit(this, spec.account!);
    const identity: EnvironmentIdentity = {
      name: lit(this, name),
      region: lit(this, spec.region),
      partition: partitionOf(spec.region),
      account,
    };
    const names = derivedNames(name);
    const preventDestroy = spec.protection.preventDestroy;

    this.role = new MwaaExecutionRole(this, 'iam', { identity, name, roleName: names.executionRole, iam: spec.iam });
    this.key = new MwaaKey(this, 'kms', {
      identity,
      name,
      encryption: spec.encryption,
      aliasName: names.kmsAlias,
      executionRoleArn: this.role.roleArn,
      preventDestroy,
    });
    this.bucket = new MwaaBucket(this, 'storage', {
      bucket: spec.bucket,
      kmsKeyArn: this.key.keyArn,
      preventDestroy,
      stackDir: options.stackDir,
    });
    if (this.role.role) {
      this.policy = new MwaaExecutionPolicy(this, 'iam_policy', {
        identity,
        name,
        policyName: names.executionPolicy,
        iam: spec.iam,
        role: this.role.role,
        bucketArn: this.bucket.bucketArn,
        kmsKeyArn: this.key.keyArn,
      });
    }
    if (Object.keys(spec.iam.webAccess).length) {
      new MwaaWebAccess(this, 'web_access', {
        identity,
        name,
        webAccess: spec.iam.webAccess,
        policyName: names.webLoginPolicy,
        callerAccountId: caller?.accountId,
      });
    }
    this.logs = new MwaaLogGroups(this, 'logs', {
      groupNames: names.logGroups,
      retentionDays: spec.airflow.logging.retentionDays,
      kmsKeyArn: this.key.keyArn,
    });
    this.network = new MwaaNetwork(this, 'network', {
      name,
      securityGroupName: names.securityGroup,
      region: spec.region,
      partition: identity.partition,
      network: spec.network,
      endpointServices: endpointServicesFor(spec),
    });

    const dependsOn: ITerraformDependable[] = [
      ...(this.policy ? [this.policy.attachment] : []),
      ...this.bucket.dependables,
      ...this.logs.all,
      ...this.network.dependables,
    ];
    this.mwaa = new MwaaEnvironmentConstruct(this, 'mwaa', {
      name,
      airflow: spec.airflow,
      executionRoleArn: this.role.roleArn,
      sourceBucketArn: this.bucket.bucketArn,
      dagsPath: spec.bucket.dagsPath,
      subnetIds: this.network.subnetIds,
      securityGroupIds: this.network.securityGroupIds,
      kmsKeyArn: this.key.keyArn,
      requirements: this.bucket.artifacts.requirements,
      plugins: this.bucket.artifacts.plugins,
      startupScript: this.bucket.artifacts.startupScript,
      tags: spec.tags,
      preventDestroy,
      dependsOn,
      preconditions: this.network.preconditions,
    });

    const env = this.mwaa.environment;
    new TerraformOutput(this, 'webserver_url', { value: Fn.format('https://%s', [env.webserverUrl]), description: 'Airflow UI URL' });
    new TerraformOutput(this, 'environment_arn', { value: env.arn });
    new TerraformOutput(this, 'execution_role_arn', { value: this.role.roleArn });
    new TerraformOutput(this, 'bucket_name', { value: this.bucket.bucketName });
    new TerraformOutput(this, 'security_group_ids', { value: this.network.securityGroupIds });
    new TerraformOutput(this, 'subnet_ids', { value: this.network.subnetIds });
  }

  /** Provider default tags: the spec's tags plus, unless `managedTags: false`, the tool's own (src/aws/tags.ts). */
  private static defaultTagsOf(spec: EnvironmentSpec): Record<string, string> {
    return effectiveTags(spec);
  }

  private addBackend(spec: EnvironmentSpec, options: EnvironmentStackOptions): void {
    const state = spec.state;
    if (state.backend === 's3') {
      const backend = new S3Backend(this, {
        bucket: lit(this, state.bucket),
        key: lit(this, state.key),
        region: lit(this, state.region),
        dynamodbTable: state.dynamodbTable !== undefined ? lit(this, state.dynamodbTable) : undefined,
        encrypt: true,
      });
      backend.addOverride('use_lockfile', true);
      for (const [k, v] of Object.entries(options.s3BackendOverrides ?? {})) backend.addOverride(k, litDeep(this, v));
      return;
    }
    const stateDir = options.stateDir ?? path.join(options.repoRoot, '.mwaa-gitops', 'state');
    const file = path.join(stateDir, spec.name, 'terraform.tfstate');
    const rel = path.relative(options.stackDir, file).split(path.sep).join('/');
    new LocalBackend(this, { path: lit(this, rel) });
  }
}
