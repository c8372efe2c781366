import type { SpecRule, Violation } from '../types';
import { v } from '../util';
import { bucketNameProblem } from './bucketName';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-S3-001',
    severity: 'error',
    description: 'The bucket name follows S3 naming rules (3-63 chars, lower case, digits, "." "-", no "..", not an IP, no xn--/sthree- prefix, no -s3alias/--ol-s3 suffix); dotted names warned.',
    // sources (developer notes): guide check 08; MWAA User Guide notes 3.1 S3-4; Amazon S3 "General purpose bucket naming rules"
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-s3-bucket.html',
  },
  check({ spec }) {
    const out: Violation[] = [];
    const name = spec.bucket.name;
    const p = bucketNameProblem(name);
    if (p) {
      const fixed = name.toLowerCase().replace(/[^a-z0-9.-]/g, '-').replace(/\.{2,}/g, '.').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '').slice(0, 63);
      out.push(v('bucket.name', `Bucket name "${name}" ${p}.`, `Use a valid name, e.g. bucket.name: ${fixed.length >= 3 ? fixed : 'my-airflow-bucket'}.`));
    } else if (name.includes('.')) {
      out.push(v('bucket.name', `Bucket name "${name}" contains ".": virtual-hosted HTTPS requests to it fail certificate checks.`, 'Use "-" instead of "." in the bucket name.', { severity: 'warning' }));
    }
    return out;
  },
};
