import { maybePartitionOf } from '../../aws/partition';
import type { SpecRule } from '../types';
import { v } from '../util';

const POLICY_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}|aws):policy\/[\w+=,.@/-]{1,128}$/;

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-IAM-003',
    severity: 'error',
    description: "iam.permissionsBoundaryArn is an IAM managed policy ARN (arn:<partition>:iam::<account|aws>:policy/<name>) in the Region's partition.",
    // sources: IAM API CreateRole PermissionsBoundary (managed policy ARN); data/partitions.json
    reference: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html',
  },
  check({ spec }) {
    const arn = spec.iam.permissionsBoundaryArn;
    if (arn === undefined || arn === null) return [];
    const partition = maybePartitionOf(spec.region)?.id ?? 'aws';
    const m = POLICY_ARN.exec(arn);
    if (!m) return [v('iam.permissionsBoundaryArn', `"${arn}" is not an IAM managed policy ARN.`, `Write it like permissionsBoundaryArn: arn:${partition}:iam::${spec.account ?? '111122223333'}:policy/boundary-name`)];
    if (maybePartitionOf(spec.region) && m[1] !== partition) {
      return [v('iam.permissionsBoundaryArn', `"${arn}" is in partition ${m[1]}, but ${spec.region} is in partition ${partition}; IAM refuses it when the role is created.`, `Use arn:${partition}:iam::...:policy/... (a policy of the ${partition} partition).`)];
    }
    return [];
  },
};
