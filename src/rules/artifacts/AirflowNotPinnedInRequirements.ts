import { requirementsOf } from '../../artifacts/requirements';
import type { SpecRule, Violation } from '../types';
import { atFile, REQ_PATH } from './at';

const AIRFLOW = new Set(['apache-airflow', 'apache-airflow-core']);

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-REQ-002',
    severity: 'error',
    description: 'requirements.txt does not pin apache-airflow itself: MWAA installs the environment\'s Airflow version, a pin can make pip replace it.',
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/best-practices-dependencies.html',
  },
  check({ spec, doc }) {
    const req = doc.artifacts?.requirements;
    if (!req) return [];
    const out: Violation[] = [];
    for (const r of requirementsOf(req.lines)) {
      if (!AIRFLOW.has(r.normalized) || (r.specifiers.length === 0 && !r.url)) continue;
      const pin = r.url ?? r.specifiers.map((s) => `${s.operator}${s.version}`).join(',');
      out.push(
        atFile(REQ_PATH, req.file, r.line, r.column, `requirements.txt pins ${r.name} (${pin}); MWAA installs Airflow ${spec.airflow.version} itself, and pip may upgrade or downgrade it to satisfy this line.`, `Remove the line; change airflow.version in the spec to change Airflow (providers: list apache-airflow-providers-* packages instead).`),
      );
    }
    return out;
  },
};
