import type { SpecRule } from '../types';
import { v } from '../util';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-NET-007',
    severity: 'warning',
    description: 'network.webAccessCidrs only has an effect with webserverAccess: PRIVATE_ONLY.',
    reference: 'mwaa-reference.md 6.4 and 7.7 (private webserver reached from VPN/bastion/ALB)',
  },
  check({ spec }) {
    const n = spec.network;
    if (n.mode !== 'create' || n.webAccessCidrs.length === 0 || spec.airflow.webserverAccess === 'PRIVATE_ONLY') return [];
    return [v('network.webAccessCidrs', `webAccessCidrs is set but the webserver is ${spec.airflow.webserverAccess}; the ingress rules are not used.`, 'Remove network.webAccessCidrs, or set airflow.webserverAccess: PRIVATE_ONLY.', { atKey: true })];
  },
};
