import type { SpecRule } from '../types';
import { v } from '../util';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-NET-005',
    severity: 'error',
    description: 'routing: private (no internet) requires webserverAccess: PRIVATE_ONLY.',
    // sources (developer notes): MWAA User Guide notes 15.3 (forbid private routing + PUBLIC_ONLY, L1868-1870)
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/networking-about.html',
  },
  check({ spec }) {
    if (spec.network.mode !== 'create' || spec.network.routing !== 'private' || spec.airflow.webserverAccess === 'PRIVATE_ONLY') return [];
    return [
      v('airflow.webserverAccess', `webserverAccess: ${spec.airflow.webserverAccess} cannot work with network.routing: private (no internet access).`, 'Set airflow.webserverAccess: PRIVATE_ONLY, or network.routing: public.'),
    ];
  },
};
