import { blockedOption } from '../data';
import type { SpecRule, Violation } from '../types';
import { configPath, v } from '../util';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-CFG-002',
    severity: 'error',
    description: 'No configuration option that MWAA owns and overrides (executor, database, broker, fernet/secret keys, logging, StatsD ...).',
    // sources: aws/amazon-mwaa-docker-images mwaa/config/airflow.py get_essential_airflow_config (data/configuration-options.json "blocked")
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/configuring-env-variables.html',
  },
  check({ spec }) {
    const out: Violation[] = [];
    for (const key of Object.keys(spec.airflow.configuration)) {
      const b = blockedOption(key, spec.airflow.version);
      if (b) {
        out.push(v(configPath(key), `Configuration option "${key}" cannot be set on MWAA: ${b.reason}. Your value would be rejected or overridden.`, `Remove "${key}" from airflow.configuration.`, { atKey: true }));
      }
    }
    return out;
  },
};
