import type { CrossRule, RuleContext, Violation } from '../types';
import { v } from '../util';

export const rule: CrossRule = {
  meta: {
    id: 'MWAA-X-001',
    severity: 'error',
    description: 'Environment names are unique per account and Region across the repository.',
    // sources: MWAA: environment name unique per account and Region (environment ARN arn:aws:airflow:<region>:<account>:environment/<name>)
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/create-environment.html',
  },
  check(ctxs) {
    const out: Array<Violation & { env: RuleContext }> = [];
    const first = new Map<string, RuleContext>();
    for (const c of ctxs) {
      const key = `${c.spec.account ?? '*'}|${c.spec.region}|${c.spec.name}`;
      const clash = first.get(key) ?? (c.spec.account ? first.get(`*|${c.spec.region}|${c.spec.name}`) : undefined);
      if (clash) {
        out.push({ ...v('name', `Environment "${c.spec.name}" in ${c.spec.region}${c.spec.account ? ' / account ' + c.spec.account : ''} is also defined in ${clash.doc.file}.`, 'Rename one of the environments (names are unique per account and Region).'), env: c });
      } else {
        first.set(key, c);
      }
    }
    return out;
  },
};
