import type { SpecRule } from '../types';
import { v } from '../util';

/** CloudWatch Logs PutRetentionPolicy accepted values (days). */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-LOG-002',
    severity: 'error',
    description: 'logging.retentionDays is a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ... 3653).',
    reference: 'CloudWatch Logs API PutRetentionPolicy retentionInDays allowed values',
  },
  check({ spec }) {
    const d = spec.airflow.logging.retentionDays;
    if (RETENTION_DAYS.includes(d)) return [];
    const next = RETENTION_DAYS.find((x) => x >= d) ?? 3653;
    return [v('airflow.logging.retentionDays', `retentionDays: ${d} is not a CloudWatch Logs retention period.`, `Use one of ${RETENTION_DAYS.join(', ')}; e.g. retentionDays: ${next}.`)];
  },
};
