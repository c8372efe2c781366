import type { SpecRule } from '../types';
import { v } from '../util';

const POLICY_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}|aws):policy\/[\w+=,.@/-]{1,128}$/;

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-IAM-003',
    severity: 'error',
    description: 'iam.permissionsBoundaryArn is an IAM managed policy ARN (arn:aws:iam::<account|aws>:policy/<name>).',
    reference: 'IAM API CreateRole PermissionsBoundary (managed policy ARN)',
  },
  check({ spec }) {
    const arn = spec.iam.permissionsBoundaryArn;
    if (arn === undefined || arn === null || POLICY_ARN.test(arn)) return [];
    return [v('iam.permissionsBoundaryArn', `"${arn}" is not an IAM managed policy ARN.`, `Write it like permissionsBoundaryArn: arn:aws:iam::${spec.account ?? '111122223333'}:policy/boundary-name`)];
  },
};
