import type { SpecRule } from '../types';
import { isTruthyFalse, v } from '../util';

const KEY = 'core.lazy_load_plugins';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-CFG-010',
    severity: 'warning',
    description: 'With a plugins.zip, core.lazy_load_plugins is "False" so custom plugins load in every component.',
    reference: 'V-21; mwaa-reference.md 6.7 (custom plugins on Airflow v2 require core.lazy_load_plugins: False)',
  },
  check({ spec }) {
    if (!spec.bucket.plugins) return [];
    if (isTruthyFalse(spec.airflow.configuration[KEY])) return [];
    const current = spec.airflow.configuration[KEY];
    return [
      v(
        current === undefined ? 'bucket.plugins' : `airflow.configuration.${KEY}`,
        current === undefined ? `A plugins.zip is configured but ${KEY} is not set to "False"; plugins may not load.` : `${KEY} is "${current}" with a plugins.zip; plugins may not load.`,
        `Add under airflow.configuration:  ${KEY}: "False"`,
        { atKey: current === undefined },
      ),
    ];
  },
};
