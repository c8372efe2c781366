import { blockedOption } from '../data';
import type { SpecRule, Violation } from '../types';
import { configPath, v } from '../util';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-CFG-002',
    severity: 'error',
    description: 'No configuration option that MWAA owns and overrides (executor, database, broker, fernet/secret keys, logging, StatsD ...).',
    reference: 'mwaa-reference.md 6.10 reserved variables; aws/amazon-mwaa-docker-images mwaa/config/airflow.py get_essential_airflow_config (data/configuration-options.json "blocked")',
  },
  check({ spec }) {
    const out: Violation[] = [];
    for (const key of Object.keys(spec.airflow.configuration)) {
      const b = blockedOption(key, spec.airflow.version);
      if (b) {
        out.push(v(configPath(key), `Configuration option "${key}" is reserved by MWAA (${b.reason}); your value would be rejected or overridden.`, `Remove "${key}" from airflow.configuration.`, { atKey: true }));
      }
    }
    return out;
  },
};
