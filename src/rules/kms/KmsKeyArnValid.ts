import { maybePartitionOf } from '../../aws/partition';
import type { SpecRule, Violation } from '../types';
import { v } from '../util';

const KEY_ARN = /^arn:(aws|aws-cn|aws-us-gov):kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;
const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-KMS-001',
    severity: 'error',
    description: 'encryption.keyArn is a single-Region KMS key ARN (no alias, no mrk- multi-Region key) in the environment Region and, when set, the spec account.',
    // sources (developer notes): guide check 13; MWAA User Guide notes 5 KMS-2/KMS-3/KMS-4 (key ID or ARN, no alias, no multi-Region key, same Region)
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/custom-keys-certs.html',
  },
  check({ spec }) {
    const e = spec.encryption;
    if (e.kms !== 'existing') return [];
    const arn = e.keyArn;
    const out: Violation[] = [];
    const known = maybePartitionOf(spec.region)?.id;
    const partition = known ?? 'aws';
    const acct = spec.account ?? '<account>';
    const example = `arn:${partition}:kms:${spec.region}:${acct}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    if (/:alias\//.test(arn) || arn.startsWith('alias/')) {
      out.push(v('encryption.keyArn', `"${arn}" is a KMS alias; MWAA does not accept aliases.`, `Use the key ARN the alias points to, e.g. keyArn: ${example}`));
      return out;
    }
    const m = KEY_ARN.exec(arn);
    if (!m) {
      out.push(v('encryption.keyArn', `"${arn}" is not a KMS key ARN.`, `Write keyArn: ${example}`));
      return out;
    }
    const [, part, reg, account, keyId] = m;
    if (keyId.startsWith('mrk-')) {
      out.push(v('encryption.keyArn', `"${arn}" is a multi-Region key (mrk-...); MWAA supports only single-Region keys.`, `Create a single-Region symmetric key in ${spec.region}, or use encryption.kms: create.`));
    } else if (!KEY_ID.test(keyId)) {
      out.push(v('encryption.keyArn', `Key id "${keyId}" in "${arn}" is not a KMS key id (a UUID).`, `Write keyArn: ${example}`));
    }
    if (reg !== spec.region) {
      out.push(v('encryption.keyArn', `The key is in Region ${reg} but the environment is in ${spec.region}; the key must be in the same Region.`, `Use a key in ${spec.region}.`));
    }
    if (known && part !== known) {
      out.push(v('encryption.keyArn', `ARN partition "${part}" does not match Region ${spec.region} (partition ${partition}).`, `Use arn:${partition}:kms:...`));
    }
    if (spec.account && account !== spec.account) {
      out.push(
        v('encryption.keyArn', `The key belongs to account ${account} but the environment's account is ${spec.account}; cross-account keys need extra key-policy grants.`, `Use a key from account ${spec.account}, or grant the environment's role and MWAA access in the key policy.`, { severity: 'warning' }),
      );
    }
    return out;
  },
};
