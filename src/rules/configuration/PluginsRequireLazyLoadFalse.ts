import { compareVersions } from '../data';
import type { SpecRule } from '../types';
import { isTruthyFalse, v } from '../util';

const KEY = 'core.lazy_load_plugins';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-CFG-010',
    severity: 'warning',
    description: 'On Airflow 2, a plugins.zip with custom plugins (a .py module defining an AirflowPlugin) needs core.lazy_load_plugins "False" so they load in every component; an archive of wheels or helper modules only does not.',
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/configuring-dag-import-plugins.html',
  },
  check({ spec, doc }) {
    if (!spec.bucket.plugins) return [];
    if (compareVersions(spec.airflow.version, '3.0.0') >= 0) return [];
    if (isTruthyFalse(spec.airflow.configuration[KEY])) return [];
    // Tie the rule to the archive's content: no AirflowPlugin in it, nothing to load eagerly.
    const archive = doc.artifacts?.plugins;
    const known = archive !== undefined && archive.unreadable === undefined;
    if (known && archive.pluginModules.length === 0) return [];
    const which = known ? ` (${archive.pluginModules.slice(0, 3).join(', ')}${archive.pluginModules.length > 3 ? ', ...' : ''})` : '';
    const current = spec.airflow.configuration[KEY];
    return [
      v(
        current === undefined ? 'bucket.plugins' : `airflow.configuration.${KEY}`,
        current === undefined
          ? `plugins.zip holds custom plugins${which} but ${KEY} is not set to "False"; on Airflow 2 they may not load in every component.`
          : `${KEY} is "${current}" while plugins.zip holds custom plugins${which}; on Airflow 2 they may not load in every component.`,
        `Add under airflow.configuration:  ${KEY}: "False"`,
        { atKey: current === undefined },
      ),
    ];
  },
};
