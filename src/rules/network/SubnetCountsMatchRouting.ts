import type { SpecRule, Violation } from '../types';
import { v } from '../util';

export const rule: SpecRule = {
  meta: {
    id: 'MWAA-NET-004',
    severity: 'error',
    description: 'A created network has exactly two private subnets, and exactly two public subnets with routing: public (none needed with routing: private).',
    // sources (developer notes): guide check 01, guide check 03; MWAA User Guide notes 7.1/7.2 (2 private subnets in 2 AZs; public routing: 2 public subnets with NAT)
    reference: 'https://docs.aws.amazon.com/mwaa/latest/userguide/networking-about.html',
  },
  check({ spec }) {
    const n = spec.network;
    if (n.mode !== 'create') return [];
    const out: Violation[] = [];
    if (n.privateSubnets.length !== 2) {
      out.push(v('network.privateSubnets', `MWAA needs exactly 2 private subnets (one per Availability Zone); ${n.privateSubnets.length} given.`, 'List exactly two CIDRs, e.g. privateSubnets: [10.192.20.0/24, 10.192.21.0/24].', { atKey: true }));
    }
    if (n.routing === 'public' && n.publicSubnets.length !== 2) {
      out.push(v('network.publicSubnets', `routing: public needs exactly 2 public subnets (one NAT gateway each); ${n.publicSubnets.length} given.`, 'List exactly two CIDRs, e.g. publicSubnets: [10.192.10.0/24, 10.192.11.0/24].', { atKey: true }));
    }
    if (n.routing === 'private' && n.publicSubnets.length > 0) {
      out.push(v('network.publicSubnets', `routing: private creates no public subnets; the ${n.publicSubnets.length} listed are ignored.`, 'Remove network.publicSubnets (or set it to []).', { severity: 'warning', atKey: true }));
    }
    return out;
  },
};
