/**
 * Every MWAA spec rule: one failing case (asserts rule id, severity and the reported line) and one
 * passing case (asserts the rule stays silent), all through the real engine (validateText).
 */
import { SPEC_RULES } from '../../src/rules/index';
import { ARTIFACT_CASES } from './artifact-cases';
import { byRule, lineOf, lint, problems, spec, Spec, toYaml, baseSpec } from './fixture';

interface Case {
  id: string;
  name: string;
  bad: Spec;
  /** Expected line: needle (+ anchors) located in the bad YAML. */
  line: [string | RegExp, ...Array<string | RegExp>];
  severity?: 'error' | 'warning' | 'info';
  good: Spec;
}

const cfg = (c: Record<string, string>) => ({ 'airflow.configuration': c });
const plugins = { 'bucket.plugins': { source: 'airflow/plugins.zip', key: 'plugins.zip' } };

const CASES: Case[] = [
  { id: 'MWAA-NAME-001', name: 'name starting with a digit', bad: spec({ name: '1analytics' }), line: ['name: 1analytics'], good: spec({ name: 'Analytics_dev-2' }) },
  { id: 'MWAA-NAME-001', name: 'name longer than 80', bad: spec({ name: 'a'.repeat(81) }), line: [/^name: a+$/], good: spec({ name: 'a'.repeat(80) }), severity: 'error' },
  // 80 characters (MWAA's maximum): `<name>-execution` would be 90 > 64, so the role name is shortened (info).
  { id: 'MWAA-NAME-002', name: 'role name shortened past 64', bad: spec({ name: 'a'.repeat(80) }), line: [/^name: a+$/], severity: 'info', good: spec({ name: 'a'.repeat(54) }) },
  { id: 'MWAA-AF-001', name: 'Region without MWAA', bad: spec({ region: 'us-gov-west-1' }), line: ['region: us-gov-west-1'], good: spec({ region: 'eu-central-1' }) },
  { id: 'MWAA-AF-002', name: 'unknown version', bad: spec({ 'airflow.version': '2.3.0' }), line: ['version: 2.3.0'], good: spec({ 'airflow.version': '2.11.0' }) },
  { id: 'MWAA-AF-002', name: 'end-of-support version', bad: spec({ 'airflow.version': '2.6.3' }), line: ['version: 2.6.3'], severity: 'error', good: spec({ 'airflow.version': '3.0.6', 'airflow.configuration': {} }) },
  { id: 'MWAA-AF-003', name: 'too many schedulers', bad: spec({ 'airflow.schedulers': 6 }), line: ['schedulers: 6'], good: spec({ 'airflow.schedulers': 5 }) },
  {
    id: 'MWAA-AF-003',
    name: 'mw1.micro with 2 schedulers',
    bad: spec({ 'airflow.environmentClass': 'mw1.micro', 'airflow.schedulers': 2, 'airflow.workers': { min: 1, max: 1 }, 'airflow.webservers': { min: 1, max: 1 } }),
    line: ['schedulers: 2'],
    good: spec({ 'airflow.environmentClass': 'mw1.micro', 'airflow.schedulers': 1, 'airflow.workers': { min: 1, max: 1 }, 'airflow.webservers': { min: 1, max: 1 } }),
  },
  { id: 'MWAA-AF-004', name: 'workers.max above 50', bad: spec({ 'airflow.workers': { min: 1, max: 60 } }), line: ['max: 60'], good: spec({ 'airflow.workers': { min: 1, max: 25 } }) },
  { id: 'MWAA-AF-004', name: 'workers.max above default quota', bad: spec({ 'airflow.workers': { min: 1, max: 30 } }), line: ['max: 30'], severity: 'warning', good: spec({ 'airflow.workers': { min: 2, max: 25 } }) },
  {
    id: 'MWAA-AF-004',
    name: 'mw1.micro with 3 workers',
    bad: spec({ 'airflow.environmentClass': 'mw1.micro', 'airflow.schedulers': 1, 'airflow.workers': { min: 1, max: 3 }, 'airflow.webservers': { min: 1, max: 1 } }),
    line: ['max: 3'],
    good: spec({ 'airflow.environmentClass': 'mw1.micro', 'airflow.schedulers': 1, 'airflow.workers': { min: 1, max: 1 }, 'airflow.webservers': { min: 1, max: 1 } }),
  },
  { id: 'MWAA-AF-005', name: 'one webserver on mw1.small', bad: spec({ 'airflow.webservers': { min: 1, max: 2 } }), line: ['min: 1', 'webservers:'], good: spec({ 'airflow.webservers': { min: 2, max: 5 } }) },
  {
    id: 'MWAA-AF-005',
    name: 'mw1.micro with 2 webservers',
    bad: spec({ 'airflow.environmentClass': 'mw1.micro', 'airflow.schedulers': 1, 'airflow.workers': { min: 1, max: 1 }, 'airflow.webservers': { min: 1, max: 2 } }),
    line: ['max: 2', 'webservers:'],
    good: spec({ 'airflow.environmentClass': 'mw1.micro', 'airflow.schedulers': 1, 'airflow.workers': { min: 1, max: 1 }, 'airflow.webservers': { min: 1, max: 1 } }),
  },
  { id: 'MWAA-AF-006', name: 'workers min > max', bad: spec({ 'airflow.workers': { min: 6, max: 5 } }), line: ['min: 6'], good: spec({ 'airflow.workers': { min: 5, max: 5 } }) },
  { id: 'MWAA-AF-006', name: 'webservers min > max', bad: spec({ 'airflow.webservers': { min: 4, max: 3 } }), line: ['min: 4'], good: spec({ 'airflow.webservers': { min: 3, max: 3 } }) },
  { id: 'MWAA-AF-007', name: 'minutes not 00/30', bad: spec({ 'airflow.maintenanceWindow': 'SUN:03:15' }), line: ['maintenanceWindow: SUN:03:15'], good: spec({ 'airflow.maintenanceWindow': 'TUE:23:30' }) },
  { id: 'MWAA-AF-007', name: 'lower-case day', bad: spec({ 'airflow.maintenanceWindow': 'sun:03:00' }), line: ['maintenanceWindow: sun:03:00'], good: spec({ 'airflow.maintenanceWindow': 'MON:00:00' }) },
  { id: 'MWAA-AF-008', name: 'customer-managed endpoints', bad: spec({ 'airflow.endpointManagement': 'CUSTOMER' }), line: ['endpointManagement: CUSTOMER'], severity: 'warning', good: spec({ 'airflow.endpointManagement': 'SERVICE' }) },
  { id: 'MWAA-CFG-001', name: 'upper-case key', bad: spec(cfg({ 'Core.Parallelism': '10' })), line: ['Core.Parallelism'], good: spec(cfg({ 'core.parallelism': '10' })) },
  { id: 'MWAA-CFG-001', name: 'value with newline', bad: spec(cfg({ 'smtp.smtp_host': 'a\nb' })), line: ['smtp.smtp_host'], good: spec(cfg({ 'smtp.smtp_host': 'smtp.example.com' })) },
  { id: 'MWAA-CFG-002', name: 'blocked core.executor', bad: spec(cfg({ 'core.executor': 'LocalExecutor' })), line: ['core.executor'], good: spec(cfg({ 'core.parallelism': '64' })) },
  { id: 'MWAA-CFG-003', name: 'typo in known section', bad: spec(cfg({ 'core.default_task_retrys': '2' })), line: ['core.default_task_retrys'], severity: 'warning', good: spec(cfg({ 'core.default_task_retries': '3' })) },
  { id: 'MWAA-CFG-003', name: 'Airflow 2 option on Airflow 3', bad: spec({ 'airflow.version': '3.0.6' }, (s) => set2(s, { 'scheduler.parsing_processes': '1' })), line: ['scheduler.parsing_processes'], severity: 'warning', good: spec({ 'airflow.version': '3.0.6' }, (s) => set2(s, { 'dag_processor.parsing_processes': '1' })) },
  { id: 'MWAA-CFG-003', name: 'custom section is info', bad: spec(cfg({ 'mycompany.pypi_user': 'bot' })), line: ['mycompany.pypi_user'], severity: 'info', good: spec(cfg({ 'secrets.use_cache': 'True' })) },
  { id: 'MWAA-CFG-004', name: 'ignored worker_concurrency', bad: spec(cfg({ 'celery.worker_concurrency': '16' })), line: ['celery.worker_concurrency'], severity: 'warning', good: spec(cfg({ 'celery.worker_autoscale': '5,5' })) },
  { id: 'MWAA-CFG-005', name: 'autoscale min,max swapped', bad: spec(cfg({ 'celery.worker_autoscale': '2,5' })), line: ['celery.worker_autoscale'], good: spec(cfg({ 'celery.worker_autoscale': '5,2' })) },
  { id: 'MWAA-CFG-005', name: 'autoscale not two integers', bad: spec(cfg({ 'celery.worker_autoscale': 'five' })), line: ['celery.worker_autoscale'], good: spec(cfg({ 'celery.worker_autoscale': '5,0' })) },
  { id: 'MWAA-CFG-005', name: 'autoscale above class capacity', bad: spec(cfg({ 'celery.worker_autoscale': '20,5' })), line: ['celery.worker_autoscale'], severity: 'warning', good: spec({ 'airflow.environmentClass': 'mw1.large' }, (s) => set2(s, { 'celery.worker_autoscale': '20,5' })) },
  { id: 'MWAA-CFG-006', name: 'parsing_processes over budget', bad: spec(cfg({ 'scheduler.parsing_processes': '4' })), line: ['scheduler.parsing_processes'], severity: 'warning', good: spec({ 'airflow.environmentClass': 'mw1.large' }, (s) => set2(s, { 'scheduler.parsing_processes': '4' })) },
  { id: 'MWAA-CFG-007', name: 'import timeout >= processor timeout', bad: spec(cfg({ 'core.dagbag_import_timeout': '60' })), line: ['core.dagbag_import_timeout'], good: spec(cfg({ 'core.dagbag_import_timeout': '60', 'core.dag_file_processor_timeout': '90' })) },
  { id: 'MWAA-CFG-008', name: 'fetch interval <= update interval', bad: spec(cfg({ 'core.min_serialized_dag_fetch_interval': '30' })), line: ['core.min_serialized_dag_fetch_interval'], severity: 'warning', good: spec(cfg({ 'core.min_serialized_dag_fetch_interval': '40' })) },
  {
    id: 'MWAA-CFG-009',
    name: 'backend without iam.secretsBackend',
    bad: spec(cfg({ 'secrets.backend': 'airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend' })),
    line: ['secrets.backend:'],
    good: spec({ 'iam.secretsBackend': { connectionsPrefix: 'airflow/connections', variablesPrefix: 'airflow/variables' } }, (s) =>
      set2(s, { 'secrets.backend': 'airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend', 'secrets.backend_kwargs': '{"connections_prefix": "airflow/connections", "variables_prefix": "airflow/variables"}' }),
    ),
  },
  {
    id: 'MWAA-CFG-009',
    name: 'kwargs prefix differs from iam.secretsBackend',
    bad: spec({ 'iam.secretsBackend': { connectionsPrefix: 'airflow/connections', variablesPrefix: 'airflow/variables' } }, (s) => set2(s, { 'secrets.backend_kwargs': '{"connections_prefix": "other/connections"}' })),
    line: ['secrets.backend_kwargs'],
    good: spec({ 'iam.secretsBackend': { connectionsPrefix: 'other/connections', variablesPrefix: 'airflow/variables' } }, (s) => set2(s, { 'secrets.backend_kwargs': '{"connections_prefix": "other/connections"}' })),
  },
  {
    id: 'MWAA-CFG-009',
    name: 'kwargs not JSON',
    bad: spec({ 'iam.secretsBackend': { connectionsPrefix: 'airflow/connections', variablesPrefix: 'airflow/variables' } }, (s) => set2(s, { 'secrets.backend_kwargs': '{connections_prefix: x' })),
    line: ['secrets.backend_kwargs'],
    good: spec({ 'iam.secretsBackend': { connectionsPrefix: 'airflow/connections', variablesPrefix: 'airflow/variables' } }),
  },
  { id: 'MWAA-CFG-010', name: 'plugins without lazy_load_plugins', bad: spec(plugins), line: ['plugins:', 'bucket:'], severity: 'warning', good: spec(plugins, (s) => set2(s, { 'core.lazy_load_plugins': 'False' })) },
  { id: 'MWAA-LOG-001', name: 'task logs disabled', bad: spec({ 'airflow.logging.task': { level: 'INFO', enabled: false } }), line: ['enabled: false', 'task:'], severity: 'warning', good: spec({ 'airflow.logging.task': { level: 'DEBUG', enabled: true } }) },
  { id: 'MWAA-LOG-001', name: 'task logs at ERROR', bad: spec({ 'airflow.logging.task': { level: 'ERROR', enabled: true } }), line: ['level: ERROR', 'task:'], severity: 'warning', good: spec({ 'airflow.logging.task': { level: 'INFO', enabled: true } }) },
  { id: 'MWAA-NET-001', name: 'host bits set', bad: spec({ 'network.vpcCidr': '10.192.0.1/16' }), line: ['vpcCidr: 10.192.0.1/16'], good: spec({ 'network.vpcCidr': '10.192.0.0/16' }) },
  { id: 'MWAA-NET-001', name: 'not a CIDR', bad: spec({ 'network.webAccessCidrs': ['10.0.0.0/33'], 'airflow.webserverAccess': 'PRIVATE_ONLY' }), line: ['10.0.0.0/33'], good: spec({ 'network.webAccessCidrs': ['10.0.0.0/8'], 'airflow.webserverAccess': 'PRIVATE_ONLY' }) },
  { id: 'MWAA-NET-002', name: 'subnet outside VPC', bad: spec({ 'network.privateSubnets': ['10.192.20.0/24', '10.193.21.0/24'] }), line: ['10.193.21.0/24'], good: spec({ 'network.privateSubnets': ['10.192.20.0/24', '10.192.22.0/24'] }) },
  { id: 'MWAA-NET-003', name: 'overlapping subnets', bad: spec({ 'network.privateSubnets': ['10.192.20.0/24', '10.192.20.128/25'] }), line: ['10.192.20.128/25'], good: spec({ 'network.privateSubnets': ['10.192.20.0/25', '10.192.20.128/25'] }) },
  { id: 'MWAA-NET-004', name: 'three private subnets', bad: spec({ 'network.privateSubnets': ['10.192.20.0/24', '10.192.21.0/24', '10.192.22.0/24'] }), line: ['privateSubnets:'], good: spec({ 'network.privateSubnets': ['10.192.30.0/24', '10.192.31.0/24'] }) },
  { id: 'MWAA-NET-004', name: 'public routing with one public subnet', bad: spec({ 'network.publicSubnets': ['10.192.10.0/24'] }), line: ['publicSubnets:'], good: spec({ 'network.publicSubnets': ['10.192.12.0/24', '10.192.13.0/24'] }) },
  { id: 'MWAA-NET-005', name: 'private routing with PUBLIC_ONLY', bad: spec({ 'network.routing': 'private', 'network.publicSubnets': [] }), line: ['webserverAccess: PUBLIC_ONLY'], good: spec({ 'network.routing': 'private', 'network.publicSubnets': [], 'airflow.webserverAccess': 'PRIVATE_ONLY' }) },
  {
    id: 'MWAA-NET-006',
    name: 'existing network with one subnet listed twice',
    bad: spec({ network: { mode: 'existing', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] } }),
    line: ['- subnet-0123456789abcdef0', '- subnet-0123456789abcdef0'],
    good: spec({ network: { mode: 'existing', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], securityGroupIds: ['sg-0123456789abcdef0'] } }),
  },
  {
    id: 'MWAA-NET-006',
    name: 'existing network with six security groups',
    bad: spec({ network: { mode: 'existing', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], securityGroupIds: [0, 1, 2, 3, 4, 5].map((i) => `sg-0123456789abcdef${i}`) } }),
    line: ['securityGroupIds:'],
    good: spec({ network: { mode: 'existing', vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'], securityGroupIds: [0, 1, 2, 3, 4].map((i) => `sg-0123456789abcdef${i}`) } }),
  },
  { id: 'MWAA-NET-007', name: 'webAccessCidrs with public webserver', bad: spec({ 'network.webAccessCidrs': ['10.0.0.0/8'] }), line: ['webAccessCidrs:'], severity: 'warning', good: spec({ 'network.webAccessCidrs': [] }) },
  { id: 'MWAA-S3-001', name: 'upper-case bucket', bad: spec({ 'bucket.name': 'Acme-Airflow' }), line: ['name: Acme-Airflow'], good: spec({ 'bucket.name': 'acme-airflow-1' }) },
  { id: 'MWAA-S3-001', name: 'IP-like bucket', bad: spec({ 'bucket.name': '192.168.5.4' }), line: ['name: 192.168.5.4'], good: spec({ 'bucket.name': 'ip-192-168-5-4' }) },
  { id: 'MWAA-S3-001', name: '-s3alias suffix', bad: spec({ 'bucket.name': 'acme-s3alias' }), line: ['name: acme-s3alias'], good: spec({ 'bucket.name': 'acme-s3-alias' }) },
  { id: 'MWAA-S3-001', name: 'xn-- prefix', bad: spec({ 'bucket.name': 'xn--acme' }), line: ['name: xn--acme'], good: spec({ 'bucket.name': 'acme-xn' }) },
  { id: 'MWAA-S3-001', name: 'dotted name warning', bad: spec({ 'bucket.name': 'acme.airflow' }), line: ['name: acme.airflow'], severity: 'warning', good: spec({ 'bucket.name': 'acme-airflow' }) },
  { id: 'MWAA-S3-002', name: 'existingArn disagrees with bucket.name', bad: spec({ 'bucket.existingArn': 'arn:aws:s3:::other-bucket' }), line: ['name: acme-analytics-dev-airflow'], good: spec({ 'bucket.existingArn': 'arn:aws:s3:::acme-analytics-dev-airflow' }) },
  { id: 'MWAA-S3-002', name: 'existingArn in the wrong partition', bad: spec({ 'bucket.existingArn': 'arn:aws-cn:s3:::acme-analytics-dev-airflow' }), line: ['existingArn:'], good: spec({ region: 'cn-north-1', 'bucket.existingArn': 'arn:aws-cn:s3:::acme-analytics-dev-airflow' }) },
  { id: 'MWAA-S3-003', name: 's3:// dags path', bad: spec({ 'bucket.dagsPath': 's3://acme/dags' }), line: ['dagsPath: s3://acme/dags'], good: spec({ 'bucket.dagsPath': 'airflow/dags' }) },
  { id: 'MWAA-S3-003', name: '.. in dags path', bad: spec({ 'bucket.dagsPath': 'a/../dags' }), line: ['dagsPath: a/../dags'], good: spec({ 'bucket.dagsPath': 'a/dags' }) },
  { id: 'MWAA-KMS-001', name: 'alias', bad: spec({ encryption: { kms: 'existing', keyArn: 'arn:aws:kms:us-east-1:111122223333:alias/mwaa' } }), line: ['keyArn:'], good: spec({ encryption: { kms: 'existing', keyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' } }) },
  { id: 'MWAA-KMS-001', name: 'multi-Region key', bad: spec({ encryption: { kms: 'existing', keyArn: 'arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab' } }), line: ['keyArn:'], good: spec({ encryption: { kms: 'existing', keyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' } }) },
  { id: 'MWAA-KMS-001', name: 'other Region', bad: spec({ encryption: { kms: 'existing', keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' } }), line: ['keyArn:'], good: spec({ region: 'eu-west-1', encryption: { kms: 'existing', keyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' } }) },
  { id: 'MWAA-KMS-001', name: 'other account', bad: spec({ encryption: { kms: 'existing', keyArn: 'arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab' } }), line: ['keyArn:'], severity: 'warning', good: spec({ account: undefined, encryption: { kms: 'existing', keyArn: 'arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab' } }) },
  { id: 'MWAA-IAM-001', name: 'role ARN with a space', bad: spec({ 'iam.webAccess': { Admin: ['arn:aws:iam::111122223333:role/platform admins'] } }), line: ['role/platform admins'], good: spec({ 'iam.webAccess': { Viewer: ['arn:aws:iam::111122223333:role/path/readers'] } }) },
  { id: 'MWAA-IAM-002', name: 'Action *', bad: spec({ 'iam.extraPolicyStatements': [{ Effect: 'Allow', Action: '*', Resource: '*' }] }), line: ['Action: "*"'], severity: 'warning', good: spec({ 'iam.extraPolicyStatements': [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::data/*'] }] }) },
  { id: 'MWAA-IAM-002', name: 's3:* on Resource *', bad: spec({ 'iam.extraPolicyStatements': [{ Effect: 'Allow', Action: ['s3:*'], Resource: '*' }] }), line: ['Resource: "*"'], severity: 'warning', good: spec({ 'iam.extraPolicyStatements': [{ Effect: 'Deny', Action: ['s3:*'], Resource: '*' }] }) },
  { id: 'MWAA-IAM-003', name: 'boundary ARN with a space', bad: spec({ 'iam.permissionsBoundaryArn': 'arn:aws:iam::111122223333:policy/my boundary' }), line: ['permissionsBoundaryArn:'], good: spec({ 'iam.permissionsBoundaryArn': 'arn:aws:iam::111122223333:policy/team/boundary' }) },
  { id: 'MWAA-IAM-003', name: 'boundary of another partition', bad: spec({ region: 'cn-north-1', 'iam.webAccess': {}, 'iam.permissionsBoundaryArn': 'arn:aws:iam::111122223333:policy/boundary' }), line: ['permissionsBoundaryArn:'], good: spec({ region: 'cn-north-1', 'iam.webAccess': {}, 'iam.permissionsBoundaryArn': 'arn:aws-cn:iam::111122223333:policy/boundary' }) },
  { id: 'MWAA-TAG-001', name: 'aws: prefix', bad: spec({ tags: { team: 'x', 'aws:owner': 'me' } }), line: ['aws:owner'], good: spec({ tags: { team: 'x', 'owner:aws': 'me' } }) },
  { id: 'MWAA-TAG-001', name: 'key over 128', bad: spec({ tags: { team: 'x', ['k'.repeat(129)]: 'v' } }), line: ['k'.repeat(129)], good: spec({ tags: { team: 'x', ['k'.repeat(128)]: 'v' } }) },
  { id: 'MWAA-TAG-001', name: 'value over 256', bad: spec({ tags: { team: 'v'.repeat(257) } }), line: [/team: v+/], good: spec({ tags: { team: 'v'.repeat(256) } }) },
  { id: 'MWAA-TAG-001', name: '51 tags', bad: spec({ tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])) }), line: ['tags:'], good: spec({ managedTags: false, tags: Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v'])) }) },
  // Every resource also gets mwaa-gitops:environment and managed-by, and the created network's resources a Name: 48 + 3 = 51.
  { id: 'MWAA-TAG-001', name: '48 tags plus the stack\'s 3', bad: spec({ tags: Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`k${i}`, 'v'])) }), line: ['tags:'], good: spec({ tags: Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`k${i}`, 'v'])) }) },
  { id: 'MWAA-NET-008', name: 'AZ IDs of another Region', bad: spec({ 'network.availabilityZoneIds': ['use1-az1', 'usw2-az1'] }), line: ['usw2-az1'], good: spec({ 'network.availabilityZoneIds': ['use1-az1', 'use1-az4'] }) },
  { id: 'MWAA-NET-008', name: 'zone names instead of IDs', bad: spec({ 'network.availabilityZoneIds': ['use1-az1', 'us-east-1b'] }), line: ['us-east-1b'], good: spec({ 'network.availabilityZoneIds': ['use1-az6', 'use1-az1'] }) },
  { id: 'MWAA-NET-008', name: 'one zone twice', bad: spec({ 'network.availabilityZoneIds': ['use1-az2', 'use1-az2'] }), line: [/- use1-az2$/, /- use1-az2$/], good: spec({ 'network.availabilityZoneIds': ['use1-az2', 'use1-az3'] }) },
  { id: 'MWAA-NET-009', name: 'unknown endpoint service', bad: spec({ 'network.extraEndpoints': ['sts', 'glu'] }), line: ['- glu'], good: spec({ 'network.extraEndpoints': ['sts', 'glue', 'athena'] }) },
  {
    id: 'MWAA-NET-010',
    name: 'private routing in a China Region',
    bad: spec({ region: 'cn-north-1', 'airflow.webserverAccess': 'PRIVATE_ONLY', 'iam.webAccess': {}, network: { mode: 'create', routing: 'private', vpcCidr: '10.192.0.0/16', privateSubnets: ['10.192.20.0/24', '10.192.21.0/24'] } }),
    line: ['routing: private'],
    good: spec({ region: 'cn-north-1', 'iam.webAccess': {} }),
  },
  { id: 'MWAA-NET-010', name: 'unverified extra endpoint in a China Region', bad: spec({ region: 'cn-north-1', 'iam.webAccess': {}, 'network.extraEndpoints': ['sts', 'glue'] }), line: ['- glue'], good: spec({ region: 'cn-north-1', 'iam.webAccess': {}, 'network.extraEndpoints': ['sts'] }) },
  {
    id: 'MWAA-KMS-002',
    name: 'existing key: CloudWatch Logs statement',
    bad: spec({ encryption: { kms: 'existing', keyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' } }),
    line: ['keyArn:'],
    severity: 'warning',
    good: spec({ encryption: { kms: 'create' } }),
  },
  { id: 'MWAA-IAM-004', name: 'web-login role of another account', bad: spec({ 'iam.webAccess': { Admin: ['arn:aws:iam::999988887777:role/admins'] } }), line: ['999988887777'], good: spec({ 'iam.webAccess': { Admin: ['arn:aws:iam::111122223333:role/admins'] } }) },
  { id: 'MWAA-IAM-004', name: 'web-login role of another partition', bad: spec({ 'iam.webAccess': { Admin: ['arn:aws-cn:iam::111122223333:role/admins'] } }), line: ['arn:aws-cn:'], good: spec({ region: 'cn-northwest-1', 'iam.webAccess': { Admin: ['arn:aws-cn:iam::111122223333:role/admins'] } }) },
  {
    id: 'MWAA-S3-004',
    name: 'pinned artifact version in a created bucket',
    bad: spec({ 'bucket.requirements': { key: 'requirements.txt', versionId: '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY' } }),
    line: ['versionId: 3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY'],
    good: spec({ bucket: { existingArn: 'arn:aws:s3:::acme-analytics-dev-airflow', dagsPath: 'dags', requirements: { key: 'requirements.txt', versionId: '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY' } } }),
  },
  {
    id: 'MWAA-IAM-005',
    name: 'existing role with extra statements',
    bad: spec({ 'iam.executionRoleArn': 'arn:aws:iam::111122223333:role/service-role/existing-mwaa', 'iam.extraPolicyStatements': [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::data/*'] }] }),
    line: ['executionRoleArn:'],
    severity: 'warning',
    good: spec({ 'iam.executionRoleArn': 'arn:aws:iam::111122223333:role/service-role/existing-mwaa' }),
  },
  {
    id: 'MWAA-IAM-005',
    name: 'existing role with a secrets backend and a boundary',
    bad: spec({ 'iam.executionRoleArn': 'arn:aws:iam::111122223333:role/existing-mwaa', 'iam.secretsBackend': {}, 'iam.permissionsBoundaryArn': 'arn:aws:iam::111122223333:policy/boundary' }),
    line: ['executionRoleArn:'],
    severity: 'warning',
    good: spec({ 'iam.secretsBackend': {}, 'iam.permissionsBoundaryArn': 'arn:aws:iam::111122223333:policy/boundary' }),
  },
  { id: 'MWAA-STATE-001', name: 'invalid state bucket', bad: spec({ state: { backend: 's3', bucket: 'My_State', key: 'mwaa/x.tfstate', region: 'us-east-1' } }), line: ['bucket: My_State'], good: spec({ state: { backend: 's3', bucket: 'acme-tfstate', key: 'mwaa/x.tfstate', region: 'us-east-1' } }) },
  { id: 'MWAA-ART-001', name: 'plugins key inside dags folder', bad: spec({ 'bucket.plugins': { source: 'airflow/plugins.zip', key: 'dags/plugins.zip' } }, (s) => set2(s, { 'core.lazy_load_plugins': 'False' })), line: ['plugins:', 'bucket:'], severity: 'warning', good: spec(plugins, (s) => set2(s, { 'core.lazy_load_plugins': 'False' })) },
  { id: 'MWAA-ART-001', name: 'plugins not a zip', bad: spec({ 'bucket.plugins': { source: 'airflow/plugins.tar', key: 'plugins.tar' } }, (s) => set2(s, { 'core.lazy_load_plugins': 'False' })), line: ['source: airflow/plugins.tar'], good: spec(plugins, (s) => set2(s, { 'core.lazy_load_plugins': 'False' })) },
];

function set2(s: Spec, c: Record<string, string>): void {
  const a = s.airflow as Record<string, unknown>;
  a.configuration = { ...(a.configuration as Record<string, string>), ...c };
}

describe('fixture', () => {
  test('the base spec has no findings at all', () => {
    expect(lint(toYaml(baseSpec()))).toEqual([]);
  });
});

describe.each(CASES)('$id: $name', (c) => {
  test('fails with the rule id on the expected line', () => {
    const text = toYaml(c.bad);
    const found = byRule(lint(text), c.id);
    const line = lineOf(text, ...(c.line as [string | RegExp]));
    expect(found.map((f) => ({ id: f.ruleId, line: f.line }))).toContainEqual({ id: c.id, line });
    const atLine = found.find((f) => f.line === line)!;
    expect(atLine.severity).toBe(c.severity ?? 'error');
    expect(atLine.message.length).toBeGreaterThan(10);
    expect(atLine.fix).toBeTruthy();
  });
  test('passes on the corrected spec', () => {
    const f = lint(toYaml(c.good));
    expect(byRule(f, c.id)).toEqual([]);
    expect(problems(f).filter((x) => !x.ruleId.startsWith('MWAA-'))).toEqual([]);
  });
});

test('every spec rule has a failing and a passing case', () => {
  // artifact rules have their cases (real artifact files) in artifact-cases.ts, run by artifacts.test.ts
  const covered = new Set([...CASES.map((c) => c.id), ...ARTIFACT_CASES.map((c) => c.id)]);
  expect(SPEC_RULES.map((r) => r.meta.id).filter((id) => !covered.has(id))).toEqual([]);
});

test('rule ids are unique and well-formed', () => {
  const ids = SPEC_RULES.map((r) => r.meta.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) expect(id).toMatch(/^MWAA-[A-Z0-9]+-\d{3}$/);
});
