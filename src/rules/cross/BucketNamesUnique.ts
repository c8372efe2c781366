import type { CrossRule, RuleContext, Violation } from '../types';
import { v } from '../util';

export const rule: CrossRule = {
  meta: {
    id: 'MWAA-X-002',
    severity: 'error',
    description: 'Bucket names are unique across the repository (S3 names are global; one bucket per environment).',
    reference: 'mwaa-reference.md 3.1 S3-4 (globally unique) and S3-10 (dedicated bucket per environment)',
  },
  check(ctxs) {
    const out: Array<Violation & { env: RuleContext }> = [];
    const first = new Map<string, RuleContext>();
    for (const c of ctxs) {
      const name = c.spec.bucket.name;
      if (!name) continue;
      const clash = first.get(name);
      if (clash) {
        out.push({ ...v(c.spec.bucket.existingArn ? 'bucket.existingArn' : 'bucket.name', `Bucket "${name}" is also used by environment "${clash.spec.name}" (${clash.doc.file}).`, 'Give each environment its own bucket (MWAA recommends a dedicated bucket).'), env: c });
      } else {
        first.set(name, c);
      }
    }
    return out;
  },
};
