import { requirementsOf } from '../../artifacts/requirements';
import type { SpecRule, Violation } from '../types';
import { atFile, REQ_PATH } from './at';

const BOUNDED = new Set(['==', '===', '<', '<=', '~=']);

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-REQ-004',
    severity: 'warning',
    description: 'Each requirement has an exact (==) or upper-bounded version, so a new release on PyPI cannot change the environment at the next update.',
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/best-practices-dependencies.html',
  },
  check({ doc }) {
    const req = doc.artifacts?.requirements;
    if (!req) return [];
    const out: Violation[] = [];
    for (const r of requirementsOf(req.lines)) {
      if (r.url || r.specifiers.some((s) => BOUNDED.has(s.operator))) continue;
      out.push(atFile(REQ_PATH, req.file, r.line, r.column, `${r.name} has no pinned or maximum version; every environment update installs whatever is newest.`, `Pin it: ${r.name}==<version> (the version your DAGs were tested with).`));
    }
    return out;
  },
};
