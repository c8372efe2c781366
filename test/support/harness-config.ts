/**
 * A small hand-written Terraform JSON configuration (VPC, two subnets, security group, versioned bucket, execution
 * role, KMS key, log group, MWAA environment) used to prove the emulator harness independently of the stacks.
 */
import { TEST_REGION } from '../../src/sandbox/emulators';

export interface HarnessConfigOptions {
  name: string;
  /** Provider arguments (the emulators' endpoints reach terraform as variables: test/support/variables-target.ts). */
  target: Record<string, unknown>;
  maxWorkers?: number;
}

export function harnessConfig(o: HarnessConfigOptions): Record<string, unknown> {
  const n = o.name;
  return {
    terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } },
    provider: { aws: [{ region: TEST_REGION, ...o.target }] },
    resource: {
      aws_vpc: { main: { cidr_block: '10.20.0.0/16', enable_dns_hostnames: true, enable_dns_support: true, tags: { Name: n } } },
      aws_subnet: {
        a: { vpc_id: '${aws_vpc.main.id}', cidr_block: '10.20.1.0/24', availability_zone: 'us-east-1a' },
        b: { vpc_id: '${aws_vpc.main.id}', cidr_block: '10.20.2.0/24', availability_zone: 'us-east-1b' },
      },
      aws_security_group: { env: { name: `${n}-sg`, description: 'MWAA', vpc_id: '${aws_vpc.main.id}' } },
      aws_vpc_security_group_ingress_rule: {
        self: { security_group_id: '${aws_security_group.env.id}', referenced_security_group_id: '${aws_security_group.env.id}', ip_protocol: '-1' },
      },
      aws_vpc_security_group_egress_rule: {
        all: { security_group_id: '${aws_security_group.env.id}', cidr_ipv4: '0.0.0.0/0', ip_protocol: '-1' },
      },
      aws_s3_bucket: { src: { bucket: `${n}-source` } },
      aws_s3_bucket_versioning: { src: { bucket: '${aws_s3_bucket.src.id}', versioning_configuration: { status: 'Enabled' } } },
      aws_s3_bucket_public_access_block: {
        src: { bucket: '${aws_s3_bucket.src.id}', block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
      },
      aws_kms_key: { env: { description: `${n} MWAA`, enable_key_rotation: true, deletion_window_in_days: 7 } },
      aws_cloudwatch_log_group: { task: { name: `airflow-${n}-Task`, retention_in_days: 14 } },
      aws_iam_role: {
        exec: {
          name: `${n}-exec`,
          assume_role_policy: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { Service: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'] }, Action: 'sts:AssumeRole' }],
          }),
        },
      },
      aws_iam_role_policy: {
        exec: {
          name: 'mwaa',
          role: '${aws_iam_role.exec.id}',
          policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'airflow:PublishMetrics', Resource: '*' }] }),
        },
      },
      aws_mwaa_environment: {
        env: {
          name: n,
          airflow_version: '2.10.3',
          environment_class: 'mw1.small',
          dag_s3_path: 'dags/',
          execution_role_arn: '${aws_iam_role.exec.arn}',
          source_bucket_arn: '${aws_s3_bucket.src.arn}',
          kms_key: '${aws_kms_key.env.arn}',
          max_workers: o.maxWorkers ?? 5,
          min_workers: 1,
          schedulers: 2,
          webserver_access_mode: 'PUBLIC_ONLY',
          weekly_maintenance_window_start: 'SUN:03:30',
          airflow_configuration_options: { 'core.default_timezone': 'utc' },
          network_configuration: { subnet_ids: ['${aws_subnet.a.id}', '${aws_subnet.b.id}'], security_group_ids: ['${aws_security_group.env.id}'] },
          logging_configuration: {
            dag_processing_logs: { enabled: true, log_level: 'WARNING' },
            scheduler_logs: { enabled: true, log_level: 'WARNING' },
            task_logs: { enabled: true, log_level: 'INFO' },
            webserver_logs: { enabled: true, log_level: 'WARNING' },
            worker_logs: { enabled: true, log_level: 'WARNING' },
          },
          tags: { team: 'data' },
          depends_on: ['aws_iam_role_policy.exec', 'aws_s3_bucket_versioning.src', 'aws_s3_bucket_public_access_block.src'],
        },
      },
    },
  };
}
