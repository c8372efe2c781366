import { region, regions } from '../data';
import type { SpecRule } from '../types';
import { closest, v } from '../util';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-AF-001',
    severity: 'error',
    description: 'The Region is one where Amazon MWAA is available (data/regions.json).',
    // sources (developer notes): MWAA User Guide notes 1.1; AWS SDK endpoints for service "airflow" (data/regions.json)
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/what-is-mwaa.html',
  },
  check({ spec }) {
    if (region(spec.region)) return [];
    const names = regions().map((r) => r.region);
    const near = closest(spec.region, names);
    return [
      v(
        'region',
        `Amazon MWAA is not available in Region "${spec.region}".`,
        near ? `Did you mean region: ${near}? Supported: ${names.join(', ')}.` : `Use one of: ${names.join(', ')}.`,
      ),
    ];
  },
};
