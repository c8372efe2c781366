import { maybePartitionOf } from '../../aws/partition';
import { cloudWatchLogsKeyStatement } from '../../../stacks/policies';
import type { SpecRule } from '../types';
import { parseArn, v } from '../util';

/**
 * With `encryption.kms: existing`, the stack encrypts the five log groups with that key, and CloudWatch Logs refuses
 * to create them unless the key policy lets the Region's logs principal use the key. The stack does not manage that
 * key's policy and validation cannot read it, so this is a warning whose fix is the exact statement (built by the
 * same function as the created key's policy, stacks/policies.ts).
 */
export const rule: SpecRule = {
  meta: {
    id: 'MWAA-KMS-002',
    severity: 'warning',
    description: 'encryption.kms: existing: the key policy must let CloudWatch Logs (logs.<region>.<DNS suffix>) use the key for this account\'s log groups; the fix hint carries the exact statement.',
    // sources (developer notes): guide check 13; MWAA User Guide notes 5 (KMS-6: CloudWatch Logs key policy statement with the aws:logs:arn encryption context); CloudWatch Logs User Guide, "Encrypt log data in CloudWatch Logs using AWS KMS"
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/custom-keys-certs.html',
  },
  check({ spec }) {
    const e = spec.encryption;
    if (e.kms !== 'existing') return [];
    const partition = maybePartitionOf(spec.region);
    if (!partition) return [];
    const account = spec.account ?? parseArn(e.keyArn)?.account ?? '<account-id>';
    const statement = cloudWatchLogsKeyStatement({ region: spec.region, partition, account });
    return [
      v(
        'encryption.keyArn',
        `The environment's log groups will be encrypted with ${e.keyArn}; creating them fails unless that key's policy lets CloudWatch Logs in ${spec.region} use it (the stack does not manage this key's policy, and validation cannot read it).`,
        `Make sure the key policy contains this statement: ${JSON.stringify(statement)}`,
      ),
    ];
  },
};
