import { region } from '../data';
import type { SpecRule, Violation } from '../types';
import { v } from '../util';
import { bucketNameProblem } from '../s3/bucketName';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-STATE-001',
    severity: 'error',
    description: 'state.backend: s3 has a valid bucket name, a relative key and a known Region.',
    // sources: Terraform S3 backend (bucket, key, region required); S3 bucket naming rules
    reference: 'https://developer.hashicorp.com/terraform/language/backend/s3',
  },
  check({ spec }) {
    const s = spec.state;
    if (s.backend !== 's3') return [];
    const out: Violation[] = [];
    if (!s.bucket) out.push(v('state', 'state.backend: s3 needs a bucket.', 'Add state.bucket: <terraform-state-bucket>.', { atKey: true }));
    else {
      const p = bucketNameProblem(s.bucket);
      if (p) out.push(v('state.bucket', `State bucket "${s.bucket}" ${p}.`, 'Use a valid S3 bucket name.'));
    }
    if (!s.key) out.push(v('state', 'state.backend: s3 needs a key.', `Add state.key: mwaa/${spec.name}.tfstate`, { atKey: true }));
    else if (s.key.startsWith('/') || s.key.endsWith('/')) out.push(v('state.key', `State key "${s.key}" must not start or end with "/".`, `Write key: mwaa/${spec.name}.tfstate`));
    if (!s.region) out.push(v('state', 'state.backend: s3 needs a region.', `Add state.region: ${spec.region}`, { atKey: true }));
    else if (!region(s.region)) out.push(v('state.region', `State Region "${s.region}" is not a Region this tool knows (data/regions.json); a typo makes terraform init fail.`, `Check the spelling, e.g. region: ${spec.region}`, { severity: 'warning' }));
    return out;
  },
};
