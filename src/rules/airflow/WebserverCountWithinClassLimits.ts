import { environmentClass, featureSince, hasFeature } from '../data';
import type { SpecRule, Violation } from '../types';
import { v } from '../util';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-AF-005',
    severity: 'error',
    description: 'Webserver min/max are within the class limits (mw1.micro: 1; others 2-5), and only set where the Airflow version supports webserver scaling (v2.2.2+).',
    // sources: MWAA API CreateEnvironment MinWebservers/MaxWebservers; User Guide "Configuring webserver automatic scaling"; data/environment-classes.json
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/environment-class.html',
  },
  check({ spec, doc }) {
    const a = spec.airflow;
    const cls = environmentClass(a.environmentClass);
    if (!cls) return [];
    if (!hasFeature(a.version, 'minMaxWebservers')) {
      const set = doc.positions.has('airflow.webservers') || doc.positions.has('airflow.webservers.min') || doc.positions.has('airflow.webservers.max');
      return set
        ? [
            v(
              'airflow.webservers',
              `Airflow ${a.version} does not support min/max webservers (from ${featureSince('minMaxWebservers')}); the setting would be rejected or ignored.`,
              'Remove airflow.webservers, or upgrade the Airflow version.',
              { severity: 'warning', atKey: true },
            ),
          ]
        : [];
    }
    const out: Violation[] = [];
    const w = cls.webservers;
    for (const end of ['min', 'max'] as const) {
      const n = a.webservers[end];
      if (n < w.min || n > w.max) {
        out.push(
          v(
            `airflow.webservers.${end}`,
            `webservers.${end}: ${n} is outside what ${a.environmentClass} accepts (${w.min === w.max ? `exactly ${w.min}` : `${w.min} to ${w.max}`}).`,
            `Set webservers.${end}: ${Math.min(Math.max(n, w.min), w.max)}.`,
          ),
        );
      }
    }
    return out;
  },
};
