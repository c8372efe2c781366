import * as path from 'path';
import { locate } from '../../spec/positions';
import type { CrossRule, RuleContext, Violation } from '../types';
import { v } from '../util';

/** `environments/x.yaml:12` for where the environment gets its bucket name (its own file, or the base it extends). */
function where(c: RuleContext, keyPath: string): { file: string; line: number; column: number; shown: string; own: boolean } {
  const pos = locate(c.doc, keyPath);
  const own = pos.file === c.doc.file;
  const rel = (f: string) => path.relative(c.doc.repoRoot, f) || f;
  return { ...pos, shown: `${rel(pos.file)}:${pos.line}`, own };
}

export const rule: CrossRule = {
  meta: {
    id: 'MWAA-X-002',
    severity: 'error',
    description: 'Bucket names are unique across the repository (S3 names are global; one bucket per environment).',
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-s3-bucket.html',
  },
  check(ctxs) {
    const out: Array<Violation & { env: RuleContext }> = [];
    const first = new Map<string, RuleContext>();
    for (const c of ctxs) {
      const name = c.spec.bucket.name;
      if (!name) continue;
      const clash = first.get(name);
      if (!clash) {
        first.set(name, c);
        continue;
      }
      const key = c.spec.bucket.existingArn ? 'bucket.existingArn' : 'bucket.name';
      const mine = where(c, key);
      const theirs = where(clash, clash.spec.bucket.existingArn ? 'bucket.existingArn' : 'bucket.name');
      const relFile = (x: RuleContext) => path.relative(x.doc.repoRoot, x.doc.file) || x.doc.file;
      // Reported in this environment's own file: when the name comes from a base both extend, the base is not the
      // thing to point at (every environment extending it collides), the environments are.
      const inherited = !mine.own ? ` (inherited from ${mine.shown})` : '';
      const theirsAt = theirs.own ? theirs.shown : `${relFile(clash)}, inherited from ${theirs.shown}`;
      const at = mine.own ? undefined : { ...locate(c.doc, 'name'), file: c.doc.file };
      out.push({
        ...v(
          key,
          `Environments "${clash.spec.name}" (${theirsAt}) and "${c.spec.name}" (${relFile(c)}${mine.own ? `:${mine.line}` : ''}) both use bucket "${name}"${inherited}; S3 bucket names are global and MWAA needs one bucket per environment.`,
          mine.own || theirs.own
            ? 'Give each environment its own bucket: change bucket.name in one of the two files.'
            : `Remove bucket.name from ${mine.shown.replace(/:\d+$/, '')} and set a different bucket.name in each environment's own file (or leave it out: the tool derives <name>-airflow-<region>).`,
          at && at.file === c.doc.file ? { at } : {},
        ),
        env: c,
      });
    }
    return out;
  },
};
