import { maybePartitionOf } from '../../aws/partition';
import type { SpecRule, Violation } from '../types';
import { parseArn, v } from '../util';

/**
 * A web-login policy is attached to a role by its name, in the account the stack deploys to. A role ARN of another
 * account (or partition) would be reduced to a name there and grant Airflow access to whatever role has that name,
 * so it is refused. Without `account` in the spec the account is only known at plan time: every attachment then
 * carries a precondition comparing the ARN's account with the caller's (stacks/iam.ts).
 */
export const rule: SpecRule = {
  meta: {
    id: 'MWAA-IAM-004',
    severity: 'error',
    description: "iam.webAccess role ARNs belong to the environment's account (spec account; checked at plan time when absent) and its Region's partition.",
    // sources (developer notes): MWAA User Guide notes 8.4 (AmazonMWAAWebServerAccess attached to the users\' roles); IAM AttachRolePolicy takes a role name of the calling account
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/access-policies.html',
  },
  check({ spec }) {
    const out: Violation[] = [];
    const partition = maybePartitionOf(spec.region)?.id;
    for (const [role, arns] of Object.entries(spec.iam.webAccess)) {
      (arns ?? []).forEach((arn, i) => {
        const a = parseArn(arn);
        if (!a || a.service !== 'iam' || !/^role\//.test(a.resource)) return; // MWAA-IAM-001 reports malformed ARNs
        const path = `iam.webAccess.${role}.${i}`;
        const name = a.resource.split('/').pop();
        if (partition && a.partition !== partition) {
          out.push(v(path, `${arn} is in partition ${a.partition}, but ${spec.region} is in partition ${partition}; the policy would be attached to a role named "${name}" of the deploying account instead.`, `Use a role ARN of the form arn:${partition}:iam::${spec.account ?? '<account>'}:role/${name}.`));
          return;
        }
        if (spec.account !== undefined && a.account !== spec.account) {
          out.push(
            v(
              path,
              `${arn} is a role of account ${a.account}, but the environment deploys to account ${spec.account}: the web-login policy would be attached to the role named "${name}" in account ${spec.account}, granting Airflow ${role} to whoever holds that role.`,
              `Use a role of account ${spec.account} (arn:${a.partition}:iam::${spec.account}:role/...). For users of account ${a.account}, give them a role in ${spec.account} they can assume, or grant airflow:CreateWebLoginToken in ${a.account} on this environment's Airflow role ARN.`,
            ),
          );
        }
      });
    }
    return out;
  },
};
