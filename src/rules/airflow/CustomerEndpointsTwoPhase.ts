import type { SpecRule } from '../types';
import { v } from '../util';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-AF-008',
    severity: 'warning',
    description: 'endpointManagement: CUSTOMER means a two-phase rollout: the environment waits in PENDING (up to 72 h) until you create its VPC endpoints.',
    // sources (developer notes): MWAA User Guide notes 6.5 and 15.9; MWAA API EndpointManagement
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/networking-about.html',
  },
  check({ spec }) {
    if (spec.airflow.endpointManagement !== 'CUSTOMER') return [];
    return [
      v(
        'airflow.endpointManagement',
        'endpointManagement: CUSTOMER: the environment stays PENDING until you create the database (and, for PRIVATE_ONLY, webserver) VPC endpoints from its endpoint service names; after 72 h it fails.',
        'Plan a second apply (or an EventBridge automation) that creates the endpoints, or use endpointManagement: SERVICE unless the VPC is shared.',
      ),
    ];
  },
};
