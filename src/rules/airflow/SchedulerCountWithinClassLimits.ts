import { environmentClass, hasFeature } from '../data';
import type { SpecRule } from '../types';
import { v } from '../util';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-AF-003',
    severity: 'error',
    description: 'Scheduler count is within the environment class limits (mw1.micro: 1; larger classes on Airflow v2+: 2-5).',
    // sources: MWAA API CreateEnvironment Schedulers; data/environment-classes.json
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/environment-class.html',
  },
  check({ spec }) {
    const a = spec.airflow;
    const cls = environmentClass(a.environmentClass);
    if (!cls) return [];
    const lim = hasFeature(a.version, 'multipleSchedulers') ? cls.schedulers : { min: 1, max: 1 };
    if (a.schedulers >= lim.min && a.schedulers <= lim.max) return [];
    const range = lim.min === lim.max ? `exactly ${lim.min}` : `${lim.min} to ${lim.max}`;
    return [
      v(
        'airflow.schedulers',
        `schedulers: ${a.schedulers} is not allowed for ${a.environmentClass} on Airflow ${a.version}; it accepts ${range}.`,
        `Set schedulers: ${Math.min(Math.max(a.schedulers, lim.min), lim.max)}.`,
      ),
    ];
  },
};
