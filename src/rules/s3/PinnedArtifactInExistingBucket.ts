import type { SpecRule, Violation } from '../types';
import { v } from '../util';

/**
 * An artifact written as `{ key, versionId }` names an object version that already exists. Only an existing bucket
 * (bucket.existingArn) can hold it: a bucket the stack creates starts empty, so MWAA would be pointed at a version
 * that does not exist and the update fails.
 */
export const rule: SpecRule = {
  meta: {
    id: 'MWAA-S3-004',
    severity: 'error',
    description: 'An artifact pinned at an object version ({ key, versionId }) is in an existing bucket (bucket.existingArn); a created bucket has no such version.',
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-s3-bucket.html',
  },
  check({ spec }) {
    const out: Violation[] = [];
    if (spec.bucket.existingArn) return out;
    for (const [field, p] of Object.entries(spec.bucket.pinned ?? {})) {
      if (!p) continue;
      out.push(
        v(
          `bucket.${field}.versionId`,
          `bucket.${field} pins version ${p.versionId} of ${p.key}, but the bucket is created by this stack and holds no such version.`,
          `Upload the file instead: replace versionId with source: <path of the file in the repository> (key: ${p.key} stays), or set bucket.existingArn to the bucket that holds that version.`,
        ),
      );
    }
    return out;
  },
};
