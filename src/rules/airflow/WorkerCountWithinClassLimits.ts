import { environmentClass } from '../data';
import type { SpecRule, Violation } from '../types';
import { v } from '../util';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-AF-004',
    severity: 'error',
    description: 'Worker min/max are within the class limits (mw1.micro: 1; others 1-25 by default quota, up to 50 with a quota increase).',
    // sources (developer notes): guide check 24; MWAA User Guide notes 6.3 and 9; MWAA FAQ "Can I specify more than 25 workers?"; data/environment-classes.json
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/environment-class.html',
  },
  check({ spec }) {
    const a = spec.airflow;
    const cls = environmentClass(a.environmentClass);
    if (!cls) return [];
    const out: Violation[] = [];
    const w = cls.workers;
    for (const end of ['min', 'max'] as const) {
      const n = a.workers[end];
      if (n < w.min || n > w.hardMax) {
        out.push(
          v(
            `airflow.workers.${end}`,
            `workers.${end}: ${n} is outside what ${a.environmentClass} accepts (${w.min === w.hardMax ? `exactly ${w.min}` : `${w.min} to ${w.hardMax}`}).`,
            `Set workers.${end}: ${Math.min(Math.max(n, w.min), w.hardMax)}.`,
          ),
        );
      } else if (end === 'max' && n > w.quota) {
        out.push(
          v(
            'airflow.workers.max',
            `workers.max: ${n} exceeds the default MWAA quota of ${w.quota} workers per environment.`,
            `Request a Service Quotas increase for "Workers per environment" before applying, or set workers.max: ${w.quota}.`,
            { severity: 'warning' },
          ),
        );
      }
    }
    return out;
  },
};
