import { blockedOption, ignoredOption, isKnownOption, isKnownSection, knownInOtherVersions, knownOptionsInSection } from '../data';
import type { SpecRule, Violation } from '../types';
import { closest, configPath, v } from '../util';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-CFG-003',
    severity: 'warning',
    description: 'Configuration options in Airflow sections exist in the environment\'s Airflow version (typos, renamed or removed options); custom sections are reported as info.',
    // sources: Apache Airflow configuration reference per version (curated in data/configuration-options.json)
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/configuring-env-variables.html',
  },
  check({ spec }) {
    const out: Violation[] = [];
    const version = spec.airflow.version;
    for (const key of Object.keys(spec.airflow.configuration)) {
      const dot = key.indexOf('.');
      if (dot <= 0) continue; // MWAA-CFG-001 reports malformed keys
      const section = key.slice(0, dot);
      if (isKnownOption(key, version)) continue;
      // an option MWAA blocks or ignores is a real option: MWAA-CFG-002 / MWAA-CFG-004 say what is wrong with it
      if (blockedOption(key, version) || ignoredOption(key)) continue;
      const path = configPath(key);
      if (!isKnownSection(section)) {
        out.push(
          v(path, `"${key}" is not an Airflow option; MWAA passes it through as the environment variable AIRFLOW__${section.toUpperCase()}__${key.slice(dot + 1).toUpperCase().replace(/\./g, '_')}.`, 'Nothing to do if this is a custom option (e.g. credentials used in requirements.txt); otherwise fix the section name.', { severity: 'info', atKey: true }),
        );
        continue;
      }
      const other = knownInOtherVersions(key);
      if (other.length > 0) {
        const o = other[0];
        const when = o.until && o.since ? `${o.since} to before ${o.until}` : o.until ? `before ${o.until}` : `from ${o.since}`;
        out.push(v(path, `"${key}" is not an option of Airflow ${version} (it exists ${when}).`, 'Use the option name of your Airflow version (see the Airflow configuration reference) or remove it.', { atKey: true }));
        continue;
      }
      const near = closest(key, knownOptionsInSection(section, version));
      out.push(
        v(path, `"${key}" is not a known option of Airflow ${version}.`, near ? `Did you mean "${near}"?` : `Check the spelling against the Airflow ${version} configuration reference.`, { atKey: true }),
      );
    }
    return out;
  },
};
