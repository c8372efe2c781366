/**
 * The five CloudWatch log groups MWAA writes to (`airflow-<name>-<Module>`, guide §6.9, erratum E-5), created
 * ahead of the environment so retention and encryption are managed here rather than by MWAA's defaults.
 */
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LOG_GROUP_MODULES, type LogGroupModule } from '../src/aws/names';
import { lit } from './literal';

/** Log group suffix per module, in the order of the MWAA logging configuration. */
export const LOG_MODULES = LOG_GROUP_MODULES;
export type LogModuleName = LogGroupModule;

export interface MwaaLogGroupsProps {
  /** Log group names per module (src/aws/names.ts: `airflow-<name>-<Module>`, as MWAA names them). */
  readonly groupNames: Record<LogModuleName, string>;
  readonly retentionDays: number;
  /** CMK ARN; absent = CloudWatch Logs default encryption. */
  readonly kmsKeyArn?: string;
}

export class MwaaLogGroups extends Construct {
  readonly groups: Record<LogModuleName, CloudwatchLogGroup>;

  constructor(scope: Construct, id: string, props: MwaaLogGroupsProps) {
    super(scope, id);
    const groups: Partial<Record<LogModuleName, CloudwatchLogGroup>> = {};
    for (const m of LOG_MODULES) {
      groups[m] = new CloudwatchLogGroup(this, `log_${m.toLowerCase()}`, {
        name: lit(this, props.groupNames[m]),
        retentionInDays: props.retentionDays,
        kmsKeyId: props.kmsKeyArn,
      });
    }
    this.groups = groups as Record<LogModuleName, CloudwatchLogGroup>;
  }

  get all(): CloudwatchLogGroup[] {
    return LOG_MODULES.map((m) => this.groups[m]);
  }
}
