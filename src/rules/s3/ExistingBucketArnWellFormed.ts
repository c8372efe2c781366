import { maybePartitionOf } from '../../aws/partition';
import type { SpecRule, Violation } from '../types';
import { v } from '../util';
import { bucketNameProblem } from './bucketName';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-S3-002',
    severity: 'error',
    description: 'bucket.existingArn is arn:<partition>:s3:::<bucket> (no key, no trailing "/"), names a valid bucket, and agrees with bucket.name.',
    // sources (developer notes): guide check 09; MWAA User Guide notes 3.1 S3-11 (SourceBucketArn, no trailing "/"); MWAA API S3BucketArn pattern
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-s3-bucket.html',
  },
  check({ spec }) {
    const arn = spec.bucket.existingArn;
    if (arn === undefined || arn === null) return [];
    const out: Violation[] = [];
    const known = maybePartitionOf(spec.region)?.id;
    const partition = known ?? 'aws';
    const m = /^arn:(aws|aws-cn|aws-us-gov):s3:::([^/]+)$/.exec(arn);
    if (!m) {
      const hint = arn.startsWith('s3://') ? arn.slice(5).replace(/\/.*$/, '') : spec.bucket.name;
      out.push(v('bucket.existingArn', `"${arn}" is not an S3 bucket ARN (arn:${partition}:s3:::<bucket>, without a key or trailing "/").`, `Write existingArn: arn:${partition}:s3:::${hint}`));
      return out;
    }
    if (known && m[1] !== known) out.push(v('bucket.existingArn', `Bucket ARN partition "${m[1]}" does not match Region ${spec.region} (partition ${partition}).`, `Use arn:${partition}:s3:::${m[2]}.`));
    const p = bucketNameProblem(m[2]);
    if (p) out.push(v('bucket.existingArn', `The bucket in "${arn}" ${p}.`, 'Point existingArn at a valid bucket.'));
    if (spec.bucket.name && spec.bucket.name !== m[2]) {
      out.push(v('bucket.name', `bucket.name "${spec.bucket.name}" differs from the bucket in existingArn ("${m[2]}").`, `Remove bucket.name or set it to ${m[2]}.`));
    }
    return out;
  },
};
