import type { SpecRule, Violation } from '../types';
import { v } from '../util';

export const AIRFLOW_ROLES = ['Admin', 'Op', 'User', 'Viewer', 'Public'];
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-IAM-001',
    severity: 'error',
    description: 'iam.webAccess keys are Airflow roles (Admin, Op, User, Viewer, Public) and values are IAM role ARNs.',
    // sources (developer notes): MWAA User Guide notes 1.2 (Airflow role ARN arn:aws:airflow:<region>:<account>:role/<env>/<airflow-role>) and 8.4 (AmazonMWAAWebServerAccess)
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/access-policies.html',
  },
  check({ spec }) {
    const out: Violation[] = [];
    for (const [role, arns] of Object.entries(spec.iam.webAccess)) {
      if (!AIRFLOW_ROLES.includes(role)) {
        const near = AIRFLOW_ROLES.find((r) => r.toLowerCase() === role.toLowerCase());
        out.push(v(`iam.webAccess.${role}`, `"${role}" is not an Airflow role.`, near ? `Write ${near} (roles are case-sensitive).` : `Use one of ${AIRFLOW_ROLES.join(', ')}.`, { atKey: true }));
      }
      (arns ?? []).forEach((arn, i) => {
        if (!ROLE_ARN.test(arn)) {
          out.push(v(`iam.webAccess.${role}.${i}`, `"${arn}" is not an IAM role ARN.`, 'Write it like arn:aws:iam::111122223333:role/platform-admins.'));
        }
      });
    }
    return out;
  },
};
