import { environmentClass } from '../data';
import type { SpecRule } from '../types';
import { configPath, v } from '../util';

const KEY = 'celery.worker_autoscale';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-CFG-005',
    severity: 'error',
    description: 'celery.worker_autoscale is "max,min" (integers, max >= min >= 0); a max above the class default concurrency is a warning.',
    // sources (developer notes): guide check 22; MWAA User Guide notes 6.2 (defaults per class) and 6.7 (format max_concurrency,min_concurrency)
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/best-practices-tuning.html',
  },
  check({ spec }) {
    const value = spec.airflow.configuration[KEY];
    if (value === undefined) return [];
    const path = configPath(KEY);
    const m = /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(String(value));
    const cls = environmentClass(spec.airflow.environmentClass);
    const def = cls?.workerAutoscaleDefault ?? '5,0';
    if (!m) {
      return [v(path, `${KEY} "${value}" is not "max,min" (two integers).`, `Write it like ${KEY}: "${def}".`)];
    }
    const max = Number(m[1]);
    const min = Number(m[2]);
    if (max < 1 || max < min) {
      return [v(path, `${KEY} "${value}": max concurrency ${max} must be at least 1 and not below min concurrency ${min}.`, `Write "${Math.max(max, min, 1)},${Math.min(max, min)}" (max first).`)];
    }
    if (cls && max > cls.defaultConcurrentTasks) {
      return [
        v(
          path,
          `${KEY} "${value}" allows ${max} concurrent tasks per worker; ${spec.airflow.environmentClass} is sized for ${cls.defaultConcurrentTasks} (default "${cls.workerAutoscaleDefault}"). Tasks may run out of CPU/memory.`,
          `Keep max at ${cls.defaultConcurrentTasks} or less, or use a larger environmentClass.`,
          { severity: 'warning' },
        ),
      ];
    }
    return [];
  },
};
