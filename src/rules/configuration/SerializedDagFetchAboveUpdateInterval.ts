import type { SpecRule } from '../types';
import { configPath, v } from '../util';

const UPDATE = 'core.min_serialized_dag_update_interval';
const FETCH = 'core.min_serialized_dag_fetch_interval';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-CFG-008',
    severity: 'warning',
    description: 'core.min_serialized_dag_fetch_interval is higher than core.min_serialized_dag_update_interval (Airflow 2).',
    // sources (developer notes): guide check 22; MWAA User Guide notes 6.7 (performance tuning: fetch interval MUST be higher than update interval)
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/best-practices-tuning.html',
  },
  check({ spec }) {
    const cfg = spec.airflow.configuration;
    if (cfg[UPDATE] === undefined && cfg[FETCH] === undefined) return [];
    const upd = cfg[UPDATE] !== undefined ? Number(cfg[UPDATE]) : 30;
    const fetch = cfg[FETCH] !== undefined ? Number(cfg[FETCH]) : 10;
    if (!Number.isFinite(upd) || !Number.isFinite(fetch) || fetch > upd) return [];
    const at = cfg[FETCH] !== undefined ? FETCH : UPDATE;
    return [v(configPath(at), `${FETCH} (${fetch}s) should be higher than ${UPDATE} (${upd}s).`, `Set ${FETCH} above ${upd}, e.g. "${upd + 10}".`)];
  },
};
