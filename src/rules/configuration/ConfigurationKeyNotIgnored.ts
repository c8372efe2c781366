import { ignoredOption } from '../data';
import type { SpecRule, Violation } from '../types';
import { configPath, v } from '../util';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-CFG-004',
    severity: 'warning',
    description: 'No configuration option that MWAA ignores (celery.worker_concurrency; metrics.metrics_block_list together with metrics_allow_list).',
    // sources (developer notes): guide check 22; MWAA User Guide notes 6.7 (celery.worker_concurrency ignored) and 11.2 (block list ignored when allow list set)
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/configuring-env-variables.html',
  },
  check({ spec }) {
    const out: Violation[] = [];
    const cfg = spec.airflow.configuration;
    for (const key of Object.keys(cfg)) {
      const i = ignoredOption(key);
      if (!i) continue;
      if (key === 'metrics.metrics_block_list' && cfg['metrics.metrics_allow_list'] === undefined) continue;
      out.push(
        v(configPath(key), `"${key}" has no effect on MWAA: ${i.reason}.`, key === 'celery.worker_concurrency' ? 'Remove it and set celery.worker_autoscale: "<max>,<min>" instead.' : `Remove "${key}".`, { atKey: true }),
      );
    }
    return out;
  },
};
