import type { SpecRule } from '../types';
import { v } from '../util';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-S3-003',
    severity: 'error',
    description: 'bucket.dagsPath is a relative S3 prefix: not empty, no leading or trailing "/", no "s3://", no ".." segments.',
    // sources (developer notes): MWAA User Guide notes 6.1 (DagS3Path relative path, e.g. dags) and 3.1 S3-11
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/configuring-dag-folder.html',
  },
  check({ spec }) {
    const p = spec.bucket.dagsPath;
    let why: string | undefined;
    if (!p || !p.trim()) why = 'is empty';
    else if (p.startsWith('s3://')) why = 'must be a path inside the bucket, not an s3:// URI';
    else if (p.startsWith('/') || p.endsWith('/')) why = 'must not start or end with "/"';
    else if (p.split('/').some((s) => s === '..' || s === '.' || s === '')) why = 'must not contain empty, "." or ".." segments';
    if (!why) return [];
    const fixed = p.replace(/^s3:\/\/[^/]+\/?/, '').replace(/^\/+|\/+$/g, '') || 'dags';
    return [v('bucket.dagsPath', `dagsPath "${p}" ${why}.`, `Write dagsPath: ${fixed}`)];
  },
};
