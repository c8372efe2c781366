import type { SpecRule, Violation } from '../types';
import { v } from '../util';

/** Longest suffix the stack appends to the environment name for an IAM name (`<name>-execution-role`). */
export const IAM_ROLE_SUFFIX = '-execution-role';
const IAM_ROLE_MAX = 64;

/**
 * The environment name prefixes every resource name. IAM role names are limited to 64 characters,
 * so `<name>-execution-role` must fit; otherwise the stack has to truncate/hash the name.
 */
export const rule: SpecRule = {
  meta: {
    id: 'MWAA-NAME-002',
    severity: 'warning',
    description: `Names derived from the environment name fit AWS limits (IAM role "<name>${IAM_ROLE_SUFFIX}" <= ${IAM_ROLE_MAX} characters).`,
    reference: 'IAM quotas: role name max 64 characters; mwaa-reference.md 1.2 (role name alphanumeric and +=,.@-_, max 64)',
  },
  check({ spec }) {
    const out: Violation[] = [];
    const roleName = spec.name + IAM_ROLE_SUFFIX;
    if (roleName.length > IAM_ROLE_MAX) {
      const maxName = IAM_ROLE_MAX - IAM_ROLE_SUFFIX.length;
      out.push(
        v(
          'name',
          `The execution role name "${roleName}" would be ${roleName.length} characters; IAM allows ${IAM_ROLE_MAX}, so the name has to be shortened or hashed.`,
          `Use an environment name of at most ${maxName} characters (now ${spec.name.length}).`,
        ),
      );
    }
    return out;
  },
};
