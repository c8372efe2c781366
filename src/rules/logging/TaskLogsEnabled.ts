import type { SpecRule, Violation } from '../types';
import { v } from '../util';

const ORDER = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-LOG-001',
    severity: 'warning',
    description: 'Task logs are enabled at INFO or more verbose (otherwise task logs are missing in the Airflow UI).',
    // sources (developer notes): guide check 29; MWAA User Guide notes 6.9 (Task logs at INFO required to read task logs in the UI)
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/monitoring-airflow.html',
  },
  check({ spec }) {
    const out: Violation[] = [];
    const t = spec.airflow.logging.task;
    if (!t.enabled) {
      out.push(v('airflow.logging.task.enabled', 'Task logs are disabled: the Airflow UI will show no task logs.', 'Set airflow.logging.task: { level: INFO, enabled: true }.'));
    } else if (ORDER.indexOf(t.level) > ORDER.indexOf('INFO')) {
      out.push(v('airflow.logging.task.level', `Task log level ${t.level} hides INFO task output in the Airflow UI.`, 'Set airflow.logging.task.level: INFO.'));
    }
    return out;
  },
};
