import { configKeyPattern, configLimits, configValuePattern } from '../data';
import type { SpecRule, Violation } from '../types';
import { configPath, v } from '../util';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-CFG-001',
    severity: 'error',
    description: 'Configuration keys are "section.option" in lower case (API pattern, max 64 characters); values are printable ASCII, 1-65536 characters.',
    // sources: MWAA API AirflowConfigurationOptions (key pattern [a-z]+([a-z0-9._]*[a-z0-9_]+)?, key length 1-64, value length 1-65536)
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/configuring-env-variables.html',
  },
  check({ spec }) {
    const out: Violation[] = [];
    const keyRe = configKeyPattern();
    const valRe = configValuePattern();
    const lim = configLimits();
    for (const [key, value] of Object.entries(spec.airflow.configuration)) {
      const path = configPath(key);
      if (!keyRe.test(key) || !key.includes('.') || key.startsWith('.') || key.split('.').some((p) => p === '')) {
        const lower = key.toLowerCase().replace(/[^a-z0-9._]/g, '_');
        out.push(
          v(path, `Configuration key "${key}" is not of the form section.option in lower case.`, `Write it as "${lower.includes('.') ? lower : 'core.' + lower}".`, { atKey: true }),
        );
      } else if (key.length > lim.keyMaxLength) {
        out.push(v(path, `Configuration key "${key}" is ${key.length} characters; MWAA allows ${lim.keyMaxLength}.`, 'Use a shorter option name.', { atKey: true }));
      }
      const s = String(value);
      if (s.length === 0) {
        out.push(v(path, `Configuration option "${key}" has an empty value; MWAA requires at least one character.`, `Give it a value or remove "${key}".`));
      } else if (s.length > lim.valueMaxLength) {
        out.push(v(path, `The value of "${key}" is ${s.length} characters; MWAA allows ${lim.valueMaxLength}.`, 'Shorten the value.'));
      } else if (!valRe.test(s)) {
        out.push(
          v(path, `The value of "${key}" contains characters MWAA rejects (only printable ASCII, no newlines or tabs).`, 'Remove newlines, tabs and non-ASCII characters from the value.'),
        );
      }
    }
    return out;
  },
};
