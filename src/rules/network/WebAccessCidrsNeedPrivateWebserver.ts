import type { SpecRule } from '../types';
import { v } from '../util';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-NET-007',
    severity: 'warning',
    description: 'network.webAccessCidrs only has an effect with webserverAccess: PRIVATE_ONLY.',
    // sources (developer notes): MWAA User Guide notes 6.4 and 7.7 (private webserver reached from VPN/bastion/ALB)
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/vpc-vpe-access.html',
  },
  check({ spec }) {
    const n = spec.network;
    if (n.mode !== 'create' || n.webAccessCidrs.length === 0 || spec.airflow.webserverAccess === 'PRIVATE_ONLY') return [];
    return [v('network.webAccessCidrs', `webAccessCidrs is set but the webserver is ${spec.airflow.webserverAccess}; the ingress rules are not used.`, 'Remove network.webAccessCidrs, or set airflow.webserverAccess: PRIVATE_ONLY.', { atKey: true })];
  },
};
