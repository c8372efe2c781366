import { hasFeature } from '../data';
import type { SpecRule } from '../types';
import { configPath, v } from '../util';

/** Airflow defaults (seconds). */
const DEFAULT_IMPORT = 30;
const DEFAULT_PROCESSOR = 50;

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-CFG-007',
    severity: 'error',
    description: 'core.dagbag_import_timeout is lower than the DAG file processor timeout (core.* on Airflow 2, dag_processor.* on Airflow 3).',
    // sources (developer notes): guide check 22; MWAA User Guide notes 6.7 (dagbag_import_timeout MUST be lower than dag_file_processor_timeout)
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/best-practices-tuning.html',
  },
  check({ spec }) {
    const cfg = spec.airflow.configuration;
    const procKey = hasFeature(spec.airflow.version, 'airflow3') ? 'dag_processor.dag_file_processor_timeout' : 'core.dag_file_processor_timeout';
    const importKey = 'core.dagbag_import_timeout';
    if (cfg[importKey] === undefined && cfg[procKey] === undefined) return [];
    const imp = cfg[importKey] !== undefined ? Number(cfg[importKey]) : DEFAULT_IMPORT;
    const proc = cfg[procKey] !== undefined ? Number(cfg[procKey]) : DEFAULT_PROCESSOR;
    if (!Number.isFinite(imp) || !Number.isFinite(proc)) {
      const bad = !Number.isFinite(imp) ? importKey : procKey;
      return [v(configPath(bad), `${bad} "${cfg[bad]}" is not a number of seconds.`, `Set ${bad} to a number, e.g. "${bad === importKey ? DEFAULT_IMPORT : DEFAULT_PROCESSOR}".`)];
    }
    if (imp < proc) return [];
    const at = cfg[importKey] !== undefined ? importKey : procKey;
    return [
      v(
        configPath(at),
        `${importKey} (${imp}s) must be lower than ${procKey} (${proc}s); otherwise the DAG processor is killed before the import times out.`,
        `Set ${importKey} below ${proc}, e.g. "${Math.max(1, proc - 20)}", or raise ${procKey} above ${imp}.`,
      ),
    ];
  },
};
