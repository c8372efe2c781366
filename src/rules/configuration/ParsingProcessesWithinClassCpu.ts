import { environmentClass, hasFeature } from '../data';
import type { SpecRule } from '../types';
import { configPath, v } from '../util';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-CFG-006',
    severity: 'warning',
    description: 'parsing_processes (scheduler.* on Airflow 2, dag_processor.* on Airflow 3) fits the class thread budget 2 x vCPU - 1.',
    // sources (developer notes): guide check 22; MWAA User Guide notes 6.2 (max extra threads per class) and 6.7 (scheduler.parsing_processes); data/environment-classes.json maxParsingThreads
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/best-practices-tuning.html',
  },
  check({ spec }) {
    const key = hasFeature(spec.airflow.version, 'airflow3') ? 'dag_processor.parsing_processes' : 'scheduler.parsing_processes';
    const raw = spec.airflow.configuration[key];
    if (raw === undefined) return [];
    const cls = environmentClass(spec.airflow.environmentClass);
    if (!cls) return [];
    const n = Number(String(raw).trim());
    if (!Number.isInteger(n) || n < 1) {
      return [v(configPath(key), `${key} "${raw}" is not a positive integer.`, `Set ${key}: "${cls.maxParsingThreads}".`, { severity: 'error' })];
    }
    if (n > cls.maxParsingThreads) {
      return [
        v(
          configPath(key),
          `${key} = ${n} exceeds the thread budget of ${spec.airflow.environmentClass} (${cls.vcpu} vCPU: at most ${cls.maxParsingThreads} besides the scheduler); the scheduler will be starved.`,
          `Set ${key}: "${cls.maxParsingThreads}" or choose a larger environmentClass.`,
        ),
      ];
    }
    return [];
  },
};
