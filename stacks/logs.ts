/**
 * The five CloudWatch log groups MWAA writes to (`airflow-<name>-<Module>`, guide §6.9, erratum E-5), created
 * ahead of the environment so retention and encryption are managed here rather than by MWAA's defaults.
 */
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { lit } from './literal';

/** Log group suffix per module, in the order of the MWAA logging configuration. */
export const LOG_MODULES = ['DAGProcessing', 'Scheduler', 'Task', 'Worker', 'WebServer'] as const;
export type LogModuleName = (typeof LOG_MODULES)[number];

export interface MwaaLogGroupsProps {
  readonly name: string;
  readonly retentionDays: number;
  /** CMK ARN; absent = CloudWatch Logs default encryption. */
  readonly kmsKeyArn?: string;
  /** Resources the key must be ready with (the key policy allowing CloudWatch Logs). */
  readonly dependsOn?: ITerraformDependable[];
}

export class MwaaLogGroups extends Construct {
  readonly groups: Record<LogModuleName, CloudwatchLogGroup>;

  constructor(scope: Construct, id: string, props: MwaaLogGroupsProps) {
    super(scope, id);
    const groups: Partial<Record<LogModuleName, CloudwatchLogGroup>> = {};
    for (const m of LOG_MODULES) {
      groups[m] = new CloudwatchLogGroup(this, `log_${m.toLowerCase()}`, {
        name: lit(this, `airflow-${props.name}-${m}`),
        retentionInDays: props.retentionDays,
        kmsKeyId: props.kmsKeyArn,
        dependsOn: props.dependsOn,
      });
    }
    this.groups = groups as Record<LogModuleName, CloudwatchLogGroup>;
  }

  get all(): CloudwatchLogGroup[] {
    return LOG_MODULES.map((m) => this.groups[m]);
  }
}
