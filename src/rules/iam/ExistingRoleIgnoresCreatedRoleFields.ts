import { maybePartitionOf } from '../../aws/partition';
import type { SpecRule, Violation } from '../types';
import { v } from '../util';

/**
 * With `iam.executionRoleArn` the stack references an existing role and creates no role and no policy, so the fields
 * that shape the created role and its policy are not applied (stacks/iam.ts). A spec that sets both says something the
 * deployed environment will not do.
 */
export const rule: SpecRule = {
  meta: {
    id: 'MWAA-IAM-005',
    severity: 'warning',
    description:
      'iam.executionRoleArn (an existing role) is not combined with fields that only shape the role the tool creates: iam.extraPolicyStatements, the Secrets Manager grant of iam.secretsBackend, iam.permissionsBoundaryArn.',
    // sources (developer notes): stacks/iam.ts (no role, policy or boundary when executionRoleArn is set); the guide's
    // execution-role page: permissions of an existing role are managed on that role
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-create-role.html',
  },
  check({ spec }) {
    const iam = spec.iam;
    const role = iam.executionRoleArn;
    if (!role) return [];
    const ignored: string[] = [];
    const grants: string[] = [];
    const n = iam.extraPolicyStatements.length;
    if (n > 0) {
      ignored.push(`iam.extraPolicyStatements (${n} statement${n === 1 ? '' : 's'})`);
      grants.push(`the ${n === 1 ? 'statement' : 'statements'} of iam.extraPolicyStatements`);
    }
    if (iam.secretsBackend) {
      ignored.push('the Secrets Manager read grant of iam.secretsBackend');
      const partition = maybePartitionOf(spec.region)?.id ?? 'aws';
      const base = `arn:${partition}:secretsmanager:${spec.region}:<account>:secret:`;
      grants.push(`secretsmanager:GetSecretValue and secretsmanager:DescribeSecret on ${base}${iam.secretsBackend.connectionsPrefix}/* and ${base}${iam.secretsBackend.variablesPrefix}/*`);
    }
    if (typeof iam.permissionsBoundaryArn === 'string') {
      ignored.push('iam.permissionsBoundaryArn');
      grants.push(`the permissions boundary ${iam.permissionsBoundaryArn}`);
    }
    if (ignored.length === 0) return [];
    const list = ignored.length === 1 ? ignored[0] : `${ignored.slice(0, -1).join(', ')} and ${ignored[ignored.length - 1]}`;
    // under private routing iam.secretsBackend also adds the Secrets Manager endpoint: removing it needs that kept
    const keepEndpoint =
      iam.secretsBackend && spec.network.mode === 'create' && spec.network.routing === 'private' && !(spec.network.extraEndpoints ?? []).includes('secretsmanager')
        ? ' (iam.secretsBackend also adds the Secrets Manager VPC endpoint under private routing: list secretsmanager in network.extraEndpoints when you remove it)'
        : '';
    const out: Violation[] = [
      v(
        'iam.executionRoleArn',
        `iam.executionRoleArn names an existing role (${role}), so the stack creates no execution role and no policy: ${list} ${ignored.length === 1 ? 'is' : 'are'} ignored.`,
        `Either give the existing role ${grants.join('; ')} where that role is managed, then remove ${ignored.length === 1 ? 'the field' : 'these fields'} from the spec${keepEndpoint}; or remove iam.executionRoleArn so the tool creates the role with ${ignored.length === 1 ? 'it' : 'them'}.`,
      ),
    ];
    return out;
  },
};
