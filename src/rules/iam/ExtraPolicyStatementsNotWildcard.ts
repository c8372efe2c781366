import type { SpecRule, Violation } from '../types';
import { v } from '../util';

const list = (x: string | string[]): string[] => (Array.isArray(x) ? x : [x]);

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-IAM-002',
    severity: 'warning',
    description: 'Extra execution-role statements that Allow do not use Action "*" (or "<service>:*") together with Resource "*".',
    // sources (developer notes): IAM best practice (least privilege); MWAA User Guide notes 12 (any DAG author can use everything the execution role can)
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html',
  },
  check({ spec }) {
    const out: Violation[] = [];
    spec.iam.extraPolicyStatements.forEach((s, i) => {
      if (s.Effect !== 'Allow') return;
      const actions = list(s.Action);
      const resources = list(s.Resource);
      const allActions = actions.includes('*');
      const svcWild = actions.filter((a) => /^[a-z0-9-]+:\*$/.test(a));
      const allRes = resources.includes('*');
      if (allActions) {
        out.push(v(`iam.extraPolicyStatements.${i}.Action`, `Statement ${s.Sid ?? i} allows Action "*": every DAG author gets full access to the account.`, 'List the actions the DAGs need, e.g. Action: [s3:GetObject, s3:PutObject].'));
      } else if (allRes && svcWild.length > 0) {
        out.push(v(`iam.extraPolicyStatements.${i}.Resource`, `Statement ${s.Sid ?? i} allows ${svcWild.join(', ')} on Resource "*".`, 'Scope Resource to the ARNs the DAGs use, or list specific actions.'));
      } else if (allRes) {
        out.push(v(`iam.extraPolicyStatements.${i}.Resource`, `Statement ${s.Sid ?? i} allows ${actions.join(', ')} on Resource "*".`, 'Scope Resource to specific ARNs where the actions support it.', { severity: 'info' }));
      }
    });
    return out;
  },
};
