import type { SpecRule, Violation } from '../types';
import { v } from '../util';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-AF-006',
    severity: 'error',
    description: 'workers.min <= workers.max and webservers.min <= webservers.max.',
    // sources: MWAA API CreateEnvironment MinWorkers/MaxWorkers, MinWebservers/MaxWebservers
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/mwaa-autoscaling.html',
  },
  check({ spec }) {
    const out: Violation[] = [];
    for (const what of ['workers', 'webservers'] as const) {
      const r = spec.airflow[what];
      if (r.min > r.max) {
        out.push(
          v(`airflow.${what}.min`, `${what}.min (${r.min}) is greater than ${what}.max (${r.max}).`, `Set ${what}.min to at most ${r.max}, or raise ${what}.max to at least ${r.min}.`),
        );
      }
    }
    return out;
  },
};
