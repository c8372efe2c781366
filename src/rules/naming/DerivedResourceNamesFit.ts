import { derivedNames, NAME_LIMITS, type DerivedName, type NameKind, type NameLimit } from '../../aws/names';
import type { SpecRule, Violation } from '../types';
import { v } from '../util';

/**
 * The names the stack gives its resources (src/aws/names.ts, the same function the stacks call) against AWS's
 * limits (data/aws-limits.json). Names that would exceed a limit are shortened there (readable prefix + hash), so an
 * error here means a limit the names module cannot meet; a shortened name is reported as info, so reviewers see the
 * name AWS will show.
 */
export function checkDerivedNames(envName: string, names: readonly DerivedName[], limits: Readonly<Record<NameKind, NameLimit>>): Violation[] {
  const out: Violation[] = [];
  for (const n of names) {
    const limit = limits[n.kind];
    if (n.value.length > limit.max) {
      out.push(
        v(
          'name',
          `The ${n.label} name "${n.value}" is ${n.value.length} characters; the ${limit.what} limit is ${limit.max}, so ${limit.resource} would fail at apply.`,
          `Shorten the environment name so that "${n.value}" fits in ${limit.max} characters.`,
        ),
      );
    } else if (n.value !== n.unshortened) {
      out.push(
        v(
          'name',
          `The ${n.label} is named "${n.value}": "${n.unshortened}" would be ${n.unshortened.length} characters, over the ${limit.what} limit of ${limit.max}, so it is shortened (prefix + hash of the environment name).`,
          `Nothing to do. An environment name of at most ${limit.max - (n.unshortened.length - envName.length)} characters keeps the full name.`,
          { severity: 'info' },
        ),
      );
    }
  }
  return out;
}

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-NAME-002',
    severity: 'error',
    description:
      'Resource names derived from the environment name (execution role and policy, web-login policies, security group, KMS alias, log groups) fit AWS limits; names over a limit are shortened deterministically (info).',
    // sources: IAM quotas (role name 64, policy name 128); EC2 security group name 255; KMS alias 256; CloudWatch Logs group name 512 (data/aws-limits.json)
    reference: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html',
  },
  check({ spec }) {
    // Only the names of resources this spec makes the stack create.
    const created = derivedNames(spec.name)
      .all(Object.keys(spec.iam.webAccess))
      .filter((n) => {
        if (n.resource === 'executionRole' || n.resource === 'executionPolicy') return !spec.iam.executionRoleArn;
        if (n.resource === 'securityGroup') return spec.network.mode === 'create';
        if (n.resource === 'kmsAlias') return spec.encryption.kms === 'create';
        return true;
      });
    return checkDerivedNames(spec.name, created, NAME_LIMITS);
  },
};
