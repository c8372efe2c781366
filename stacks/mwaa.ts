/**
 * The `aws_mwaa_environment` (guide §6): every spec field mapped, artifact object versions wired in, and
 * `depends_on` everything MWAA checks at create time (policy attachment, bucket versioning/public-access block,
 * log groups, private-routing endpoints).
 */
import { Construct } from 'constructs';
import type { ITerraformDependable, Precondition } from 'cdktf';
import { MwaaEnvironment } from '@cdktf/provider-aws/lib/mwaa-environment';
import type { AirflowSpec, LogModule } from '../src/spec/types';
import { lit, litMap } from './literal';
import type { UploadedArtifact } from './bucket';

export interface MwaaEnvironmentProps {
  readonly name: string;
  readonly airflow: AirflowSpec;
  readonly executionRoleArn: string;
  readonly sourceBucketArn: string;
  readonly dagsPath: string;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  readonly kmsKeyArn?: string;
  readonly requirements?: UploadedArtifact;
  readonly plugins?: UploadedArtifact;
  readonly startupScript?: UploadedArtifact;
  readonly tags: Record<string, string>;
  readonly preventDestroy: boolean;
  readonly dependsOn: ITerraformDependable[];
  /** Plan-time checks (e.g. existing subnets in two zones, stacks/network.ts). */
  readonly preconditions?: Precondition[];
}

export class MwaaEnvironmentConstruct extends Construct {
  readonly environment: MwaaEnvironment;

  constructor(scope: Construct, id: string, props: MwaaEnvironmentProps) {
    super(scope, id);
    const a = props.airflow;
    const log = (m: LogModule) => ({ enabled: m.enabled, logLevel: m.level });
    const configuration = litMap(this, a.configuration);
    this.environment = new MwaaEnvironment(this, 'environment', {
      name: lit(this, props.name),
      airflowVersion: lit(this, a.version),
      environmentClass: lit(this, a.environmentClass),
      schedulers: a.schedulers,
      minWorkers: a.workers.min,
      maxWorkers: a.workers.max,
      minWebservers: a.webservers.min,
      maxWebservers: a.webservers.max,
      webserverAccessMode: lit(this, a.webserverAccess),
      endpointManagement: lit(this, a.endpointManagement),
      weeklyMaintenanceWindowStart: a.maintenanceWindow !== undefined ? lit(this, a.maintenanceWindow) : undefined,
      airflowConfigurationOptions: Object.keys(configuration).length ? configuration : undefined,
      loggingConfiguration: {
        dagProcessingLogs: log(a.logging.dagProcessing),
        schedulerLogs: log(a.logging.scheduler),
        taskLogs: log(a.logging.task),
        workerLogs: log(a.logging.worker),
        webserverLogs: log(a.logging.webserver),
      },
      executionRoleArn: props.executionRoleArn,
      sourceBucketArn: props.sourceBucketArn,
      dagS3Path: lit(this, props.dagsPath),
      kmsKey: props.kmsKeyArn,
      requirementsS3Path: props.requirements?.key,
      requirementsS3ObjectVersion: props.requirements?.versionId,
      pluginsS3Path: props.plugins?.key,
      pluginsS3ObjectVersion: props.plugins?.versionId,
      startupScriptS3Path: props.startupScript?.key,
      startupScriptS3ObjectVersion: props.startupScript?.versionId,
      networkConfiguration: { subnetIds: props.subnetIds, securityGroupIds: props.securityGroupIds },
      tags: Object.keys(props.tags).length ? litMap(this, props.tags) : undefined,
      dependsOn: props.dependsOn,
      lifecycle:
        props.preventDestroy || props.preconditions?.length
          ? { preventDestroy: props.preventDestroy || undefined, precondition: props.preconditions?.length ? props.preconditions : undefined }
          : undefined,
    });
  }
}
